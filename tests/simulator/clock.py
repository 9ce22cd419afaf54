"""Simulated time.

Everything that takes time on a real server (Setup.exe steps, reboots, service starts)
asks this clock. `speed` scales simulated seconds into real ones: 0 for tests (instant),
a small fraction for the demo. `now()` is simulated wall time, so logs and boot times
advance by the modelled durations even when the real wait is zero.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone


class Clock:
    def __init__(self, speed: float = 0.0, start: datetime | None = None) -> None:
        self.speed = speed
        self._lock = threading.Lock()
        self._base_real = time.monotonic()
        self._base_sim = start or datetime.now(timezone.utc)
        self._offset = timedelta(0)

    def now(self) -> datetime:
        """Simulated current time (timezone-aware, UTC)."""
        with self._lock:
            elapsed = time.monotonic() - self._base_real
            return self._base_sim + timedelta(seconds=elapsed) + self._offset

    def advance(self, seconds: float) -> None:
        """Account for `seconds` of simulated work: jump simulated time and wait speed*seconds."""
        with self._lock:
            self._offset += timedelta(seconds=seconds)
        if self.speed > 0 and seconds > 0:
            time.sleep(seconds * self.speed)

    def real_seconds(self, simulated_seconds: float) -> float:
        """How long `simulated_seconds` of work takes in real time at this speed."""
        return max(0.0, simulated_seconds * self.speed)
