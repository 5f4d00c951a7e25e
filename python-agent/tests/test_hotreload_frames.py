"""Live frames, line numbers and refusals (items 1, 8, 9, 10)."""

import importlib.machinery
import os
import subprocess
import sys
import textwrap
import threading
import unittest

from dapper_agent.hotreload.frames import current_frames
from tests.test_hotreload_support import ReloadTestCase


class StaleFramesAndLocals(ReloadTestCase):
    def run_in_thread(self, function, *args):
        release = threading.Event()
        started = threading.Event()
        results = []
        thread = threading.Thread(target=lambda: results.append(function(started, release, *args)))
        thread.start()
        self.assertTrue(started.wait(5))
        self.addCleanup(thread.join, 5)
        self.addCleanup(release.set)
        return release, thread, results

    def test_a_frame_running_a_changed_function_is_stale_and_keeps_its_old_code(self):
        module = self.load("""
            def worker(started, release):
                started.set()
                release.wait(5)
                return "old worker"
        """)
        release, thread, results = self.run_in_thread(module.worker)
        self.edit(module, """
            def worker(started, release):
                started.set()
                release.wait(5)
                return "new worker"
        """)
        body = self.engine.reload(module.__file__, None, current_frames(
            skip_thread_ids=(threading.get_ident(),))).body
        release.set()
        thread.join(5)
        self.assertEqual(results, ["old worker"])
        self.assertEqual([frame["name"] for frame in body["staleFrames"]], ["worker"])
        self.assertEqual(body["staleFrames"][0]["line"], 3)

    def test_locals_of_live_frames_that_refer_to_replaced_objects_are_rebound(self):
        module = self.load("""
            def plain(fn):
                return fn
            @plain
            def handler():
                return "old handler"
            def worker(started, release):
                saved = handler
                started.set()
                release.wait(5)
                return saved()
        """)
        release, thread, results = self.run_in_thread(module.worker)
        self.edit(module, """
            def plain(fn):
                return fn
            def shout(fn):
                return lambda: fn().upper()
            @shout
            def handler():
                return "new handler"
            def worker(started, release):
                saved = handler
                started.set()
                release.wait(5)
                return saved()
        """)
        body = self.engine.reload(module.__file__, None, current_frames(
            skip_thread_ids=(threading.get_ident(),))).body
        release.set()
        thread.join(5)
        self.assertEqual(results, ["NEW HANDLER"], body)
        self.assertEqual(body["reboundFrameLocals"], 1)
        self.assertIn("decorator-changed", self.codes(body))

    def test_rebinding_can_be_turned_off(self):
        module = self.load("""
            def handler():
                return "old"
            def worker(started, release):
                saved = handler
                started.set()
                release.wait(5)
                return saved()
        """)
        release, thread, results = self.run_in_thread(module.worker)
        self.edit(module, """
            def wrap(fn):
                return lambda: "wrapped " + fn()
            @wrap
            def handler():
                return "new"
            def worker(started, release):
                saved = handler
                started.set()
                release.wait(5)
                return saved()
        """)
        body = self.engine.reload(module.__file__, {"rebindFrameLocals": False}, current_frames(
            skip_thread_ids=(threading.get_ident(),))).body
        release.set()
        thread.join(5)
        self.assertEqual(results, ["new"])  # the old function object, patched in place
        self.assertEqual(body["reboundFrameLocals"], 0)

    def test_a_started_generator_keeps_its_old_code_and_is_reported(self):
        module = self.load("""
            def numbers():
                yield "old 1"
                yield "old 2"
            STARTED = numbers()
            FIRST = next(STARTED)
        """)
        self.edit(module, """
            def numbers():
                yield "new 1"
                yield "new 2"
            STARTED = numbers()
            FIRST = next(STARTED)
        """)
        body = self.apply(module)
        self.assertEqual(self.codes(body), ["generator-running"])
        self.assertEqual(body["diagnostics"][0]["line"], 1)
        self.assertEqual(next(module.STARTED), "old 2")
        self.assertEqual(list(module.numbers()), ["new 1", "new 2"])


class LineNumbers(ReloadTestCase):
    def test_breakpoints_follow_their_statement_and_deleted_lines_are_reported(self):
        module = self.load("""
            def f():
                a = 1
                b = 2
                return a + b
        """)
        self.edit(module, """
            import os

            def f():
                a = 1
                return a
        """)
        body = self.apply(module, breakpoint_lines=[2, 3, 4])
        remaps = {item["oldLine"]: item["newLine"] for item in body["breakpointRemaps"]}
        self.assertEqual(remaps, {2: 4, 3: None, 4: 5})

    def test_lines_of_frames_still_running_old_code_are_translated_to_the_new_file(self):
        module = self.load("""
            import sys
            def running():
                frame = sys._getframe()
                return frame, frame.f_lineno
        """)
        frame, line = module.running()
        self.assertEqual(line, 4)
        self.edit(module, """
            import sys
            # inserted
            # inserted
            def running():
                frame = sys._getframe()
                return frame, frame.f_lineno + 0
        """)
        self.apply(module)
        self.assertEqual(self.engine.translate_line(frame.f_code, 4), 6)
        self.assertEqual(self.engine.translate_line(module.running.__code__, 6), 6)
        self.edit(module, """
            import sys
            # inserted
            # inserted
            # and once more
            def running():
                frame = sys._getframe()
                return frame, frame.f_lineno + 0
        """)
        self.apply(module)
        self.assertEqual(self.engine.translate_line(frame.f_code, 4), 7)

    def test_traceback_lines_match_the_new_file_after_lines_are_inserted(self):
        module = self.load("""
            def fail():
                raise ValueError("x")
        """)
        self.edit(module, """
            X = 1


            def fail():
                raise ValueError("x")
        """)
        self.apply(module)
        try:
            module.fail()
        except ValueError as error:
            tb = error.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        self.assertEqual(tb.tb_lineno, 5)


