"""Progress of a long build: each stage's wall and CPU time on the build's output, so a slow stage shows
itself (CPU time too: on a shared machine wall time says as much about the neighbours as about the build)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


@contextmanager
def stage(name: str, out: TextIO) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    print(f"hrgraph build: {name} took {time.perf_counter() - wall:.1f} s (CPU {time.process_time() - cpu:.1f} s)",
          file=out, flush=True)
