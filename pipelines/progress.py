"""Progress lines for long work. The CLI installs a printer; under `dagster dev` lines go to the run log only."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

_printer: Callable[[str], None] | None = None
_started = time.monotonic()


def install_printer(printer: Callable[[str], None] | None = None) -> None:
    global _printer, _started
    _started = time.monotonic()
    _printer = printer or (lambda line: print(line, file=sys.stderr, flush=True))


def report(message: str) -> None:
    if _printer is not None:
        _printer(f"[{time.monotonic() - _started:6.1f}s] {message}")
