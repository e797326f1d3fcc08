"""How newsflow's processes hand memory back: large buffers in pages of their own, returned when freed.

glibc's malloc serves a request of 128 KiB or more with pages of its own (mmap), returned to the
system when freed, but every time such a buffer is freed it raises that threshold to the buffer's
size, up to 32 MiB. After the first long text, the texts, pickles and Arrow buffers of a few MB
that a run makes and frees by the hundred come from the heap instead, where what is freed in the
middle stays resident, free but never handed back. A fixed threshold of 1 MiB stops the rise (setting it turns
the adjustment off): a run of 100 files of 5 MB peaked at 431 MiB in the run process instead of
510, and the parse process at 153 MiB instead of 182, in about the same time (`bench.memory`).
"""

from __future__ import annotations

import ctypes
import os
import sys

MMAP_THRESHOLD = 1 << 20
"""Bytes from which an allocation gets pages of its own, returned to the system when freed."""

_ENV = "MALLOC_MMAP_THRESHOLD_"  # what glibc reads at a process's start: for the processes a run starts
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number, from glibc's malloc.h


def bound_heap() -> bool:
    """Fix glibc's mmap threshold at `MMAP_THRESHOLD` in this process and in those it starts.

    The environment is set for child processes (the parse process, worker processes), unless the
    user set the variable; this process is told through `mallopt`. A no-op on systems without
    glibc. Returns whether this process's threshold was set.
    """
    if not sys.platform.startswith("linux"):
        return False
    value = os.environ.setdefault(_ENV, str(MMAP_THRESHOLD))
    try:
        threshold = int(value)
    except ValueError:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library this interpreter runs on
    except (OSError, AttributeError):  # a C library without mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, threshold))
