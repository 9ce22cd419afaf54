# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report document: its skeleton and the rules that decide statuses.

Pure functions over plain dicts, so the callback, the validation and the notice all
agree on what "done", "failed" or "succeeded" means. The shape is documented in
docs/report-schema.md and checked by schema.json.
"""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import (
    ACTIVITIES,
    PROCEDURE_CODE,
    PROCEDURE_TITLE,
    RESPONSIBLE_TITLES,
    Activity,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import seconds_between


def empty_counts() -> dict[str, int]:
    return {name: 0 for name in v.TASK_COUNTERS}


def new_activity(activity: Activity) -> dict[str, t.Any]:
    low, high = activity.planned_minutes
    return {
        "number": activity.number,
        "role": activity.role,
        "title": activity.title_es,
        "title_en": activity.title_en,
        "responsible": activity.responsible,
        "responsible_title": RESPONSIBLE_TITLES[activity.responsible]["es"],
        "responsible_title_en": RESPONSIBLE_TITLES[activity.responsible]["en"],
        "planned_minutes": {"min": low, "max": high},
        "group": activity.group or None,
        "started": None,
        "finished": None,
        "duration_seconds": None,
        "status": v.PENDING,
        "task_counts": empty_counts(),
        "tasks": [],
        "tasks_not_listed": 0,
        "evidence": [],
        "failure": None,
    }


def new_document(run: dict[str, t.Any], language: str, timezone: str) -> dict[str, t.Any]:
    """A report with every activity pending and the run `interrupted` until it is closed."""
    run_fields = {
        "id": None, "started": None, "finished": None, "last_update": None,
        "status": v.RUN_INTERRUPTED, "finalized": False, "check_mode": False,
        "technician": None, "controller": None, "playbooks": [], "ansible_core": None,
        "instruction": None, "current": None, "failure": None,
        "tasks_outside_activities": empty_counts(),
    }
    run_fields.update(run)
    return {
        "schema_version": v.SCHEMA_VERSION,
        "generator": {"name": "rpi.exchange.procedure_report"},
        "procedure": {"code": PROCEDURE_CODE, "title": PROCEDURE_TITLE["es"], "title_en": PROCEDURE_TITLE["en"]},
        "presentation": {"language": language, "timezone": timezone},
        "run": run_fields,
        "target": {"host": None, "hosts": [], "fqdn": None, "os": None, "exchange_before": None, "exchange_after": None,
                   "mode": None, "setup_version": None},
        "activities": [new_activity(activity) for activity in ACTIVITIES],
    }


def is_validation_activity(entry: t.Mapping[str, t.Any]) -> bool:
    return entry.get("number") == v.VALIDATION_ACTIVITY.number


def activity_status(entry: t.Mapping[str, t.Any], closed: bool) -> str:
    """done, failed, skipped, pending or interrupted, from what the activity recorded."""
    if entry.get("failure"):
        return v.FAILED
    if is_validation_activity(entry):
        # Only the IT Head's recorded validation completes the review (validation.py).
        return v.DONE if entry.get("status") == v.DONE else v.PENDING
    if not entry.get("started"):
        return v.PENDING
    if not closed:
        return v.INTERRUPTED
    counts = entry.get("task_counts") or {}
    ran = counts.get("ok", 0) + counts.get("ignored", 0) + counts.get("rescued", 0)
    if counts.get("skipped", 0) and not ran:
        return v.SKIPPED
    return v.DONE


def refresh_activity(entry: dict[str, t.Any], closed: bool) -> None:
    entry["status"] = activity_status(entry, closed)
    entry["duration_seconds"] = seconds_between(entry.get("started"), entry.get("finished"))


def run_status(document: t.Mapping[str, t.Any], interrupted: bool, hosts_failed: bool = False) -> str:
    """The run's outcome once it stops: a failure outranks an interruption, which outranks the rest."""
    run = document["run"]
    activities = document["activities"]
    if run.get("failure") or hosts_failed or any(entry["status"] == v.FAILED for entry in activities):
        return v.RUN_FAILED
    if interrupted:
        return v.RUN_INTERRUPTED
    if run.get("check_mode"):
        return v.RUN_CHECK
    if any(entry["status"] in (v.PENDING, v.INTERRUPTED) for entry in activities if not is_validation_activity(entry)):
        return v.RUN_PARTIAL
    return v.RUN_SUCCEEDED


def provisional_status(document: t.Mapping[str, t.Any], check_mode: bool = False) -> str:
    """How the run stands while it still runs: the status `provisional` gives the notice's copy, the one the summary publishes.

    Without a report (none written, or not enabled) the run reached this point without a failure: `check` or `succeeded`.
    """
    if not document:
        return v.RUN_CHECK if check_mode else v.RUN_SUCCEEDED
    return provisional(document, "")["run"]["status"]


def failed_activity(document: t.Mapping[str, t.Any]) -> dict[str, t.Any] | None:
    for entry in document["activities"]:
        if entry["status"] == v.FAILED:
            return entry
    return None


def current_activity(document: t.Mapping[str, t.Any]) -> dict[str, t.Any] | None:
    """The activity the run was in when it stopped (or is in now)."""
    for entry in document["activities"]:
        if entry["status"] == v.INTERRUPTED:
            return entry
    return None


def without_validation(document: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    return {key: copy.deepcopy(value) for key, value in document.items() if key != "validation"}


def provisional(document: t.Mapping[str, t.Any], now: str) -> dict[str, t.Any]:
    """The report as if the run ended now: what the notice of activity 11 attaches.

    The notice is sent while its own activity runs, when the report on disk still reads
    `interrupted`; the copy the IT Head receives says how the run stands instead.
    """
    snapshot = copy.deepcopy(dict(document))
    run = snapshot["run"]
    if run.get("finalized"):
        return snapshot
    entry = current_activity(snapshot)
    if entry is not None and not entry.get("failure"):
        entry.update(status=v.DONE, finished=now, duration_seconds=seconds_between(entry.get("started"), now))
    run["status"] = run_status(snapshot, interrupted=False)
    run["last_update"] = now
    run["snapshot"] = "notice"
    return snapshot
