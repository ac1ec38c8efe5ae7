"""One run at a time per output folder: an exclusive OS file lock on ``<out>/.cache/run.lock``.

Two runs writing to one ``--out`` would delete each other's temporary files and cache entries.
The lock is held from before the batch until the outputs are written; a second run waits for
it (``on_wait`` is told once), or, asked not to wait, stops at once (:class:`OutputInUse`). The lock belongs to the main process only:
forked workers close their copy, so it goes with the main process however that ends (the
kernel releases a flock when the last descriptor is closed, also on SIGKILL). The lock file
itself stays; removing it would let a third run lock a different file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..files import file_mode

LOCK_FILE = Path(".cache") / "run.lock"

_held: set[int] = set()  # descriptors of the locks this process holds


def _close_in_child() -> None:
    for fd in _held:
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


class OutputInUse(Exception):
    """Another run holds the lock on the output folder."""

    def __init__(self, out: Path) -> None:
        super().__init__(f"another afspraken run is writing to {out}; try again when it has finished")
        self.out = out


@contextmanager
def output_lock(out: Path, wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the lock on ``out`` for the duration. When another run holds it: with ``wait``,
    call it once and wait for the lock; without, raise :class:`OutputInUse`."""
    path = out / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, file_mode())
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if wait is None:
                raise OutputInUse(out) from None
            wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        _held.add(fd)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)
