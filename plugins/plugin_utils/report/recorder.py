# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What happened during a run, activity by activity, in the report document.

The callback turns ansible's events into the calls below; this class knows nothing of
ansible's objects, which keeps it testable with plain dicts. `document()` is what gets
written: statuses refreshed and every string scrubbed of secrets.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import ACTIVITY_BY_NUMBER
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import document as doc
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import RESULT_KEY, normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.failure import describe_failure, failure_summary
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import iso, seconds_between, to_plain
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import MIN_SECRET_LENGTH, SHORT, WORD, Scrubber, not_searched_notice

MAX_TASKS_LISTED = 300
MAX_EVIDENCE = 500
MAX_HOSTS = 20
REBOOT_ACTIONS = frozenset(("reboot", "win_reboot", "ansible.builtin.reboot", "ansible.windows.win_reboot",
                            "server_restart", "rpi.exchange.server_restart"))
# What each task outcome adds to an activity's counters (`ok` includes `changed`, as in ansible's recap).
_COUNTED = {"ok": ("ok",), "changed": ("ok", "changed"), "failed": ("failed",), "skipped": ("skipped",),
            "unreachable": ("unreachable",), "ignored": ("ignored",), "rescued": ("rescued",)}
TASK_OUTCOMES = tuple(_COUNTED)


@dataclasses.dataclass(frozen=True)
class TaskInfo:
    """A task as the report sees it: which activity it serves, if any."""

    uuid: str
    name: str
    action: str
    activity: int | None  # the activity of the nearest procedure role above the task
    in_role: bool  # inside some role (a helper role stays in the current activity)


