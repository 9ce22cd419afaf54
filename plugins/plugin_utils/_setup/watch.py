# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Watching a detached Exchange setup run: one light call at a time, progress, and a lost connection.

Setup runs for an hour or more (exchange-facts §6.3: 60 min for a Mailbox install, up to
180 min for a CU) in a scheduled task (setup_runner.py). The controller watches it with one
`win_exchange_setup_status` call at a time (the task's state and exit code, setup processes,
the Exchange registry state, pending restart, and the lines ExchangeSetup.log gained since
the previous call). Each call waits on the server until setup has finished, checking every
second, or until its wait is over:

* The end of setup is seen about a second after it happens, however long the waits are.
* Back-off: the first call waits `FIRST_POLL_INTERVAL` seconds on the server, each wait is
  1.5 times the previous one, up to `poll_interval`; progress is read at least that often,
  and a long setup costs few calls (each ships its payload again).
* Progress: the log is followed from its size before the run (`SetupLogFollower`, complete
  lines only, so every byte of the run crosses the network once), triaged
  (`setup_log_triage.triage`) when it grows; a milestone is recorded whenever the phase, step
  or task in progress changes, and `on_phase` hears of each of setup's console phases once
  (`progress.SetupProgress`: "Fase 9/15 · Rol de buzón: servicios de transporte"), which the
  action prints without -v; the last phase reached is in the result (`reached`).
* A lost connection (the network, or setup restarting WinRM, exchange-facts §6.2) is not a
  failure: the call is retried with back-off after resetting the connection, until the
  run's deadline or `MAX_UNREACHABLE_SECONDS` without an answer. Setup itself is unaffected:
  it does not run in the WinRM shell.

Everything here is plain Python around injected callables (`status`, `reset`, `clock`,
`sleep`), so it is unit-tested without a server.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import clean_text, interpret
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import Position, SetupProgress
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import TaskState, task_state

# The least of ExchangeSetup.log kept for the triage (the option setup_log_tail_bytes may not be lower).
POLL_TAIL_BYTES = 65536
# The longest wait of one call on the server: how often progress is read, at the least. The end of setup does not
# wait for it (the server answers as soon as setup has finished).
DEFAULT_POLL_INTERVAL = 30.0
FIRST_POLL_INTERVAL = 2.0
# How often win_exchange_setup_status looks again while it waits (its $CHECK_MILLISECONDS).
SERVER_CHECK_SECONDS = 1.0
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


def read_status(raw: Mapping[str, Any], role: str = "Mailbox") -> tuple[dict[str, Any], TaskState]:
    """(facts, task state) of one `win_exchange_setup_status` answer: `interpret`'s facts (the Exchange and
    pending-restart parts; the log text is left to the caller) and the setup task."""
    facts = interpret(dict(raw), role)
    facts["setup_log"] = {key: value for key, value in (facts.get("setup_log") or {}).items() if key != "tail"}
    return facts, task_state(raw.get("task"))


class SetupLogFollower:
    """This run's part of ExchangeSetup.log, followed from a byte offset (`win_exchange_setup_status`'s
    `setup_log_from`): each answer adds the complete lines written since the previous one. The last `keep_bytes`
    characters are kept for the triage."""

    def __init__(self, offset: int = 0, keep_bytes: int = 1048576, text: str = ""):
        self.offset = max(0, int(offset))
        self.keep_bytes = max(1, int(keep_bytes))
        self.text = text[-self.keep_bytes:]
        self.skipped_bytes = 0
        self.restarted = False

    @classmethod
    def after(cls, facts: Mapping[str, Any] | None, keep_bytes: int) -> SetupLogFollower:
        """From the end of the log as it was before this run started: whatever it gains is this run's."""
        log = (facts or {}).get("setup_log") or {}
        return cls(int(log.get("size_bytes") or 0) if log.get("exists") else 0, keep_bytes)

    def feed(self, log: Mapping[str, Any] | None) -> bool:
        """Add one answer's `setup_log`; True when it brought new lines."""
        log = log or {}
        if not log.get("exists"):
            return False
        if log.get("restarted"):
            # The log was replaced (shorter than where we were): what it holds now is what this run wrote.
            self.restarted = True
            self.text = ""
        chunk = clean_text(str(log.get("tail") or ""))
        skipped = int(log.get("skipped_bytes") or 0)
        if skipped:
            # More was written than one answer carries: its end is all we get, and it does not continue what we had.
            self.skipped_bytes += skipped
            self.text = ""
        self.offset = int(log.get("read_to") or self.offset)
        if not chunk:
            return False
        self.text = (self.text + chunk)[-self.keep_bytes:]
        return True


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
    # Seconds between the last look that saw setup running and the look that saw it finished (the server looks every
    # SERVER_CHECK_SECONDS while a call waits).
    detection_window_seconds: float | None = None
    # The last of setup's console phases the log showed (None when it showed none).
    reached: Position | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "polls": self.polls, "elapsed_seconds": round(self.elapsed_seconds, 1),
                "milestones": [item.as_dict() for item in self.milestones], "interruptions": list(self.interruptions),
                "detail": self.detail, "task": self.task.as_dict() if self.task else None,
                "detection_window_seconds": None if self.detection_window_seconds is None
                else round(self.detection_window_seconds, 1),
                "reached": self.reached.as_dict() if self.reached else None}


