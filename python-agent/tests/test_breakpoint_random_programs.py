"""The breakpoint oracle (test_breakpoint_oracle.py) on generated programs: for each seed, a
program of randomly nested statements must stop and step exactly where the interpreter's own
line events say, with breakpoints set before the start and while it runs. Fixed seeds, so a
failure names the program that shows it (`tests.random_programs.gen_program(seed)`)."""

import unittest

from tests import test_breakpoint_oracle as oracle
from tests.random_programs import gen_program

SEEDS = (3, 11, 27, 42, 58, 61)


class RandomProgramsTest(unittest.TestCase):
    def test_stops_and_steps_match_the_interpreter(self):
        saved = oracle.PROGRAMS
        try:
            for seed in SEEDS:
                oracle.PROGRAMS = {"seed %d" % seed: gen_program(seed)}
                with self.subTest(seed=seed):
                    checks = oracle.BreakpointOracleTest("test_breakpoints_set_before_the_program_starts")
                    checks._check("seed %d" % seed, while_running=False)
                    checks._check("seed %d" % seed, while_running=True)
                    checks.test_stepping_over_every_line_of_target()
        finally:
            oracle.PROGRAMS = saved


if __name__ == "__main__":
    unittest.main()