class Refusals(ReloadTestCase):
    def test_file_not_loaded(self):
        path = self.write("never_imported.py", "X = 1\n")
        self.assertEqual(self.codes(self.refused(path)), ["file-not-loaded"])

    def test_c_extension(self):
        path = self.write("fast" + importlib.machinery.EXTENSION_SUFFIXES[0], "")
        self.assertEqual(self.codes(self.refused(path)), ["c-extension"])

    def test_not_a_python_file(self):
        path = self.write("notes.txt", "hello\n")
        error = self.refused(path)
        self.assertEqual(self.codes(error), ["not-python-file"])
        self.assertIn(".py", error.message)

    def test_file_that_no_longer_exists(self):
        module = self.load("def f():\n    return 1\n")
        os.remove(module.__file__)
        self.assertEqual(self.codes(self.refused(module)), ["file-not-found"])
        self.assertEqual(module.f(), 1)

    def test_file_that_no_longer_exists_is_refused_as_missing(self):
        module = self.load("def f():\n    return 1\n")
        os.remove(module.__file__)
        self.assertIn("no longer exists", self.refused(module).message)

    def test_directory_named_like_a_python_file_is_called_a_directory(self):
        path = os.path.join(os.path.dirname(self.write("here.py", "X = 1\n")), "package.py")
        os.mkdir(path)
        error = self.refused(path)
        self.assertEqual(self.codes(error), ["not-python-file"])
        self.assertIn("is a directory", error.message)
        self.assertNotIn("no longer exists", error.message)

    @unittest.skipUnless(hasattr(os, "mkfifo"), "named pipes (os.mkfifo) exist on POSIX only")
    def test_fifo_named_like_a_python_file_is_called_a_named_pipe_and_not_opened(self):
        path = os.path.join(os.path.dirname(self.write("here.py", "X = 1\n")), "pipe.py")
        os.mkfifo(path)
        error = self.refused(path)
        self.assertEqual(self.codes(error), ["not-python-file"])
        self.assertIn("is a named pipe (FIFO)", error.message)
        self.assertNotIn("no longer exists", error.message)

    def test_file_with_a_coding_declaration_is_decoded_and_bad_bytes_are_refused(self):
        module = self.load("# -*- coding: latin-1 -*-\ndef sign():\n    return 'a'\n")
        with open(module.__file__, "wb") as handle:
            handle.write("# -*- coding: latin-1 -*-\ndef sign():\n    return '\u00e9'\n".encode("latin-1"))
        self.apply(module)
        self.assertEqual(module.sign(), "\u00e9")
        with open(module.__file__, "wb") as handle:
            handle.write(b"def sign():\n    return '\xff\xfe'\n")
        error = self.refused(module)
        self.assertEqual(self.codes(error), ["decode-error"])
        self.assertIn("UTF-8", error.message)
        self.assertEqual(module.sign(), "\u00e9")

    def test_second_reload_while_one_is_running(self):
        module = self.load("def f():\n    return 1\n")
        self.engine._busy.acquire()
        try:
            self.assertEqual(self.codes(self.refused(module)), ["reload-in-progress"])
        finally:
            self.engine._busy.release()


MAIN_SCRIPT = '''
import os, sys
sys.path.insert(0, {agent!r})
from dapper_agent.hotreload import HotReloadEngine
print("body ran")
COUNT = 1
def compute():
    return "old"
def apply_edit():
    engine = HotReloadEngine()
    engine.snapshots.snapshot(__file__)
    with open(__file__) as handle:
        text = handle.read()
    with open(__file__, "w") as handle:
        handle.write(text.replace("return " + '"old"', "return " + '"new"').replace("COUNT = " + "1", "COUNT = " + "2"))
    body = engine.reload(__file__, None, []).body
    print("module", body["module"], "patched", body["patchedFunctions"])
saved = compute
apply_edit()
print(compute(), saved(), COUNT)
'''


class MainScript(unittest.TestCase):
    def test_the_main_script_is_patched_and_its_body_never_rerun(self):
        import tempfile
        agent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        with tempfile.TemporaryDirectory() as directory:
            script = os.path.join(directory, "program.py")
            with open(script, "w") as handle:
                handle.write(textwrap.dedent(MAIN_SCRIPT.format(agent=agent)))
            run = subprocess.run([sys.executable, script], capture_output=True, text=True, timeout=60)
        self.assertEqual(run.stderr, "")
        self.assertEqual(run.stdout.splitlines(), ["body ran", "module __main__ patched 1", "new new 2"])


if __name__ == "__main__":
    unittest.main()
