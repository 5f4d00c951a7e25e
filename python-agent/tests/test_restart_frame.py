"""restartFrame against the real agent: what the program prints and what the stack shows."""

import os
import subprocess
import sys
import tempfile
import unittest

from dapper_agent.restart.points import _bytecode_rewriter
from tests.support import AgentHarness

# 3.9/3.10 release builds: the restart point's handler is appended to plainly compiled code and
# restartFrame pushes its block (restart/bytecode_blocks.py): nothing runs at the call's start.
APPENDED = sys.version_info < (3, 11) and _bytecode_rewriter() is not None
# Lambdas take a restart point where it is added to compiled code (3.9–3.13 release builds).
LAMBDAS = _bytecode_rewriter() is not None


def write(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


def names(frames):
    return [frame["name"] for frame in frames]


def restart_once_and_finish(script, line):
    """Stop at `line` (exceptions not stopping), restart the top frame, run to the end:
    (exit code, stdout, stderr)."""
    with AgentHarness(script) as agent:
        agent.set_breakpoints(agent.program, [line])
        agent.configuration_done(exception_filters=())
        agent.wait_stopped("breakpoint")
        agent.set_breakpoints(agent.program, [])
        agent.request("restartFrame", frameId=agent.stack()[0]["id"])
        agent.wait_stopped("restart")
        agent.resume()
        return agent.wait_exit()[1], agent.output("stdout"), agent.output("stderr")


class RestartFrameTest(unittest.TestCase):
    def test_restart_the_top_frame_after_apply_runs_the_new_code_for_that_call(self):
        script = "def work(i):\n    label = 'old %d' % i\n    return label  # BP\nfor i in range(2):\n    print(work(i))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, script.replace("'old %d'", "'new %d'"))
            agent.request("hotReload", path=agent.program, options={})
            top = agent.stack()[0]
            self.assertEqual((top["name"], top["canRestart"]), ("work [old code]", True))
            agent.request("restartFrame", frameId=top["id"])
            agent.wait_stopped("restart")
            frames = agent.stack()
            self.assertEqual([(f["name"], f["line"]) for f in frames], [("work", 2), ("<module>", 5)])
            self.assertEqual(agent.locals()["i"], "0")
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["new 0", "new 1"])

    def test_restart_on_the_first_line_of_a_call_and_after_a_goto_back_to_it(self):
        # Before 3.11 the restart point is set up by the call's first instruction: stopping on the
        # first line (a breakpoint, a step into the call, a goto there) must stop after it.
        script = "def work(i):\n    a = i + 1\n    b = a * 2\n    return b  # BP\nprint(work(1))\nprint(work(2))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            agent.set_breakpoints(agent.program, [4])
            agent.request("restartFrame", frameId=agent.stack()[0]["id"])
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("work", 2), ("<module>", 5)])
            agent.resume()
            agent.wait_stopped("breakpoint")
            targets = agent.request("gotoTargets", source={"path": agent.program}, line=2)["targets"]
            agent.request("goto", threadId=agent.stopped_thread, targetId=targets[0]["id"])
            agent.wait_stopped("goto")
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=agent.stack()[0]["id"])
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("work", 2), ("<module>", 5)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["4", "6"])

    @unittest.skipIf(sys.version_info >= (3, 11), "from 3.11 a restart point costs no instruction at the call's start: nothing to refuse")
    def test_a_one_line_function_stopped_at_its_start(self):
        # Its body shares the def line, so with the ast wrapper (before 3.11) its first line event
        # comes before the restart point is set up: refused with the reason, the program unharmed.
        # With the handler appended (3.9/3.10 release builds) there is no set-up: it restarts.
        script = "def inner(n): return n * 3\nprint(inner(2))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [1])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")  # the definition, in <module>
            agent.resume()
            agent.wait_stopped("breakpoint")
            top = agent.stack()[0]
            self.assertEqual(top["name"], "inner")
            agent.set_breakpoints(agent.program, [])
            if APPENDED:
                # Its restart point needs no instruction to have run: the restart is offered and works.
                self.assertTrue(top["canRestart"])
                agent.request("restartFrame", frameId=top["id"])
                agent.wait_stopped("restart")
                self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("inner", 1), ("<module>", 2)])
                agent.resume()
                self.assertEqual(agent.wait_exit()[1], 0)
                self.assertEqual(agent.output("stdout").splitlines(), ["6"])
                return
            self.assertFalse(top["canRestart"])
            refused = agent.request_raw("restartFrame", frameId=top["id"])
            self.assertFalse(refused["success"])
            self.assertIn("restart the function that called it", refused["message"])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["6"])

    def test_an_exception_the_restarted_call_raises_is_not_chained_to_the_restart(self):
        script = "def check(n):\n    if n > 0:  # BP\n        raise ValueError('n is %d' % n)\n    return n\ncheck(1)\n"
        code, _stdout, stderr = restart_once_and_finish(script, 2)
        self.assertEqual(code, 1)
        self.assertIn("ValueError: n is 1", stderr)
        self.assertNotIn("During handling", stderr)
        self.assertNotIn("Restart", stderr)
        # The traceback a plain call would have had: no agent frames, no second check().
        self.assertNotIn("dapper_agent", stderr)
        self.assertEqual(stderr.count(", in check"), 1, stderr)
        self.assertIn('line 5, in <module>', stderr)

    @unittest.skipIf(sys.version_info < (3, 11), "before 3.11 a bare raise re-raises an exception with the traceback "
                     "it was caught with: the agent's two frames stay in what the program catches")
    def test_an_exception_the_program_catches_from_a_restarted_call_has_no_agent_frames(self):
        script = (
            "import traceback\n"
            "def check(n):\n"
            "    if n > 0:  # BP\n"
            "        raise ValueError('n is %d' % n)\n"
            "    return n\n"
            "try:\n"
            "    check(1)\n"
            "except ValueError:\n"
            "    print(traceback.format_exc())\n"
        )
        code, printed, _stderr = restart_once_and_finish(script, 3)
        self.assertEqual(code, 0)
        self.assertIn("ValueError: n is 1", printed)
        self.assertNotIn("dapper_agent", printed)
        self.assertIn("line 7, in <module>", printed)

    def test_the_restarted_call_handles_no_exception_and_a_first_line_breakpoint_stops_once(self):
        # sys.exc_info() in the new call is what a plain call from outside an except clause
        # sees: nothing; a bare raise there has nothing to re-raise (no restart leaks out).
        # The breakpoint on the function's first line stays: the restart stops there once.
        script = (
            "import sys\n"
            "def probe(tag):\n"
            "    x = tag  # BP\n"
            "    print(tag, repr(sys.exc_info()[1]))\n"
            "    try:\n"
            "        raise\n"
            "    except BaseException as error:\n"
            "        print(tag, 'bare raise:', type(error).__name__)\n"
            "    return tag\n"
            "print(probe('first'), repr(sys.exc_info()[1]))\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done(exception_filters=())
            agent.wait_stopped("breakpoint")
            agent.request("restartFrame", frameId=agent.stack()[0]["id"])
            agent.wait_stopped("restart")
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            stops = [message["body"]["reason"] for message in agent.received if message.get("event") == "stopped"]
            self.assertEqual(stops, ["breakpoint", "restart"])
            self.assertEqual(agent.output("stdout").splitlines(), [
                "first None",
                "first bare raise: RuntimeError",
                "first None",
            ])

    def test_a_call_made_in_an_except_clause_sees_the_callers_exception_again_when_restarted(self):
        # Restarted while stopped in its own `except` clause, the new call sees what the first
        # one saw: the caller's exception (sys.exc_info(), a bare raise, the context of what it
        # raises), as logging.exception() in an error handler needs; not its own, not nothing.
        script = (
            "import sys\n"
            "def report(tag):\n"
            "    print(tag, 'sees', repr(sys.exc_info()[1]))\n"
            "    try:\n"
            "        raise OSError('own')\n"
            "    except OSError:\n"
            "        tag = tag + '!'  # BP\n"
            "    try:\n"
            "        raise\n"
            "    except BaseException as error:\n"
            "        print(tag, 'bare raise:', repr(error))\n"
            "    raise ValueError(tag)\n"
            "try:\n"
            "    raise KeyError('k')\n"
            "except KeyError:\n"
            "    try:\n"
            "        report('first')\n"
            "    except ValueError as error:\n"
            "        print('raised', repr(error), 'context', repr(error.__context__))\n"
            "print('after', repr(sys.exc_info()[1]))\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done(exception_filters=())
            agent.wait_stopped("breakpoint")
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=agent.stack()[0]["id"])
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("report", 3), ("<module>", 17)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), [
                "first sees KeyError('k')",
                "first sees KeyError('k')",
                "first! bare raise: KeyError('k')",
                "raised ValueError('first!') context KeyError('k')",
                "after None",
            ])
            self.assertNotIn("Restart", agent.output("stderr"))

    def test_a_step_into_a_call_stops_on_its_first_line_and_a_def_line_breakpoint_only_at_the_definition(self):
        script = "def work(i):\n    a = i + 1\n    return a\nprint(work(1))\nprint(work(2))\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [1, 4])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack()[0]["line"], 1)
            agent.resume()
            agent.wait_stopped("breakpoint")
            self.assertEqual(agent.stack()[0]["line"], 4)
            agent.resume("stepIn")
            agent.wait_stopped("step")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("work", 2), ("<module>", 4)])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)

    def test_restart_a_caller_drops_the_frames_above_and_runs_their_finally_and_exit(self):
        script = """\
            import contextlib

            @contextlib.contextmanager
            def tidy(name):
                try:
                    yield
                finally:
                    print("exit", name)

            def inner(n):
                try:
                    return n * 2  # BP
                finally:
                    print("finally inner", n)

            def outer(n, log):
                log.append(n)
                with tidy("outer"):
                    return inner(n) + 1

            log = []
            print("result", outer(5, log), log)
            """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [12])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual(names(frames), ["inner", "outer", "<module>"])
            self.assertEqual([f["canRestart"] for f in frames], [True, True, False])
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=frames[1]["id"])
            agent.wait_stopped("restart")
            frames = agent.stack()
            self.assertEqual([(f["name"], f["line"]) for f in frames], [("outer", 17), ("<module>", 22)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            # The first run's side effects stay (log has 5 twice); its finally and __exit__ ran.
            self.assertEqual(agent.output("stdout").splitlines(),
                             ["finally inner 5", "exit outer", "finally inner 5", "exit outer", "result 11 [5, 5]"])

    def test_restart_a_caller_stopped_inside_with_try_and_except_blocks(self):
        # Before 3.11 the restart point's block is pushed under the blocks the caller is in
        # when the restart is asked for (restart/block_stack.py): they unwind first, in order.
        script = """\
            import contextlib

            @contextlib.contextmanager
            def managed(name):
                try:
                    yield
                finally:
                    print("exit", name)

            def leaf(n):
                return n  # BP

            def work(n):
                print("start", n)
                with managed("a"):
                    try:
                        raise ValueError(n)
                    except ValueError:
                        try:
                            for i in range(1):
                                with managed("b"):
                                    return leaf(n) * 2
                        finally:
                            print("finally", n)

            print("result", work(4))
            """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [11])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual([(f["name"], f["canRestart"]) for f in frames],
                             [("leaf", True), ("work", True), ("<module>", False)])
            if sys.version_info < (3, 11):
                # The calls ran no block of their restart points: it is pushed only now.
                ran = agent.evaluate("[__import__('opcode').opname[f.__code__.co_code[0]] for f in (leaf, work)]",
                                     frame_id=frames[2]["id"])
                if APPENDED:  # the plain compile's first instructions: no set-up of any kind
                    self.assertNotIn("NOP", ran["result"])
                    self.assertNotIn("SETUP_FINALLY", ran["result"])
                else:
                    self.assertEqual(ran["result"], "['NOP', 'NOP']")
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=frames[1]["id"])
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("work", 14), ("<module>", 26)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(),
                             ["start 4", "exit b", "finally 4", "exit a",
                              "start 4", "exit b", "finally 4", "exit a", "result 8"])
            self.assertNotIn("Traceback", agent.output("stderr"))

    def test_restart_a_caller_inside_nineteen_nested_blocks(self):
        # 19 blocks of its own and, before 3.11, the restart point's: the 20 Python allows.
        depth = 18
        lines = ["def leaf(n):", "    return n  # BP", "", "def deep(n, log):", "    start = n"]
        for level in range(depth):
            lines.append("    " * (level + 1) + "try:")
        lines.append("    " * (depth + 1) + "with open(__file__):")
        lines.append("    " * (depth + 2) + "return leaf(start) + 1")
        for level in reversed(range(depth)):
            lines.append("    " * (level + 1) + "finally:")
            lines.append("    " * (level + 2) + "log.append(%d)" % level)
        lines.append("log = []")
        lines.append("print(deep(1, log), len(log))")
        with AgentHarness("\n".join(lines) + "\n") as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual([(f["name"], f["canRestart"]) for f in frames][:2], [("leaf", True), ("deep", True)])
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=frames[1]["id"])
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:1], [("deep", 5)])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["2 %d" % (2 * depth)])

    def test_restart_inside_a_thread_and_a_method_with_super(self):
        script = """\
            import threading

            class Base:
                def greet(self, who):
                    return "hello " + who

            class Greeter(Base):
                def greet(self, who):
                    text = super().greet(who)
                    return text + "!"  # BP

            def worker(results):
                results.append(Greeter().greet("thread"))

            results = []
            thread = threading.Thread(target=worker, args=(results,), name="greeter")
            thread.start()
            thread.join()
            print(results)
            """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [10])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(agent.program, agent_text(agent).replace('text + "!"', 'text + "?"'))
            agent.request("hotReload", path=agent.program, options={})
            frames = agent.stack()
            self.assertEqual(names(frames)[:2], ["Greeter.greet [old code]" if sys.version_info >= (3, 11)
                                                 else "greet [old code]",
                                                 "worker"])
            self.assertTrue(frames[0]["canRestart"])
            library = [f for f in frames if not f["canRestart"]]
            self.assertTrue(any("library code" in f["restartRefusal"] for f in library), library)
            agent.request("restartFrame", frameId=frames[0]["id"])
            stopped = agent.wait_stopped("restart")
            self.assertEqual(agent.stack(stopped["threadId"])[0]["line"], 9)
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["['hello thread?']"])

    def test_refusals_say_why(self):
        script = """\
            def gen():
                yield helper(1)

            def helper(x):
                f = (lambda:
                     x)
                return f()

            def swallow():
                try:
                    return gen_total()
                except:
                    return -1

            def gen_total():
                return sum(gen())

            print(swallow())
            """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [6])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual(names(frames)[:6], ["helper.<locals>.<lambda>" if sys.version_info >= (3, 11) else "<lambda>",
                                                 "helper", "gen", "gen_total", "swallow", "<module>"])
            reasons = [f.get("restartRefusal") for f in frames]
            self.assertEqual([f["canRestart"] for f in frames], [LAMBDAS, True, False, True, False, False])
            if not LAMBDAS:
                self.assertIn("lambda", reasons[0])
            self.assertIn("generator", reasons[2])
            self.assertIn("Line 12 of program.py (swallow())", reasons[4])
            self.assertIn("`except:` catches it without re-raising", reasons[4])
            self.assertIn("module body", reasons[5])
            refused = agent.request_raw("restartFrame", frameId=frames[2]["id"])
            self.assertFalse(refused["success"])
            self.assertIn("generator", refused["message"])
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["1"])

    @unittest.skipUnless(LAMBDAS, "a lambda gets a restart point only where it is added to compiled code "
                         "(CPython 3.9-3.13 release builds); elsewhere it is refused, as test_refusals_say_why checks")
    def test_restart_a_lambda_with_the_value_its_parameter_holds_now(self):
        script = (
            "calls = []\n"
            "def total(values):\n"
            "    return sum(map(lambda v: calls.append(v) or v * 2, values))\n"
            "print(total([1, 2]), calls)\n"
        )
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")  # in total()
            agent.resume()
            agent.wait_stopped("breakpoint")  # in the lambda's first call
            top = agent.stack()[0]
            self.assertEqual((top["name"].rpartition(".")[2], top["canRestart"]), ("<lambda>", True), top)
            scopes = agent.request("scopes", frameId=top["id"])["scopes"]
            agent.request("setVariable", variablesReference=scopes[0]["variablesReference"], name="v", value="10")
            agent.request("restartFrame", frameId=top["id"])
            agent.wait_stopped("restart")
            frames = agent.stack()
            self.assertEqual([(f["name"].rpartition(".")[2], f["line"]) for f in frames[:2]], [("<lambda>", 3), ("total", 3)])
            self.assertEqual(agent.locals()["v"], "10")
            agent.set_breakpoints(agent.program, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["24 [10, 2]"])

    def test_frames_of_an_uncaught_exception_have_ended_and_say_so(self):
        script = "def fail(x):\n    raise ValueError(x)\nfail(3)\n"
        with AgentHarness(script) as agent:
            agent.configuration_done()
            agent.wait_stopped("exception")
            frames = agent.stack()
            self.assertEqual([f["canRestart"] for f in frames], [False, False])
            self.assertIn("already ended", frames[0]["restartRefusal"])
            refused = agent.request_raw("restartFrame", frameId=frames[0]["id"])
            self.assertFalse(refused["success"])
            self.assertIn("already ended", refused["message"])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 1)

    def test_the_launch_setting_turns_restart_points_off(self):
        script = "def work():\n    return 1  # BP\nprint('__dapper_restart__' in work.__code__.co_names, work())\n"
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [2])
            agent.configuration_done(restartFrame=False)
            agent.wait_stopped("breakpoint")
            top = agent.stack()[0]
            self.assertFalse(top["canRestart"])
            self.assertIn("turned off", top["restartRefusal"])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["False 1"])

    def test_imported_user_modules_are_restartable_and_cached_apart(self):
        script = "import helper\nprint(helper.twice(4))\n"
        module = "def twice(n):\n    result = n * 2\n    return result  # BP\n"
        # Bytecode caching on (an empty PYTHONDONTWRITEBYTECODE is unset): the cache is part of it.
        with AgentHarness(script, extra_files={"helper.py": module}, env={"PYTHONDONTWRITEBYTECODE": ""}) as agent:
            helper = os.path.join(agent.folder, "helper.py")
            agent.set_breakpoints(helper, [3])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            write(helper, module.replace("n * 2", "n * 3"))
            agent.request("hotReload", path=helper, options={})
            top = agent.stack()[0]
            self.assertTrue(top["canRestart"], top)
            agent.request("restartFrame", frameId=top["id"])
            agent.wait_stopped("restart")
            agent.set_breakpoints(helper, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0)
            self.assertEqual(agent.output("stdout").splitlines(), ["12"])
            cached = sorted(os.listdir(os.path.join(agent.folder, "__pycache__")))
            # Only restart-point .pyc files (the module's and the main script's): a plain
            # `python` run never reads instrumented code.
            self.assertEqual([name.split(".")[0] for name in cached], ["helper", "program"], cached)
            self.assertTrue(all("opt-dapperrestart" in name for name in cached), cached)

    def test_a_script_runpy_runs_as_a_spawn_worker_runs_the_main_script_is_restartable(self):
        # A spawn worker of multiprocessing runs the program's file again with
        # runpy.run_path(path, run_name="__mp_main__"): it gets the code with restart points
        # the debugged program cached when it ran that file as its main script.
        main = (
            "calls = []\n"
            "def work(n):\n"
            "    calls.append(n)\n"
            "    return n * 2  # BP\n"
            "if __name__ == '__main__':\n"
            "    print(work(1))\n"
        )
        worker = (
            "import runpy\n"
            "namespace = runpy.run_path(%r, run_name='__mp_main__')\n"
            "print('restart points:', '__dapper_restart__' in namespace['work'].__code__.co_names)\n"
            "print(namespace['work'](4), namespace['calls'])\n"
        )
        with AgentHarness(main, env={"PYTHONDONTWRITEBYTECODE": ""}) as program:
            program.configuration_done()
            self.assertEqual(program.wait_exit()[1], 0)
            with AgentHarness(worker % program.program, env={"PYTHONDONTWRITEBYTECODE": ""}) as agent:
                agent.set_breakpoints(program.program, [4])
                agent.configuration_done()
                agent.wait_stopped("breakpoint")
                top = agent.stack()[0]
                self.assertEqual((top["name"], top["canRestart"]), ("work", True), top)
                agent.request("restartFrame", frameId=top["id"])
                agent.wait_stopped("restart")
                self.assertEqual(agent.stack()[0]["name"], "work")
                agent.set_breakpoints(program.program, [])
                agent.resume()
                self.assertEqual(agent.wait_exit()[1], 0)
                # The call ran twice (restarted once), and returned once.
                self.assertEqual(agent.output("stdout").splitlines(), ["restart points: True", "8 [4, 4]"])


