"""Import bodies that die the ways a reader can die, run in the real import child.

Each has :func:`paco.opendata.isolation.convert_file`'s signature; a test points
``isolation.IMPORT_TARGET`` at one of them. They run in the child process,
under its memory cap, never in the test process.
"""

from __future__ import annotations

import ctypes
import os
import signal
from collections.abc import Callable
from typing import Any


def abort(*, send: Callable[[Any], None], **kwargs: Any) -> Any:
    send((10, 100))
    os.abort()  # what a Rust or C++ reader does when an allocation fails


def segfault(*, send: Callable[[Any], None], **kwargs: Any) -> Any:
    send((10, 100))
    ctypes.string_at(0)  # reads address 0: SIGSEGV


def killed(*, send: Callable[[Any], None], **kwargs: Any) -> Any:
    send((10, 100))
    os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does


def exhaust_memory(*, send: Callable[[Any], None], **kwargs: Any) -> Any:
    """Keep allocating 64 MB blocks: the address-space cap stops it, not the machine."""
    blocks = []
    for _ in range(1024):  # 64 GB: far beyond any cap a test sets
        blocks.append(bytearray(64 * 1024 * 1024))
    return "ok", len(blocks)


def native_allocation(*, send: Callable[[Any], None], **kwargs: Any) -> Any:
    """A native library asking for a huge block (the hostile XLSX's 512 GB request)."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    if libc.malloc(512 * 1024**3) is None:  # refused by the cap: do as Rust does
        os.abort()
    return "ok", None