class RunRecorder:
    def __init__(self, run: dict[str, t.Any], language: str, timezone: str, scrubber: Scrubber | None = None,
                 earlier_run: t.Callable[[str | None], dict[str, t.Any] | None] | None = None) -> None:
        # Finds the earlier run a resumed run continues (report/earlier_runs.py); none in unit tests.
        self._earlier_run = earlier_run
        self.scrubber = scrubber or Scrubber()
        self.warnings: list[str] = []
        self._doc = doc.new_document(run, language, timezone)
        self._current: int | None = None
        self._closed: set[int] = set()
        self._task_started: dict[str, str] = {}
        self._explicit_host = False
        self._finalized = False

    # -- structure ---------------------------------------------------------------------------

    def _activity(self, number: int | None) -> dict[str, t.Any] | None:
        if number is None or number not in ACTIVITY_BY_NUMBER:
            return None
        return self._doc["activities"][number - 1]

    def _close_current(self) -> None:
        if self._current is not None:
            self._closed.add(self._current)
            self._current = None

    def _target_activity(self, task: TaskInfo) -> dict[str, t.Any] | None:
        """A procedure role's activity; a helper role's task joins the activity in progress."""
        if task.activity is not None:
            return self._activity(task.activity)
        return self._activity(self._current) if task.in_role else None

    def set_technician(self, technician: dict[str, str]) -> None:
        """A name from the inventory replaces the controller's user, never a name a role reported."""
        current = self._doc["run"].get("technician") or {}
        if current.get("source") != "report":
            self._doc["run"]["technician"] = dict(technician)

    def set_language(self, language: str) -> None:
        """The language of report.html, once the hosts that decide it have been read (see the callback)."""
        self._doc["presentation"]["language"] = language

    def add_playbook(self, path: str) -> None:
        self._doc["run"]["playbooks"].append(path)

    def play_started(self) -> None:
        self._close_current()

    def task_started(self, task: TaskInfo, now: datetime.datetime) -> None:
        stamp = iso(now)
        self._task_started[task.uuid] = stamp
        if task.activity is not None:
            if self._current is None or task.activity > self._current:
                self._close_current()
                self._current = task.activity
                self._closed.discard(task.activity)
            entry = self._activity(task.activity)
            if entry is not None and not entry["started"]:
                entry["started"] = stamp
        elif not task.in_role:
            # A play-level task (pre_tasks, post_tasks, fact gathering): no activity is running.
            self._close_current()
        self._doc["run"]["current"] = {"activity": self._current, "task": task.name, "since": stamp}

    # -- results -----------------------------------------------------------------------------

    def task_result(self, task: TaskInfo, host: str, outcome: str, result: t.Mapping[str, t.Any], now: datetime.datetime) -> None:
        """Record one host's result of a task: outcome is one of TASK_OUTCOMES."""
        stamp = iso(now)
        entry = self._target_activity(task)
        counts = entry["task_counts"] if entry else self._doc["run"]["tasks_outside_activities"]
        for counter in _COUNTED[outcome]:
            counts[counter] += 1
        started = self._task_started.get(task.uuid, stamp)
        if entry is not None:
            entry["finished"] = stamp
            self._list_task(entry, {"name": task.name, "action": task.action, "host": host, "status": outcome,
                                    "started": started, "duration_seconds": seconds_between(started, stamp)})
            self._note_host(host)
        censored = "censored" in result
        if not censored:
            self._collect_secrets(result)
            own_evidence = self._apply_payload(entry, task, host, result.get(RESULT_KEY), stamp)
            self._automatic_evidence(entry, task, host, outcome, result, stamp, own_evidence)
        if outcome in ("failed", "unreachable", "ignored", "rescued"):
            self._record_failure(entry, task, host, outcome, {} if censored else result, censored, stamp)

    def _list_task(self, entry: dict[str, t.Any], record: dict[str, t.Any]) -> None:
        if len(entry["tasks"]) < MAX_TASKS_LISTED:
            entry["tasks"].append(record)
        else:
            entry["tasks_not_listed"] += 1

    def _note_host(self, host: str) -> None:
        target = self._doc["target"]
        if host not in target["hosts"] and len(target["hosts"]) < MAX_HOSTS:
            target["hosts"].append(host)
        if not self._explicit_host and not target["host"]:
            target["host"] = host

    def _collect_secrets(self, result: t.Mapping[str, t.Any]) -> None:
        invocation = result.get("invocation")
        if isinstance(invocation, t.Mapping):
            self.scrubber.collect(invocation.get("module_args"))
        self.scrubber.collect(result.get("ansible_facts"))

    def _append_evidence(self, entry: dict[str, t.Any] | None, item: dict[str, t.Any]) -> None:
        if entry is None:
            return
        if len(entry["evidence"]) < MAX_EVIDENCE:
            entry["evidence"].append(item)

    def _apply_payload(self, entry: dict[str, t.Any] | None, task: TaskInfo, host: str, payload: object, stamp: str) -> bool:
        if payload is None:
            return False
        clean = normalize_payload(payload)
        for problem in clean.problems:
            self.warnings.append(f"rpi_report of task '{task.name}': {problem}")
        for item in clean.evidence:
            item = self.scrubber.deep(item, mask_names=True)
            item.update(task=task.name, host=host, time=stamp)
            self._append_evidence(entry, item)
        if clean.run:
            self._doc["run"].update(self.scrubber.deep(clean.run, mask_names=True))
        if clean.target:
            self._merge_target(self.scrubber.deep(clean.target, mask_names=True))
        return bool(clean.evidence)

    def _merge_target(self, fields: dict[str, t.Any]) -> None:
        target = self._doc["target"]
        if fields.get("host"):
            self._explicit_host = True
        for name, value in fields.items():
            if isinstance(value, dict) and isinstance(target.get(name), dict):
                target[name].update(value)
            else:
                target[name] = value
        if target.get("mode") == "resume" and not target.get("resumes_run") and self._earlier_run is not None:
            found = self._earlier_run(target.get("host"))
            if found:
                target["resumes_run"] = self.scrubber.deep(found, mask_names=True)

    def _automatic_evidence(self, entry: dict[str, t.Any] | None, task: TaskInfo, host: str, outcome: str,
                            result: t.Mapping[str, t.Any], stamp: str, own_evidence: bool) -> None:
        """Reboots and changes are evidence even when the role did not describe them."""
        base = {"task": task.name, "host": host, "time": stamp}
        if task.action in REBOOT_ACTIONS and outcome in ("ok", "changed"):
            elapsed = to_plain(result.get("elapsed"))
            self._append_evidence(entry, dict(base, kind="reboot", level="info", details={"elapsed_seconds": elapsed},
                                              summary_es=f"Servidor reiniciado ({task.name}).",
                                              summary_en=f"Server restarted ({task.name})."))
        elif outcome == "changed" and not own_evidence:
            if self._doc["run"]["check_mode"]:
                item = dict(base, kind="plan", level="info", details={"action": task.action},
                            summary_es=f"Cambiaría: {task.name}", summary_en=f"Would change: {task.name}")
            else:
                item = dict(base, kind="change", level="info", details={"action": task.action},
                            summary_es=f"Cambio realizado: {task.name}", summary_en=f"Changed: {task.name}")
            self._append_evidence(entry, item)

    def _record_failure(self, entry: dict[str, t.Any] | None, task: TaskInfo, host: str, outcome: str,
                        result: t.Mapping[str, t.Any], censored: bool, stamp: str) -> None:
        failure = self.scrubber.deep(describe_failure(task.name, task.action, host, outcome, result, censored, stamp,
                                                      activity=entry["number"] if entry else None,
                                                      mode=self._doc["target"].get("mode")), mask_names=True)
        failure["activity"] = entry["number"] if entry else None
        level = "error" if outcome in ("failed", "unreachable") else "warning"
        summary_es, summary_en = failure_summary(failure, outcome)
        self._append_evidence(entry, {"kind": "failure", "level": level, "summary_es": summary_es, "summary_en": summary_en,
                                      "details": {k: failure[k] for k in ("msg", "rc", "outcome") if failure.get(k) is not None},
                                      "task": task.name, "host": host, "time": stamp})
        if outcome not in ("failed", "unreachable"):
            return
        if entry is not None and not entry["failure"]:
            entry["failure"] = failure
        if not self._doc["run"]["failure"]:
            self._doc["run"]["failure"] = failure

    # -- output ------------------------------------------------------------------------------

    def finalize(self, now: datetime.datetime, interrupted: bool, hosts_failed: bool = False) -> None:
        """Close the report: an interruption leaves the activity in progress `interrupted`."""
        if self._finalized:
            return
        if not interrupted:
            self._close_current()
        run = self._doc["run"]
        run["finished"] = iso(now)
        for entry in self._doc["activities"]:
            doc.refresh_activity(entry, closed=entry["number"] in self._closed)
        run["status"] = doc.run_status(self._doc, interrupted=interrupted, hosts_failed=hosts_failed)
        run["finalized"] = True
        if not interrupted:
            run["current"] = None
        self._finalized = True

    @property
    def finalized(self) -> bool:
        return self._finalized

    def document(self, now: datetime.datetime) -> dict[str, t.Any]:
        """The report as it must be written now: refreshed, scrubbed, a copy."""
        run = self._doc["run"]
        run["last_update"] = iso(now)
        if not self._finalized:
            for entry in self._doc["activities"]:
                doc.refresh_activity(entry, closed=entry["number"] in self._closed)
            run["status"] = doc.run_status(self._doc, interrupted=True)
        document = self.scrubber.deep(copy.deepcopy(self._doc))
        self._masking_notice(document)
        return document

    def _masking_notice(self, document: dict[str, t.Any]) -> None:
        """Say in the report that some secrets were not searched for in its text (how many and why, never which), in the
        first activity that ran: the notices at the top of the page list it."""
        counts = self.scrubber.not_searched
        summaries = not_searched_notice(counts)
        if summaries is None:
            return
        activities = document["activities"]
        entry = next((activity for activity in activities if activity.get("started")), activities[0])
        entry["evidence"].append({
            "kind": "notice", "level": "warning", "summary_es": summaries[0], "summary_en": summaries[1],
            "details": {"not_searched_short": counts.get(SHORT, 0), "not_searched_word": counts.get(WORD, 0),
                        "min_length_searched": MIN_SECRET_LENGTH},
            "task": None, "host": None, "time": entry.get("started") or document["run"]["started"]})