class RestartSwallowedTest(unittest.TestCase):
    """Something in a dropped frame catches the restart and the program goes on: never silently."""

    def _restart_swallowed(self, agent, breakpoint_line, stack_names, restart_index):
        """Stop at the breakpoint, check the stack, restart frame `restart_index` (breakpoint
        removed): returns the stop that reports the swallow."""
        agent.set_breakpoints(agent.program, [breakpoint_line])
        agent.configuration_done()
        agent.wait_stopped("breakpoint")
        frames = agent.stack()
        self.assertEqual(names(frames), stack_names)
        self.assertTrue(frames[restart_index]["canRestart"])
        agent.set_breakpoints(agent.program, [])
        agent.request("restartFrame", frameId=frames[restart_index]["id"])
        stopped = agent.wait_stopped()
        self.assertEqual(stopped["reason"], "exception")
        return stopped

    def _runs_to_the_end(self, agent, stdout_lines):
        agent.resume()
        self.assertEqual(agent.wait_exit()[1], 0)
        self.assertEqual(agent.output("stdout").splitlines(), stdout_lines)

    def test_suppress_base_exception_in_a_dropped_frame_is_refused_up_front_naming_its_line(self):
        script = """\
            import contextlib
            from contextlib import suppress

            EVERYTHING = (KeyError, BaseException)

            def inner(n):
                return n * 2  # BP

            def quiet(n):
                with suppress(*EVERYTHING):
                    return inner(n)

            def mid(n):
                with contextlib.suppress(KeyError):
                    with contextlib.suppress(BaseException):
                        return quiet(n)

            def outer(n):
                with suppress(Exception):
                    return mid(n) + 1

            print(outer(5))
            """
        with AgentHarness(script) as agent:
            agent.set_breakpoints(agent.program, [7])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual(names(frames), ["inner", "quiet", "mid", "outer", "<module>"])
            self.assertEqual([f["canRestart"] for f in frames], [True, False, False, False, False])
            # The arguments' values in the live frame count (a starred tuple holding BaseException)…
            self.assertIn("Line 10 of program.py (quiet())", frames[1]["restartRefusal"])
            self.assertIn("`with suppress(*EVERYTHING)` suppresses it", frames[1]["restartRefusal"])
            # …and each frame is refused for the first such `with` on the way down to it.
            self.assertIn("Line 10 of program.py (quiet())", frames[3]["restartRefusal"])
            refused = agent.request_raw("restartFrame", frameId=frames[2]["id"])
            self.assertFalse(refused["success"])
            self.assertIn("Line 10 of program.py", refused["message"])
            agent.set_breakpoints(agent.program, [])
            agent.request("restartFrame", frameId=frames[0]["id"])  # the frame above the `with`s still can
            agent.wait_stopped("restart")
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:2], [("inner", 7), ("quiet", 11)])
            self._runs_to_the_end(agent, ["11"])

    def test_a_context_manager_whose_exit_returns_true_stops_where_the_program_went_on(self):
        script = """\
            class Quiet:
                def __enter__(self):
                    return self

                def __exit__(self, *exc_info):
                    return True  # swallows everything, the restart too

            def inner(n):
                with Quiet():
                    doubled = n * 2  # BP
                print("inner went on")
                return 7

            def outer(n):
                print("outer starts")
                return inner(n) + 1

            print("result", outer(5))
            """
        with AgentHarness(script) as agent:
            # canRestart is true: a custom __exit__ cannot be judged in advance.
            stopped = self._restart_swallowed(agent, 10, ["inner", "outer", "<module>"], 1)
            self.assertEqual(stopped["text"], "Restart Frame swallowed")
            description = stopped["description"]
            self.assertIn("Restart Frame of outer() was swallowed at program.py:10 in inner()", description)
            self.assertIn("the `with` statement on line 9 (its context manager's __exit__ returned true)", description)
            self.assertIn("nothing was restarted; the program is stopped where it continued, at program.py:11", description)
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()], [("inner", 11), ("outer", 16), ("<module>", 18)])
            info = agent.request("exceptionInfo", threadId=stopped["threadId"])
            self.assertEqual(info["description"], description)
            trace_lines = [line.strip() for line in info["details"]["stackTrace"].splitlines() if line.strip().startswith("File ")]
            self.assertEqual([line.split(",", 1)[1] for line in trace_lines], [" line 10, in inner"], trace_lines)
            self._runs_to_the_end(agent, ["outer starts", "inner went on", "result 8"])

    def test_a_context_manager_in_a_dropped_callers_frame_that_swallows(self):
        script = """\
            import contextlib

            @contextlib.contextmanager
            def forgiving():
                try:
                    yield
                except BaseException:
                    print("forgiven")

            def inner(n):
                try:
                    return n * 2  # BP
                finally:
                    print("finally inner")

            def mid(n):
                with forgiving():
                    inner(n)
                return "mid went on"

            def outer(n):
                return mid(n)

            print(outer(5))
            """
        with AgentHarness(script) as agent:
            stopped = self._restart_swallowed(agent, 12, ["inner", "mid", "outer", "<module>"], 2)
            # The generator's `except BaseException` caught it (thrown in by the `with` in mid()).
            self.assertIn("swallowed at program.py:6 in forgiving() by the `try` statement on line 5", stopped["description"])
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:2], [("mid", 19), ("outer", 22)])
            self._runs_to_the_end(agent, ["finally inner", "forgiven", "mid went on"])

    SWALLOWED_THEN_RAISED = """\
        class Forgiving:
            def __enter__(self):
                return self
            def __exit__(self, kind, value, tb):
                print("forgiven", kind is not None)
                return True

        def inner(n):
            return n * 2  # BP

        def mid(n):
            with Forgiving():
                inner(n)
            return check(n)

        def check(n):
            if n > 0:
                raise ValueError("n is %d" % n)
            return n

        def outer(n):
            try:
                return mid(n)
            except ValueError as error:
                entries = []
                tb = error.__traceback__.tb_next  # from mid() on
                while tb is not None:
                    entries.append((tb.tb_frame.f_code.co_name, tb.tb_lineno))
                    tb = tb.tb_next
                return "caught %s %s" % (error, entries)

        print(outer(5))
        print(outer(6))
        """

    def test_after_a_swallowed_restart_an_exception_passes_the_frames_unchanged(self):
        # Before 3.11 the frames the signal was to reach got their restart point's block when
        # it was raised; swallowed, they go on with it: the program's own exception passes
        # them as before (same traceback, caught where it was caught).
        with AgentHarness(self.SWALLOWED_THEN_RAISED) as agent:
            stopped = self._restart_swallowed(agent, 9, ["inner", "mid", "outer", "<module>"], 2)
            self.assertIn("swallowed", stopped["description"])
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:2], [("mid", 14), ("outer", 23)])
            self._runs_to_the_end(agent, [
                "forgiven True", "caught n is 5 [('mid', 14), ('check', 18)]",
                "forgiven False", "caught n is 6 [('mid', 14), ('check', 18)]",
            ])

    def test_after_a_swallowed_restart_the_same_frame_restarts_again(self):
        with AgentHarness(self.SWALLOWED_THEN_RAISED) as agent:
            self._restart_swallowed(agent, 9, ["inner", "mid", "outer", "<module>"], 2)
            frames = agent.stack()
            self.assertEqual([(f["name"], f["canRestart"]) for f in frames][:2], [("mid", True), ("outer", True)])
            agent.request("restartFrame", frameId=frames[1]["id"])
            agent.wait_stopped("restart")
            self.assertEqual(names(agent.stack())[:2], ["outer", "<module>"])
            self._runs_to_the_end(agent, [
                "forgiven True", "forgiven False", "caught n is 5 [('mid', 14), ('check', 18)]",
                "forgiven False", "caught n is 6 [('mid', 14), ('check', 18)]",
            ])

    def test_a_program_with_its_own_profiler_still_sees_a_swallow_below_a_dropped_frame(self):
        # Before 3.12 the debugger puts its tracer back with a profile function, unless the
        # program has one: then the first restart point the signal passes does it.
        script = """\
            import sys

            class Quiet:
                def __enter__(self):
                    return self

                def __exit__(self, *exc_info):
                    return True

            def inner(n):
                return n * 2  # BP

            def mid(n):
                with Quiet():
                    inner(n)
                return "mid went on"

            def outer(n):
                return mid(n)

            sys.setprofile(lambda frame, event, arg: None)
            print(outer(5))
            """
        with AgentHarness(script) as agent:
            stopped = self._restart_swallowed(agent, 11, ["inner", "mid", "outer", "<module>"], 2)
            self.assertIn("swallowed at program.py:15 in mid() by the `with` statement on line 14", stopped["description"])
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:2], [("mid", 16), ("outer", 19)])
            self._runs_to_the_end(agent, ["mid went on"])

    def test_c_code_that_discards_the_exception_of_a_callback(self):
        # A weakref callback is called by C code, which reports what it raises as "Exception
        # ignored" on stderr and goes on: the frame that made it run continues.
        script = """\
            import weakref

            class Thing:
                pass

            def inner(n):
                return n * 2  # BP

            def on_collect(_ref):
                inner(1)

            def outer(n):
                thing = Thing()
                watch = weakref.ref(thing, on_collect)
                del thing
                print("outer went on", watch() is None)
                return n

            print("result", outer(5))
            """
        with AgentHarness(script) as agent:
            stopped = self._restart_swallowed(agent, 7, ["inner", "on_collect", "outer", "<module>"], 2)
            self.assertIn("Restart Frame of outer() was swallowed at program.py:10: on_collect() passed it to the C code "
                          "that called it", stopped["description"])
            self.assertIn("stopped where it continued, at program.py:16", stopped["description"])
            self.assertEqual([(f["name"], f["line"]) for f in agent.stack()][:2], [("outer", 16), ("<module>", 19)])
            self._runs_to_the_end(agent, ["outer went on True", "result 5"])


