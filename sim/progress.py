"""Progress for long commands: one line per stage on stderr, with elapsed seconds.

Library functions take a ``progress`` callback (a text per stage, or None); the CLI passes
a :class:`StageProgress`, so nothing prints on import or inside the library by itself.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType


class StageProgress:
    """Callable progress reporter: ``progress("calibrating")`` prints ``[  3.1 s] calibrating``."""

    def __init__(self, title: str, *, stream=None) -> None:
        self.title = title
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()

    def __call__(self, stage: str) -> None:
        elapsed = time.perf_counter() - self.start
        print(f"[{elapsed:6.1f} s] {self.title}: {stage}", file=self.stream, flush=True)

    def __enter__(self) -> StageProgress:
        self.start = time.perf_counter()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self("done")
