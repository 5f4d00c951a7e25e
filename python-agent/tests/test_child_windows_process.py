"""Windows child processes (windows_process.py): the command line CreateProcess gets is split as
the child's C runtime will split it, and the launcher is inserted before the program, with
everything else passed as written. No Windows machine here: CreateProcess itself is a
recording stand-in, called the way subprocess and multiprocessing call it."""

import random
import subprocess
import unittest

from dapper_agent.child_processes.windows_process import launcher_command_line, split_command_line, wrap_create_process

LAUNCHER = r"C:\Program Files\Dapper\python-agent\dapper_launcher.py"
INSERTED = r'"C:\Program Files\Dapper\python-agent\dapper_launcher.py" --host 127.0.0.1 --port 4000 --child -- '


def words(text):
    return [word for word, _, _ in split_command_line(text)]


class SplittingLikeTheCRuntime(unittest.TestCase):
    def test_documented_examples(self):
        # Microsoft's "Parsing C command-line arguments" table.
        self.assertEqual(words('prog "a b c" d e'), ["prog", "a b c", "d", "e"])
        self.assertEqual(words(r'prog "ab\"c" "\\" d'), ["prog", 'ab"c', "\\", "d"])
        self.assertEqual(words(r"prog a\\\b d" + '"e f"g h'), ["prog", r"a\\\b", "de fg", "h"])
        self.assertEqual(words(r'prog a\\\"b c d'), ["prog", r'a\"b', "c", "d"])
        self.assertEqual(words(r'prog a\\\\"b c" d e'), ["prog", r"a\\b c", "d", "e"])
        self.assertEqual(words('prog a"b"" c d'), ["prog", 'ab" c d'])

    def test_the_program_name_takes_no_escapes(self):
        self.assertEqual(words(r'"C:\Program Files\Python\python.exe" -u x.py'), [r"C:\Program Files\Python\python.exe", "-u", "x.py"])
        self.assertEqual(words("C:\\py\\python.exe\t-c  pass "), [r"C:\py\python.exe", "-c", "pass"])
        self.assertEqual(words(""), [])

    def test_reads_back_what_subprocess_writes(self):
        alphabet = ['a', ' ', '\t', '"', '\\', 'é', "'", '-']
        chooser = random.Random(7)
        for _ in range(2000):
            argv = ["python.exe"] + ["".join(chooser.choice(alphabet) for _ in range(chooser.randrange(0, 7)))
                                     for _ in range(chooser.randrange(0, 5))]
            line = subprocess.list2cmdline(argv)
            self.assertEqual(words(line), argv, line)

    def test_spans_cover_each_word_as_written(self):
        line = r'python.exe -X dev "my app.py" a\"b'
        self.assertEqual([line[start:end] for _, start, end in split_command_line(line)], ["python.exe", "-X", "dev", '"my app.py"', r'a\"b'])


def insert(line, application_name=None):
    return launcher_command_line(application_name, line, LAUNCHER, "127.0.0.1", 4000)


class InsertingTheLauncher(unittest.TestCase):
    def test_script_module_and_code(self):
        self.assertEqual(insert(r'C:\Python312\python.exe -u "my app.py" "two words" 7'),
                         r"C:\Python312\python.exe -u " + INSERTED + '"my app.py" "two words" 7')
        self.assertEqual(insert("python -m pkg.tool --flag"), "python " + INSERTED + "-m pkg.tool --flag")
        self.assertEqual(insert('pythonw.exe -c "print(1)"'), "pythonw.exe " + INSERTED + '-c "print(1)"')
        self.assertEqual(insert("python.exe -X dev -- w.py"), "python.exe -X dev -- " + INSERTED + "w.py")

    def test_multiprocessing_spawn_as_3_9_quotes_it(self):
        line = ('"C:\\Python39\\python.exe" "-c" "from multiprocessing.spawn import spawn_main; '
                'spawn_main(parent_pid=4, pipe_handle=8)" "--multiprocessing-fork"')
        rewritten = insert(line, application_name="C:\\Python39\\python.exe")
        self.assertEqual(rewritten, '"C:\\Python39\\python.exe" ' + INSERTED + line[len('"C:\\Python39\\python.exe" '):])
        self.assertEqual(words(rewritten)[1:9], [LAUNCHER, "--host", "127.0.0.1", "--port", "4000", "--child", "--", "-c"])

    def test_left_alone(self):
        for line in ("cmd.exe /c python x.py", "python.exe", "python -i", "python --version", "python -",
                     "python -uc pass", "notepad.exe python.exe x.py", "",
                     'python -c "from multiprocessing.resource_tracker import main;main(5)"'):
            self.assertIsNone(insert(line), line)
        self.assertIsNone(insert("x.py", application_name=r"C:\Windows\notepad.exe"))


class _WinApi:
    def __init__(self):
        self.calls = []

    def CreateProcess(self, *args):
        self.calls.append(args)
        return ("process", "thread", 42, 43)


class _Config:
    launcher, host, port, token = LAUNCHER, "127.0.0.1", 4000, "secret"


class TheWrapper(unittest.TestCase):
    def setUp(self):
        self.winapi = _WinApi()
        self.config = _Config()
        wrap_create_process(self.winapi, lambda: self.config, lambda env, token: dict(env or {}, TOKEN=token))

    def test_a_python_child_as_subprocess_starts_it(self):
        answer = self.winapi.CreateProcess(None, "python.exe w.py", None, None, 1, 0, {"A": "1"}, r"C:\work", None)
        self.assertEqual(answer, ("process", "thread", 42, 43))
        self.assertEqual(self.winapi.calls, [(None, "python.exe " + INSERTED + "w.py", None, None, 1, 0, {"A": "1", "TOKEN": "secret"}, r"C:\work", None)])

    def test_other_programs_and_no_debugger_pass_through(self):
        self.winapi.CreateProcess(None, "cmd.exe /c dir", None, None, 0, 0, None, None, None)
        self.config = None
        self.winapi.CreateProcess(None, "python.exe w.py", None, None, 0, 0, None, None, None)
        self.assertEqual(self.winapi.calls, [(None, "cmd.exe /c dir", None, None, 0, 0, None, None, None),
                                             (None, "python.exe w.py", None, None, 0, 0, None, None, None)])


if __name__ == "__main__":
    unittest.main()
