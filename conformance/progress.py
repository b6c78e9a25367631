"""Progress of a long run: phase, requests, current pace, time waited for the quota, ETA.

Against a rate-limited target a run takes minutes, and pytest alone shows one silent dot per test
(Schemathesis is a single test). A background thread prints a line every ``interval`` seconds to
the terminal the runner started on (a duplicate of its stderr taken before pytest captures
output); a run that ends sooner prints nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import TextIO

from conformance.session import Run

__all__ = ["Progress", "progress_line"]


def _clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def progress_line(run: Run, now: float) -> str:
    """One line: where the run is and how fast it goes."""
    traffic = run.chokepoint.traffic
    pace = traffic.pace()
    sent = traffic.sent
    expected = run.profile.request_budget or run.profile.expected_requests
    if pace > 0 and sent < expected:
        eta = f"ETA ~{_clock_text((expected - sent) / pace)} (for ~{expected} requests)"
    else:
        eta = "ETA: finishing"
    parts = [
        f"[conformance {_clock_text(now - run.started)}]",
        run.phase,
        f"{sent} requests",
        f"{pace:.1f} req/s ({run.chokepoint.governor.describe()})",
    ]
    governor = run.chokepoint.governor
    if governor.waiting:
        parts.append("waiting for the rate-limit window to reset")
    if governor.waited_s >= 1:
        parts.append(f"waited {governor.waited_s:.0f} s for the quota so far")
    return " | ".join([*parts, eta])


class Progress:
    """Prints :func:`progress_line` every ``interval`` seconds while the block runs."""

    def __init__(
        self,
        run: Run,
        stream: TextIO,
        *,
        interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._run = run
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="conformance-progress", daemon=True)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            self._stream.write(progress_line(self._run, self._clock()) + "\n")
            self._stream.flush()

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def terminal_stream() -> TextIO:
    """A writer on the process's current stderr that pytest's output capturing cannot redirect."""
    return os.fdopen(os.dup(2), "w", encoding="utf-8", errors="replace", buffering=1)
