"""Where CPython keeps the GIL switch interval in memory, for the doorbell (interval_doorbell.py).

CPython stores `sys.setswitchinterval`'s value as a C `unsigned long` of microseconds
(`interval` in `struct _gil_runtime_state`): in `_PyRuntime.ceval.gil` up to 3.11, in the main
interpreter's own `_gil` from 3.12, which `_PyRuntime` also holds. Its offset differs between
versions and builds, so it is found rather than assumed: the agent sets three distinct
intervals in turn and keeps the one word of `_PyRuntime`'s memory that followed all three.
Anything else (no `_PyRuntime` symbol, no /proc/self/maps, no word or more than one) means
"not found", and the doorbell is not offered; nothing is ever written to a word that was not
proven this way.

Linux only (the memory map comes from /proc); builds without the GIL have no interval to find.
Called by switch_interval.SwitchInterval under its lock, on an agent thread.
"""

import sys

# Three intervals (microseconds) no program is likely to have set, each different from the others.
_PROBES = (4987, 4986, 4989)
# Bounds the read of the runtime's memory: _PyRuntime is 12 KB (3.9) to about 750 KB (3.13).
_MAX_SCAN_BYTES = 16 << 20
_MAPS = "/proc/self/maps"


class NotFound(Exception):
    """Why the word could not be found; its message says so for the Debug Console."""


def _readable_span(start):
    """The end of the run of adjacent readable and writable mappings holding `start`."""
    end = None
    try:
        with open(_MAPS) as maps:
            for line in maps:
                fields = line.split()
                low, high = (int(bound, 16) for bound in fields[0].split("-"))
                writable = fields[1].startswith("rw")
                if end is None:
                    if low <= start < high:
                        if not writable:
                            break
                        end = high
                elif low == end and writable:
                    end = high
                elif low >= end:
                    break
    except OSError as error:
        raise NotFound("the process's memory map cannot be read ({})".format(error))
    if end is None:
        raise NotFound("the interpreter's runtime state is not in writable memory")
    return end


def locate(set_interval):
    """The address of the switch interval's word. `set_interval(seconds)` sets it (the caller's
    own setter, so that the value it keeps stays right); the caller restores its value after."""
    try:
        import ctypes
    except ImportError as error:  # a build without _ctypes
        raise NotFound("ctypes cannot be imported ({})".format(error))
    try:
        runtime = ctypes.addressof(ctypes.c_char.in_dll(ctypes.pythonapi, "_PyRuntime"))
    except (AttributeError, ValueError, OSError) as error:
        raise NotFound("this interpreter does not export _PyRuntime ({})".format(error))
    size = min(_readable_span(runtime) - runtime, _MAX_SCAN_BYTES)
    word = ctypes.c_ulong
    width = ctypes.sizeof(word)
    candidates = None
    for microseconds in _PROBES:
        set_interval((microseconds + 0.25) / 1e6)
        if candidates is None:
            memory = ctypes.string_at(runtime, size)
            pattern = bytes(word(microseconds))
            candidates = []
            at = memory.find(pattern)
            while at >= 0:
                if at % width == 0:
                    candidates.append(runtime + at)
                at = memory.find(pattern, at + 1)
        else:
            candidates = [address for address in candidates if word.from_address(address).value == microseconds]
    if len(candidates) != 1:
        raise NotFound("{} words of the runtime followed the switch interval, not one".format(len(candidates)))
    return candidates[0]


def holds(address, seconds):
    """Whether the word at `address` holds `seconds` as CPython stores it (whole microseconds)."""
    import ctypes

    return ctypes.c_ulong.from_address(address).value == round(seconds * 1e6)


def ring_bytes(microseconds):
    """What the doorbell's peer sends, and where in the word it lands: the low 32 bits of the
    word, so that only they are ever written (intervals under 71 minutes fit), as
    (offset into the word, bytes)."""
    import ctypes
    import struct

    width = ctypes.sizeof(ctypes.c_ulong)
    offset = 0 if sys.byteorder == "little" else width - 4
    return offset, struct.pack("=I", microseconds)
