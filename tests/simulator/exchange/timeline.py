"""Events of a Setup.exe run laid out on simulated time and applied when that time has come.

A run's outcome is decided when it starts (faults, disk space, disabled services, readiness), so its duration and
exit code are known up front (the Windows model needs both); its effects (log lines, registry, services) are
applied lazily: `flush()` applies every event whose time has passed. Flushes happen when the run starts, when its
process ends (ProgramResult.on_exit), whenever the Exchange model is queried, and on each host poll when the
Windows model offers `poll_listeners`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable


@dataclass(order=True)
class Event:
    at: datetime
    seq: int
    action: Callable[[datetime], None] = field(compare=False)


class Timeline:
    def __init__(self, start: datetime) -> None:
        self.start = start
        self._events: list[Event] = []
        self._seq = 0
        self.done = False

    def add(self, offset_seconds: float, action: Callable[[datetime], None]) -> None:
        self._seq += 1
        self._events.append(Event(self.start + timedelta(seconds=offset_seconds), self._seq, action))
        self._events.sort()

    @property
    def end(self) -> datetime:
        return self._events[-1].at if self._events else self.start

    def flush(self, now: datetime) -> None:
        """Apply the events due at `now` (in order; an event may add later events)."""
        while self._events and self._events[0].at <= now:
            event = self._events.pop(0)
            event.action(event.at)
        if not self._events:
            self.done = True

    def finish(self) -> None:
        self.flush(datetime.max.replace(tzinfo=self.start.tzinfo))

    def abandon(self) -> None:
        """The process was killed: drop what has not happened."""
        self._events.clear()
        self.done = True
