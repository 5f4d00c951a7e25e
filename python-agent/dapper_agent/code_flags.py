"""A code object's `co_flags` bits (CPython's Include/cpython/code.h; the same values since 3.5).

Here rather than from `inspect`: from 3.14 importing `inspect` also imports `annotationlib`,
`ast` and `dis`, which the agent's first stop would otherwise pay for.
"""

CO_OPTIMIZED = 0x1
CO_NEWLOCALS = 0x2
CO_VARARGS = 0x4
CO_VARKEYWORDS = 0x8
CO_GENERATOR = 0x20
CO_COROUTINE = 0x80
CO_ITERABLE_COROUTINE = 0x100
CO_ASYNC_GENERATOR = 0x200
