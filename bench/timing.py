"""What the benchmarks share: timing a call several times (``bench/run.py`` puts the repository
root on the path, so the suites import this as ``bench.timing``)."""
from __future__ import annotations

import time


def timed(fn, repeat: int) -> list[float]:
    """The wall time, in seconds, of each of ``repeat`` calls of ``fn``."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples
