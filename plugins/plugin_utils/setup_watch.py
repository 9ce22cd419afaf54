# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a detached Exchange setup run: polling with back-off, progress, and a lost connection.

Setup runs for an hour or more (exchange-facts §6.3: 60 min for a Mailbox install, up to
180 min for a CU) in a scheduled task (setup_runner.py). The controller watches it with one
light `win_exchange_probe` call per poll (setup processes, Exchange registry state, the
tail of ExchangeSetup.log, pending reboot) and, only when setup's processes are gone, one
`win_scheduled_task_stat` call for the exit code.

* Back-off: the first poll comes after `FIRST_POLL_INTERVAL` seconds, each wait is 1.5
  times the previous one, up to `poll_interval`. Completion is therefore seen at most one
  `poll_interval` (plus one probe) after setup ends.
* Progress: each poll triages the log tail (`setup_log_triage.triage`) and records a
  milestone whenever the phase, step or task in progress changes.
* A lost connection (the network, or setup restarting WinRM, exchange-facts §6.2) is not a
  failure: the call is retried with back-off after resetting the connection, until the
  run's deadline or `MAX_UNREACHABLE_SECONDS` without an answer. Setup itself is unaffected:
  it does not run in the WinRM shell.

Everything here is plain Python around injected callables (`probe`, `task_stat`, `reset`,
`clock`, `sleep`), so it is unit-tested without a server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.server_facts import clean_text, interpret, probe_arguments
from ansible_collections.rpi.exchange.plugins.plugin_utils.setup_log_triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils.setup_runner import TaskState, task_state

POLL_TAIL_BYTES = 65536
DEFAULT_POLL_INTERVAL = 10.0
FIRST_POLL_INTERVAL = 2.0
BACKOFF_FACTOR = 1.5
# ExchangeDsc waits 60 s for ExSetup to appear [S5]; a task that has not started after this long never will.
START_GRACE_SECONDS = 120.0
# Longer than any WinRM restart or network blip: after this long without an answer the run is reported lost.
MAX_UNREACHABLE_SECONDS = 1800.0
# A probe that answers but fails this many times in a row is broken, not unlucky.
MAX_FAILED_CALLS = 5

FINISHED = "finished"
TIMED_OUT = "timeout"
UNREACHABLE = "unreachable"
NOT_STARTED = "not_started"
CALL_FAILED = "call_failed"
TASK_VANISHED = "task_vanished"
WATCH_STATUSES = (FINISHED, TIMED_OUT, UNREACHABLE, NOT_STARTED, CALL_FAILED, TASK_VANISHED)


class Backoff:
    """Waits that grow by `factor` from `initial` to `maximum`; `reset()` starts over."""

    def __init__(self, initial: float, maximum: float, factor: float = BACKOFF_FACTOR):
        if maximum <= 0:
            raise ValueError("the poll interval must be more than 0 seconds")
        self.maximum = float(maximum)
        self.initial = min(float(initial), self.maximum) if initial > 0 else self.maximum
        self.factor = max(1.0, float(factor))
        self._next = self.initial

    def next(self) -> float:
        wait = self._next
        self._next = min(self.maximum, self._next * self.factor)
        return wait

    def reset(self) -> None:
        self._next = self.initial


def poll_probe_arguments(role: str = "Mailbox", tail_bytes: int = POLL_TAIL_BYTES) -> dict[str, Any]:
    """`win_exchange_probe` arguments for a poll: the full probe without the Windows feature, prerequisite and
    uninstall-entry lookups (slow on a real server, and setup does not change them in a way the watch needs)."""
    arguments = probe_arguments(role, tail_bytes)
    arguments.update(feature_names=[], registry_keys=[], uninstall_display_names=[])
    return arguments


def read_probe(raw: Mapping[str, Any], role: str = "Mailbox") -> tuple[dict[str, Any], dict[str, Any] | None]:
    """(facts, triage of the log tail or None): `interpret` plus the triage, with the raw tail removed."""
    facts = interpret(dict(raw), role)
    tail = clean_text(facts["setup_log"].pop("tail", "") or "")
    return facts, (triage(tail) if tail else None)


@dataclass(frozen=True)
class LogMark:
    """ExchangeSetup.log as it was before this run started: whatever the log says afterwards is new only if it grew."""

    exists: bool = False
    size_bytes: int = 0
    last_run_started: str | None = None

    @classmethod
    def of(cls, facts: Mapping[str, Any] | None) -> LogMark:
        log = (facts or {}).get("setup_log") or {}
        last = log.get("last_run") or {}
        return cls(bool(log.get("exists")), int(log.get("size_bytes") or 0), last.get("last_run_started"))

    def is_new(self, facts: Mapping[str, Any], run_triage: Mapping[str, Any] | None) -> bool:
        """Whether the log now shows a run after this mark (it grew, or was replaced by another run's log)."""
        log = facts.get("setup_log") or {}
        if not log.get("exists"):
            return False
        size = int(log.get("size_bytes") or 0)
        if size > self.size_bytes:
            return True
        started = (run_triage or {}).get("last_run_started")
        return bool(started) and started != self.last_run_started and size != self.size_bytes


