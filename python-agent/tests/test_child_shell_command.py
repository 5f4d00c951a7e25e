"""Shell command lines (shell=True, os.popen, sh -c) that start a Python program: the launcher is
inserted before the program, and everything else in the line is left to the shell as written."""

import os
import subprocess
import sys
import tempfile
import unittest

from dapper_agent.child_processes.shell_command import insert_launcher, is_shell, launcher_shell_argv

LAUNCHER = "/agent dir/dapper_launcher.py"
INSERTED = "'/agent dir/dapper_launcher.py' --host 127.0.0.1 --port 4000 --child -- "


def insert(command):
    return insert_launcher(command, LAUNCHER, "127.0.0.1", 4000)


class Shells(unittest.TestCase):
    def test_shell_names(self):
        for name in ("/bin/sh", "sh", "/usr/bin/bash", "dash", b"/bin/zsh"):
            self.assertTrue(is_shell(name), name)
        for name in ("python3", "/bin/shx", "fish", "", None):
            self.assertFalse(is_shell(name), name)


class Inserting(unittest.TestCase):
    def test_script_with_arguments_and_redirection(self):
        self.assertEqual(insert("python3 work.py 7 > out.txt"), "python3 " + INSERTED + "work.py 7 > out.txt")

    def test_options_stay_before_the_launcher(self):
        self.assertEqual(insert("/venv/bin/python -u -W ignore -X dev w.py"), "/venv/bin/python -u -W ignore -X dev " + INSERTED + "w.py")

    def test_quoted_program_code_and_module(self):
        self.assertEqual(insert('python3 "my script.py" a'), "python3 " + INSERTED + '"my script.py" a')
        self.assertEqual(insert("python3 -c 'print(1)'"), "python3 " + INSERTED + "-c 'print(1)'")
        self.assertEqual(insert("python3 -m pkg.tool $HOME"), "python3 " + INSERTED + "-m pkg.tool $HOME")

    def test_assignments_exec_and_double_dash(self):
        self.assertEqual(insert("  A=1 B=two exec python3 w.py"), "  A=1 B=two exec python3 " + INSERTED + "w.py")
        self.assertEqual(insert("python3 -O -- w.py"), "python3 -O -- " + INSERTED + "w.py")

    def test_after_plain_commands_joined_by_separators(self):
        self.assertEqual(insert("cd /srv/app && python3 w.py"), "cd /srv/app && python3 " + INSERTED + "w.py")
        self.assertEqual(insert("export MODE=1; cd app || exit 1\n  python3 -u w.py a"),
                         "export MODE=1; cd app || exit 1\n  python3 -u " + INSERTED + "w.py a")
        self.assertEqual(insert("source venv/bin/activate && exec python w.py"), "source venv/bin/activate && exec python " + INSERTED + "w.py")

    def test_after_commands_with_quotes_variables_redirections_and_pipes(self):
        for before in ('cd "my app" && ', "cd $APP && ", "cd ${APP:-.}; ", "cat input | ", "cat input |& ",
                       "echo 'it'\\''s' > log 2>&1 && ", 'echo "$USER, \\"hi\\"" >> "log file"; ', "sleep 1 & ",
                       "test -f x &> /dev/null || ", "a\\ b && "):
            self.assertEqual(insert(before + "python3 -u w.py"), before + "python3 -u " + INSERTED + "w.py", before)

    def test_quoted_assignments_before_the_interpreter(self):
        self.assertEqual(insert("""MODE="a b" NAME='x' python3 w.py"""), """MODE="a b" NAME='x' python3 """ + INSERTED + "w.py")

    def test_only_the_first_command_of_a_list(self):
        self.assertEqual(insert("python3 a.py && python3 b.py"), "python3 " + INSERTED + "a.py && python3 b.py")

    def test_left_alone(self):
        for command in (
            "ls -l",
            "cd $(mktemp -d) && python3 w.py",
            "cd `pwd` && python3 w.py",
            '"$(which python3)" w.py',
            "(cd app) && python3 w.py",
            "cat <<END | python3 w.py",
            "# a comment\npython3 w.py",
            'echo hi && "python3" w.py',
            "echo hi && py\\thon3 w.py",
            "true; " * 9 + "python3 w.py",
            '"python3" w.py',
            "$PYTHON w.py",
            "python3",
            "python3 -i",
            "python3 --version",
            "python3 - < script.py",
            "python3 | cat",
            "python3 -uc 'print(1)'",
            "python2 w.py",
        ):
            self.assertIsNone(insert(command), command)

    def test_argv_shape(self):
        self.assertEqual(launcher_shell_argv(["/bin/sh", "-c", "python3 w.py", "name"], LAUNCHER, "127.0.0.1", 4000), ["/bin/sh", "-c", "python3 " + INSERTED + "w.py", "name"])
        self.assertIsNone(launcher_shell_argv(["/bin/sh", "script.sh"], LAUNCHER, "127.0.0.1", 4000))
        self.assertIsNone(launcher_shell_argv(["/bin/sh", "-c", "echo hi"], LAUNCHER, "127.0.0.1", 4000))


class TheShellRunsTheRewrittenLine(unittest.TestCase):
    """The inserted text means to the shell what we meant: the launcher gets our arguments and the
    program its own, with the user's quoting, variables and redirections intact."""

    def test_a_real_shell(self):
        with tempfile.TemporaryDirectory() as folder:
            launcher = os.path.join(folder, "fake launcher.py")
            with open(launcher, "w") as file:
                file.write("import sys\nprint(repr(sys.argv[1:]))\n")
            command = 'cd "%s" && echo "$GREETING" | MODE="a child" %s -u "%s" "two words" $GREETING > "%s"' % (
                folder, sys.executable, "prog.py", os.path.join(folder, "out"))
            rewritten = insert_launcher(command, launcher, "127.0.0.1", 4000)
            env = dict(os.environ, GREETING="hi")
            subprocess.run(["/bin/sh", "-c", rewritten], check=True, env=env)
            with open(os.path.join(folder, "out")) as file:
                seen = file.read().strip()
        self.assertEqual(seen, repr(["--host", "127.0.0.1", "--port", "4000", "--child", "--", "prog.py", "two words", "hi"]))


if __name__ == "__main__":
    unittest.main()
