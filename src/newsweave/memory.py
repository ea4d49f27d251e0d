"""Memory the process holds free handed back to the system between a run's steps.

A long run frees most of what each corpus step built (dedup's candidates, the batch
stories' vectors, the settling sweep's tallies) before the next one grows, but glibc's
malloc keeps freed pages inside its arenas, one arena per thread that allocated them (the
Dask client's I/O thread unpickles every result, the main thread frees it), so the
process's resident size stays near the sum of the steps' peaks. ``malloc_trim(0)`` gives
every arena's free pages back. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc, or no C library found
        return None
    return trim


def release_freed_memory() -> None:
    """Hands the pages malloc holds free back to the system (a few milliseconds)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