@dataclass(frozen=True)
class Milestone:
    """Where setup was when a poll saw something new in its log."""

    elapsed_seconds: float
    phase: str | None
    step: str | None
    task: str | None
    log_time: str | None = None

    @property
    def label(self) -> str:
        return self.step or self.task or self.phase or "?"

    def as_dict(self) -> dict[str, Any]:
        return {"elapsed_seconds": round(self.elapsed_seconds, 1), "phase": self.phase, "step": self.step,
                "task": self.task, "log_time": self.log_time}

    def text(self, language: str = "es") -> str:
        seconds = int(self.elapsed_seconds)
        clock = f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
        phase = {"prerequisites": ("comprobación de requisitos", "prerequisite check"),
                 "configuration": ("configuración", "configuration")}.get(self.phase or "", (self.phase or "", self.phase or ""))
        logged = f" ({self.log_time.replace('T', ' ')})" if self.log_time else ""
        if language == "es":
            return f"Setup, {clock} transcurrido: {phase[0] or 'en curso'} - {self.label}{logged}"
        return f"Setup, {clock} elapsed: {phase[1] or 'running'} - {self.label}{logged}"


class ProgressTracker:
    """Keeps one milestone per change of (phase, step, task)."""

    def __init__(self, limit: int = 200):
        self.milestones: list[Milestone] = []
        self.limit = limit
        self._last: tuple[Any, ...] | None = None

    def update(self, run_triage: Mapping[str, Any] | None, elapsed: float) -> Milestone | None:
        progress = (run_triage or {}).get("progress") or {}
        key = (progress.get("phase"), progress.get("step"), progress.get("task"))
        if not any(key) or key == self._last:
            return None
        self._last = key
        milestone = Milestone(elapsed, *key, log_time=(run_triage or {}).get("last_entry_time"))
        if len(self.milestones) >= self.limit:
            del self.milestones[1]  # keep the first one and the most recent ones
        self.milestones.append(milestone)
        return milestone

    @property
    def current(self) -> Milestone | None:
        return self.milestones[-1] if self.milestones else None


class GaveUp(Exception):
    """A call kept failing: `reason` is TIMED_OUT, UNREACHABLE or CALL_FAILED."""

    def __init__(self, reason: str, what: str, detail: str):
        super().__init__(f"{what}: {detail}")
        self.reason = reason
        self.what = what
        self.detail = detail


def _short(error: BaseException | str) -> str:
    text = str(error).strip() or type(error).__name__
    lines = [line for line in text.splitlines() if line.strip()]
    return (lines[-1] if lines else text)[:300]


class Retrier:
    """Calls a module through a connection that may drop; resets the connection and backs off between attempts.

    `call` returns the module's result. An exception or an `unreachable` result is a lost
    connection: retried until `deadline` (clock time) or `max_unreachable` seconds without an
    answer. A `failed` result is retried `max_failed` times in a row when `retry_failed`.
    """

    def __init__(self, reset: Callable[[], None], *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, deadline: float | None = None,
                 max_unreachable: float = MAX_UNREACHABLE_SECONDS, max_failed: int = MAX_FAILED_CALLS,
                 max_wait: float = 10.0, on_interruption: Callable[[str, str], None] | None = None):
        self.reset = reset
        self.clock = clock
        self.sleep = sleep
        self.deadline = deadline
        self.max_unreachable = max_unreachable
        self.max_failed = max_failed
        self.max_wait = max_wait
        self.on_interruption = on_interruption
        self.interruptions: list[dict[str, Any]] = []
        self._started = clock()

    def _out_of_time(self, lost_since: float) -> str | None:
        now = self.clock()
        if self.deadline is not None and now >= self.deadline:
            return TIMED_OUT
        if now - lost_since >= self.max_unreachable:
            return UNREACHABLE
        return None

    def call(self, function: Callable[[], Mapping[str, Any]], what: str, *, retry_failed: bool = True) -> Mapping[str, Any]:
        backoff = Backoff(1.0, self.max_wait, 2.0)
        lost_since: float | None = None
        failures = 0
        while True:
            try:
                result = function()
                problem = (result.get("msg") or "unreachable") if result.get("unreachable") else None
            except Exception as error:  # pylint: disable=broad-exception-caught  # a dropped connection has many types
                result, problem = {}, f"{type(error).__name__}: {_short(error)}"
            if problem is None:
                if not result.get("failed") or not retry_failed:
                    return result
                failures += 1
                if failures >= self.max_failed:
                    raise GaveUp(CALL_FAILED, what, _short(str(result.get("msg") or "failed")))
            else:
                lost_since = self.clock() if lost_since is None else lost_since
                self.interruptions.append({"elapsed_seconds": round(self.clock() - self._started, 1), "call": what,
                                           "error": problem})
                if self.on_interruption is not None:
                    self.on_interruption(what, problem)
                try:
                    self.reset()
                except Exception:  # pylint: disable=broad-exception-caught  # the next call reconnects or fails again
                    pass
                reason = self._out_of_time(lost_since)
                if reason is not None:
                    raise GaveUp(reason, what, problem)
            wait = backoff.next()
            if self.deadline is not None:
                wait = max(0.0, min(wait, self.deadline - self.clock()))
            self.sleep(wait)


