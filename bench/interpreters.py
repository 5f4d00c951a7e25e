"""The CPython interpreters the Python benchmarks run on by default: pyenv's 3.9+ and the
3.14/3.15 that scripts/install-debian-pythons.sh installs, one per minor version, oldest first
(the same set scripts/pythons.mjs gives the test suites)."""

import glob
import os
import re


def installed_pythons():
    found = glob.glob(os.path.expanduser("~/.pyenv/versions/3.*/bin/python"))
    debian = os.environ.get("DEBIAN_PYTHONS_ROOT", "/opt/dapper-debian-pythons")
    found += glob.glob(os.path.join(debian, "usr", "bin", "python3.*-host"))
    by_minor = {}
    for python in sorted(found):
        minor = int(re.search(r"(?:/versions/|python)3\.(\d+)", python).group(1))
        if minor >= 9:
            by_minor.setdefault(minor, python)
    return [by_minor[minor] for minor in sorted(by_minor)]
