"""Closures held only by live frames (issue #3): found through the frames' locals and cells,
patched in place when their free variables match, reported otherwise."""

import threading
import unittest

from dapper_agent.hotreload.frames import current_frames
from tests.test_hotreload_support import HotReloadRefused, ReloadTestCase


class ClosuresHeldByLiveFrames(ReloadTestCase):
    def stopped_in(self, function):
        """Run function(started, release) on a thread until it waits; returns finish() -> its result."""
        release = threading.Event()
        started = threading.Event()
        results = []
        thread = threading.Thread(target=lambda: results.append(function(started, release)))
        thread.start()
        self.assertTrue(started.wait(5))
        self.addCleanup(thread.join, 5)
        self.addCleanup(release.set)

        def finish():
            release.set()
            thread.join(5)
            self.assertEqual(len(results), 1, "the thread did not finish")
            return results[0]
        return finish

    def apply_while_stopped(self, module):
        frames = current_frames(skip_thread_ids=(threading.get_ident(),))
        return self.engine.reload(module.__file__, None, frames).body

    def test_a_closure_held_only_by_a_local_is_patched_and_counted(self):
        module = self.load("""
            def outer(started, release):
                n = 1
                def inner():
                    return "old", n
                cb = inner
                del inner  # only the local 'cb' holds the closure
                started.set()
                release.wait(5)
                return cb()
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            def outer(started, release):
                n = 1
                def inner():
                    return "new", n
                cb = inner
                del inner  # only the local 'cb' holds the closure
                started.set()
                release.wait(5)
                return cb()
        """)
        body = self.apply_while_stopped(module)
        self.assertEqual(finish(), ("new", 1))
        self.assertEqual(body["diagnostics"], [])
        self.assertEqual(body["patchedFunctions"], 2)  # outer (its nested code changed) and the closure
        self.assertEqual([frame["name"] for frame in body["staleFrames"]], ["outer"])

    def test_a_closure_whose_free_variables_changed_is_not_patched_and_says_where_it_is_held(self):
        module = self.load("""
            def outer(started, release):
                n = "n"
                m = "m"
                def inner():
                    return n
                cb = inner
                started.set()
                release.wait(5)
                return cb(), m
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            def outer(started, release):
                n = "n"
                m = "m"
                def inner():
                    return m
                cb = inner
                started.set()
                release.wait(5)
                return cb(), m
        """)
        body = self.apply_while_stopped(module)
        self.assertEqual(finish(), ("n", "m"))  # the old code, never the wrong cell
        self.assertEqual(self.codes(body), ["closure-freevars-changed"])
        diagnostic = body["diagnostics"][0]
        self.assertEqual((diagnostic["line"], diagnostic["severity"]), (4, "warning"))
        self.assertIn("'inner' now uses different variables", diagnostic["message"])
        self.assertIn("'inner' and 'cb' in outer()", diagnostic["message"])
        self.assertEqual(body["patchedFunctions"], 1)  # outer only: the closure was not patched
        self.assertIn("line 4: 'inner' now uses", body["warnings"][0])

    def test_callbacks_in_containers_partials_bound_methods_and_wrappers_held_by_locals_are_patched(self):
        module = self.load("""
            import functools
            def outer(started, release):
                base = 10
                def add(x):
                    return x + base
                def mul(x):
                    return x * base
                class Local:
                    def get(self):
                        return "old get"
                def logged(fn):
                    @functools.wraps(fn)
                    def wrapper(*args):
                        return fn(*args)
                    return wrapper
                @logged
                def decorated():
                    return "old decorated"
                handlers = [add]
                table = {"ops": (mul,)}
                part = functools.partial(add, 1)
                method = Local().get
                del add, mul, Local, logged  # reachable only through the containers and wrappers
                started.set()
                release.wait(5)
                return handlers[0](1), table["ops"][0](2), part(), method(), decorated()
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            import functools
            def outer(started, release):
                base = 10
                def add(x):
                    return x + base + 1
                def mul(x):
                    return x * base * 2
                class Local:
                    def get(self):
                        return "new get"
                def logged(fn):
                    @functools.wraps(fn)
                    def wrapper(*args):
                        return fn(*args)
                    return wrapper
                @logged
                def decorated():
                    return "new decorated"
                handlers = [add]
                table = {"ops": (mul,)}
                part = functools.partial(add, 1)
                method = Local().get
                del add, mul, Local, logged  # reachable only through the containers and wrappers
                started.set()
                release.wait(5)
                return handlers[0](1), table["ops"][0](2), part(), method(), decorated()
        """)
        body = self.apply_while_stopped(module)
        self.assertEqual(finish(), (12, 40, 12, "new get", "new decorated"))
        self.assertEqual(body["diagnostics"], [])
        self.assertEqual(body["patchedFunctions"], 5)  # outer, add, mul, Local.get, decorated

    def test_a_closure_in_a_suspended_generator_held_by_a_local_is_patched(self):
        module = self.load("""
            def outer(started, release):
                def producer():
                    n = 5
                    def inner():
                        return "old", n
                    yield "ready"
                    yield inner()
                gen = producer()
                next(gen)
                started.set()
                release.wait(5)
                return next(gen)
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            def outer(started, release):
                def producer():
                    n = 5
                    def inner():
                        return "new", n
                    yield "ready"
                    yield inner()
                gen = producer()
                next(gen)
                started.set()
                release.wait(5)
                return next(gen)
        """)
        body = self.apply_while_stopped(module)
        self.assertEqual(finish(), ("new", 5))
        self.assertEqual(self.codes(body), ["generator-running"])  # producer itself keeps its old code

    def test_a_closure_of_a_renamed_nested_function_is_reported(self):
        module = self.load("""
            def outer(started, release):
                def inner():
                    return "old"
                cb = inner
                started.set()
                release.wait(5)
                return cb()
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            def outer(started, release):
                def renamed():
                    return "new"
                cb = renamed
                started.set()
                release.wait(5)
                return cb()
        """)
        body = self.apply_while_stopped(module)
        self.assertEqual(finish(), "old")
        self.assertEqual(self.codes(body), ["closure-not-in-source"])
        diagnostic = body["diagnostics"][0]
        self.assertEqual((diagnostic["line"], diagnostic["severity"]), (2, "warning"))
        self.assertIn("'inner' is no longer defined", diagnostic["message"])
        self.assertIn("'inner' and 'cb' in outer()", diagnostic["message"])

    def test_a_failed_apply_restores_closures_held_by_frames(self):
        module = self.load("""
            import enum
            def outer(started, release):
                def inner():
                    return "old"
                cb = inner
                started.set()
                release.wait(5)
                return cb()
            class Color(enum.Enum):
                RED = 1
        """)
        finish = self.stopped_in(module.outer)
        self.edit(module, """
            import enum
            def outer(started, release):
                def inner():
                    return "new"
                cb = inner
                started.set()
                release.wait(5)
                return cb()
            class Color(enum.Enum):
                RED = 2
        """)
        with self.assertRaises(HotReloadRefused) as caught:
            self.apply_while_stopped(module)
        self.assertEqual(self.codes(caught.exception), ["apply-failed"])
        self.assertEqual(finish(), "old")

    def test_a_closure_held_by_the_main_frame_of_another_module_is_patched(self):
        helper = self.load("""
            def make():
                n = 1
                def inner():
                    return "old", n
                return inner
        """)
        user = self.load("""
            import {name}
            def run(started, release):
                cb = {name}.make()
                started.set()
                release.wait(5)
                return cb()
        """.replace("{name}", helper.__name__))
        finish = self.stopped_in(user.run)
        self.edit(helper, """
            def make():
                n = 1
                def inner():
                    return "new", n
                return inner
        """)
        body = self.apply_while_stopped(helper)
        self.assertEqual(finish(), ("new", 1))
        self.assertEqual(body["patchedFunctions"], 2)


if __name__ == "__main__":
    unittest.main()