@dataclass
class WatchResult:
    status: str
    facts: dict[str, Any] | None = None  # the last probe's facts
    run_triage: dict[str, Any] | None = None  # the last triage of this run's log (None when the log shows no new run)
    task: TaskState | None = None
    polls: int = 0
    elapsed_seconds: float = 0.0
    milestones: list[Milestone] = field(default_factory=list)
    interruptions: list[dict[str, Any]] = field(default_factory=list)
    detail: str = ""
    # Seconds between the last poll that saw setup running and the poll that saw it finished.
    detection_window_seconds: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "polls": self.polls, "elapsed_seconds": round(self.elapsed_seconds, 1),
                "milestones": [item.as_dict() for item in self.milestones], "interruptions": list(self.interruptions),
                "detail": self.detail, "task": self.task.as_dict() if self.task else None,
                "detection_window_seconds": None if self.detection_window_seconds is None
                else round(self.detection_window_seconds, 1)}


class SetupWatcher:
    """Polls until the setup task has finished, the run's time is up, or the server can't be reached any more."""

    def __init__(self, probe: Callable[[], Mapping[str, Any]], task_stat: Callable[[], Mapping[str, Any]],
                 retrier: Retrier, *, role: str = "Mailbox", log_mark: LogMark | None = None, started_at: float,
                 timeout: float, poll_interval: float = DEFAULT_POLL_INTERVAL, first_interval: float = FIRST_POLL_INTERVAL,
                 start_grace: float = START_GRACE_SECONDS, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, on_progress: Callable[[Milestone], None] | None = None,
                 on_poll: Callable[[int, dict[str, Any]], None] | None = None):
        self.probe = probe
        self.task_stat = task_stat
        self.retrier = retrier
        self.role = role
        self.log_mark = log_mark
        self.started_at = started_at
        self.deadline = started_at + timeout
        self.backoff = Backoff(first_interval, poll_interval)
        self.start_grace = start_grace
        self.clock = clock
        self.sleep = sleep
        self.on_progress = on_progress
        self.on_poll = on_poll
        self.progress = ProgressTracker()
        self.retrier.deadline = self.deadline

    def _result(self, status: str, **values: Any) -> WatchResult:
        return WatchResult(status, polls=values.pop("polls"), elapsed_seconds=self.clock() - self.started_at,
                           milestones=list(self.progress.milestones), interruptions=list(self.retrier.interruptions),
                           **values)

    def watch(self) -> WatchResult:
        polls = 0
        facts: dict[str, Any] | None = None
        run_triage: dict[str, Any] | None = None
        last_running: float | None = None
        while True:
            now = self.clock()
            if now >= self.deadline:
                return self._result(TIMED_OUT, polls=polls, facts=facts, run_triage=run_triage)
            self.sleep(max(0.0, min(self.backoff.next(), self.deadline - now)))
            try:
                raw = self.retrier.call(self.probe, "win_exchange_probe")
            except GaveUp as gave_up:
                return self._result(gave_up.reason, polls=polls, facts=facts, run_triage=run_triage, detail=str(gave_up))
            polls += 1
            facts, log_triage = read_probe(raw, self.role)
            if self.log_mark is None or self.log_mark.is_new(facts, log_triage):
                run_triage = log_triage
                milestone = self.progress.update(run_triage, self.clock() - self.started_at)
                if milestone is not None and self.on_progress is not None:
                    self.on_progress(milestone)
            if self.on_poll is not None:
                self.on_poll(polls, facts)
            if facts["exchange"].get("setup_running"):
                last_running = self.clock()
                continue
            try:
                state = task_state(self.retrier.call(self.task_stat, "win_scheduled_task_stat"))
            except GaveUp as gave_up:
                return self._result(gave_up.reason, polls=polls, facts=facts, run_triage=run_triage, detail=str(gave_up))
            window = None if last_running is None else self.clock() - last_running
            if not state.exists:
                return self._result(TASK_VANISHED, polls=polls, facts=facts, run_triage=run_triage, task=state,
                                    detection_window_seconds=window)
            if state.finished:
                return self._result(FINISHED, polls=polls, facts=facts, run_triage=run_triage, task=state,
                                    detection_window_seconds=window)
            if state.running:
                last_running = self.clock()
                continue
            if not state.has_run and self.clock() - self.started_at >= self.start_grace:
                return self._result(NOT_STARTED, polls=polls, facts=facts, run_triage=run_triage, task=state)