class SetupWatcher:
    """Calls `status(wait_seconds, log_offset)` until the setup task has finished, the run's time is up, or the server
    can't be reached any more. `status` returns a `win_exchange_setup_status` answer that waited on the server up to
    `wait_seconds` and read the log from `log_offset`."""

    def __init__(self, status: Callable[[float, int], Mapping[str, Any]], retrier: Retrier, *, role: str = "Mailbox",
                 log: SetupLogFollower | None = None, started_at: float, timeout: float,
                 poll_interval: float = DEFAULT_POLL_INTERVAL, first_interval: float = FIRST_POLL_INTERVAL,
                 start_grace: float = START_GRACE_SECONDS, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep, on_progress: Callable[[Milestone], None] | None = None,
                 on_poll: Callable[[int, dict[str, Any]], None] | None = None, phases: SetupProgress | None = None,
                 on_phase: Callable[[Position], None] | None = None):
        self.status = status
        self.retrier = retrier
        self.role = role
        self.log = log if log is not None else SetupLogFollower()
        self.started_at = started_at
        self.deadline = started_at + timeout
        self.backoff = Backoff(first_interval, poll_interval)
        self.start_grace = start_grace
        self.clock = clock
        self.sleep = sleep
        self.on_progress = on_progress
        self.on_poll = on_poll
        self.progress = ProgressTracker()
        self.phases = phases if phases is not None else SetupProgress(None, role)
        self.on_phase = on_phase
        self.retrier.deadline = self.deadline

    def _result(self, status: str, **values: Any) -> WatchResult:
        return WatchResult(status, polls=values.pop("polls"), elapsed_seconds=self.clock() - self.started_at,
                           milestones=list(self.progress.milestones), interruptions=list(self.retrier.interruptions),
                           reached=self.phases.current, **values)

    def watch(self) -> WatchResult:
        polls = 0
        facts: dict[str, Any] | None = None
        run_triage: dict[str, Any] | None = None
        last_running: float | None = None
        while True:
            now = self.clock()
            if now >= self.deadline:
                return self._result(TIMED_OUT, polls=polls, facts=facts, run_triage=run_triage)
            wait = max(0.0, min(self.backoff.next(), self.deadline - now))
            offset = self.log.offset
            try:
                raw = self.retrier.call(lambda: self.status(wait, offset), "win_exchange_setup_status")
            except GaveUp as gave_up:
                return self._result(gave_up.reason, polls=polls, facts=facts, run_triage=run_triage, detail=str(gave_up))
            answered = self.clock()
            polls += 1
            facts, state = read_status(raw, self.role)
            if self.log.feed(raw.get("setup_log")):
                run_triage = triage(self.log.text)
                milestone = self.progress.update(run_triage, answered - self.started_at)
                if milestone is not None and self.on_progress is not None:
                    self.on_progress(milestone)
                position = self.phases.observe(run_triage.get("progress"), answered - self.started_at, self.log.text)
                if position is not None and self.on_phase is not None:
                    self.on_phase(position)
            if self.on_poll is not None:
                self.on_poll(polls, facts)
            # The server's last look that saw setup running came at most one check before the look that saw it end.
            waited = float(raw.get("waited_seconds") or 0.0)
            window = None if last_running is None else (min(SERVER_CHECK_SECONDS, waited) if waited > 0 else answered - last_running)
            if facts["exchange"].get("setup_running") or state.running:
                last_running = answered
            elif not state.exists:
                return self._result(TASK_VANISHED, polls=polls, facts=facts, run_triage=run_triage, task=state,
                                    detection_window_seconds=window)
            elif state.finished:
                return self._result(FINISHED, polls=polls, facts=facts, run_triage=run_triage, task=state,
                                    detection_window_seconds=window)
            elif not state.has_run and answered - self.started_at >= self.start_grace:
                return self._result(NOT_STARTED, polls=polls, facts=facts, run_triage=run_triage, task=state)
            # The server answers early only when setup has finished: an early answer that says otherwise (setup between
            # two processes, a server that could not wait) is followed by the rest of the wait here, never by a busy loop.
            rest = wait - waited - (self.clock() - answered)
            if rest > 0:
                self.sleep(min(rest, max(0.0, self.deadline - self.clock())))