def agent_text(agent):
    with open(agent.program, encoding="utf-8") as handle:
        return handle.read()


SYSTEM_PYTHON = "/usr/bin/python3"


def _system_pytest():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import pytest"], capture_output=True).returncode == 0


@unittest.skipUnless(_system_pytest(), "needs Debian's python3-pytest on /usr/bin/python3 (.ci/run installs it)")
class RestartPytestTestFunction(unittest.TestCase):
    def test_restart_a_test_function_run_by_pytest(self):
        test_module = """\
            def total(values):
                return sum(values)

            def test_total():
                values = [1, 2]
                assert total(values) == 4  # BP
            """
        runner = ("import os, sys, pytest\n"
                  "here = os.path.dirname(os.path.abspath(__file__))\n"
                  "sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', os.path.join(here, 'test_sample.py')]))\n")
        with AgentHarness(runner, script_name="run_tests.py", python=SYSTEM_PYTHON,
                          extra_files={"test_sample.py": test_module}) as agent:
            test_file = os.path.join(agent.folder, "test_sample.py")
            agent.set_breakpoints(test_file, [6])
            agent.configuration_done()
            agent.wait_stopped("breakpoint")
            frames = agent.stack()
            self.assertEqual((frames[0]["name"], frames[0]["canRestart"]), ("test_total", True), frames[0])
            with open(test_file, encoding="utf-8") as handle:
                text = handle.read()
            write(test_file, text.replace("[1, 2]", "[1, 3]"))
            agent.request("hotReload", path=test_file, options={})
            agent.request("restartFrame", frameId=agent.stack()[0]["id"])
            agent.wait_stopped("restart")
            self.assertEqual(agent.stack()[0]["line"], 5)
            agent.set_breakpoints(test_file, [])
            agent.resume()
            self.assertEqual(agent.wait_exit()[1], 0, agent.output())
            self.assertIn("1 passed", agent.output("stdout"))

    def test_the_restart_point_is_added_to_the_code_pytest_compiles(self):
        # As for any user file: a test function runs exactly the instructions pytest compiled
        # (before 3.11 with no restart block set up at the call's start), and every one of them,
        # a return inside a loop included, reaches the restart point.
        test_module = (
            "def test_loop():\n"
            "    total = 0\n"
            "    for n in range(3):\n"
            "        if n == 2:\n"
            "            break\n"
            "        total += n\n"
            "    while True:\n"
            "        if total:\n"
            "            return\n"
            "        total += 1\n"
        )
        probe = (
            "import dis, pathlib, sys\n"
            "sys.path.insert(0, sys.argv[2])\n"
            "from _pytest.assertion import rewrite\n"
            "from dapper_agent.restart import importer\n"
            "from dapper_agent.restart.points import POINTS, handler_offset\n"
            "path = pathlib.Path(sys.argv[1])\n"
            "def test_loop(code):\n"
            "    return next(c for c in code.co_consts if getattr(c, 'co_name', '') == 'test_loop')\n"
            "plain = test_loop(rewrite._rewrite_test(path, None)[1])\n"
            "importer._prepare_pytest(rewrite)\n"
            "compiled = test_loop(rewrite._rewrite_test(path, None)[1])\n"
            "covered = set()\n"
            "for entry in dis._parse_exception_table(compiled):\n"
            "    covered.update(range(entry.start, entry.end, 2))\n"
            "left_out = [i.opname for i in dis.get_instructions(compiled) if i.offset < handler_offset(compiled)\n"
            "            and i.opname != 'RESUME' and i.offset not in covered]\n"
            "print(compiled.co_code.startswith(plain.co_code), compiled.co_linetable.startswith(plain.co_linetable),\n"
            "      POINTS.is_instrumented_file(str(path)), left_out)\n"
        )
        with tempfile.TemporaryDirectory() as folder:
            write(os.path.join(folder, "test_loop.py"), test_module)
            write(os.path.join(folder, "probe.py"), probe)
            agent_folder = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            result = subprocess.run([SYSTEM_PYTHON, os.path.join(folder, "probe.py"), os.path.join(folder, "test_loop.py"),
                                     agent_folder], capture_output=True, text=True, timeout=60)
            self.assertEqual(result.stdout.strip(), "True True True []", result.stderr)


if __name__ == "__main__":
    unittest.main()
