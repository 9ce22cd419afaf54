# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the report keeps of a failed task: enough to diagnose, nothing the result hid.

The setup action returns the setup-log triage (outcome, category, error, advice {es, en},
findings, failed_rules ...); it is kept as the diagnosis. Command output is cut to its
tail, which is where Windows tools put the reason. A `no_log` result gives only its status.

Ansible's own messages (a restart that never came back, an unreachable host...) are English: the
failure carries their explanation in both languages (report/ansible_messages.py), which the
evidence, the report's diagnosis and the console summary show beside the original text.
"""

from __future__ import annotations

import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.ansible_messages import Context, explain
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import to_plain, truncate
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.who_acts import decide

TRIAGE_KEYS = ("outcome", "category", "error", "error_line", "operation", "installation_mode", "setup_version",
               "installed_version", "failed_rules", "findings", "advice", "msi_error_code", "exit_code",
               "failed_component", "progress")
# Activity 2's refusal of the run's inputs names every wrong one at once (32 declared inputs at about 150 characters each):
# the report keeps the whole list, so the technician corrects them all in one go.
MAX_MSG = 12000
TAIL = 2000
MAX_FINDINGS = 20


def _tail(value: object) -> str | None:
    if value in (None, "", []):
        return None
    text = "\n".join(str(line) for line in value) if isinstance(value, list) else str(to_plain(value))
    text = text.strip()
    return ("[...] " + text[-TAIL:]) if len(text) > TAIL else (text or None)


def _triage(value: object) -> dict[str, t.Any] | None:
    if not isinstance(value, t.Mapping):
        return None
    kept = {key: to_plain(value[key], max_string=4000) for key in TRIAGE_KEYS if value.get(key) is not None}
    if isinstance(kept.get("findings"), list):
        kept["findings"] = kept["findings"][:MAX_FINDINGS]
    return kept or None


def describe_failure(task: str, action: str, host: str, outcome: str, result: t.Mapping[str, t.Any],
                     censored: bool, stamp: str, activity: int | None = None, mode: str | None = None) -> dict[str, t.Any]:
    """The failure as the report keeps it; `mode` is the setup mode decided so far (the `who_acts` don'ts depend on it)."""
    msg = result.get("msg")
    if isinstance(msg, (list, dict)):
        msg = str(to_plain(msg))
    explanation = None if censored else explain(msg, Context(activity=activity, task=task, action=action,
                                                             unreachable=outcome == "unreachable"))
    setup_outcome = result.get("outcome") if isinstance(result.get("outcome"), t.Mapping) else {}
    failure = {
        "task": task,
        "action": action,
        "host": host,
        "time": stamp,
        "outcome": outcome,
        "unreachable": outcome == "unreachable",
        "censored": censored,
        "msg": truncate(str(to_plain(msg)), MAX_MSG) if msg not in (None, "") else None,
        "rc": result.get("rc") if isinstance(result.get("rc"), int) else None,
        "stderr_tail": _tail(result.get("stderr_lines") or result.get("stderr")),
        "stdout_tail": _tail(result.get("stdout_lines") or result.get("stdout")) if outcome != "unreachable" else None,
        "triage": _triage(result.get("triage")),
        "explanation": _explanation(explanation.as_dict()) if explanation is not None else None,
    }
    # Issue 18: where setup was when it stopped (the setup action's watch, progress.Position.as_dict()).
    reached = (result.get("watch") or {}).get("reached") if isinstance(result.get("watch"), t.Mapping) else None
    if isinstance(reached, t.Mapping) and reached.get("label_es"):
        failure["setup_reached"] = to_plain(dict(reached))
    # A refusal: one of this collection's actions failed without changing anything (norm 5.6: the IT Head decides).
    refused = action.startswith("rpi.exchange.") and result.get("changed") is False and not result.get("triage")
    failure["who_acts"] = decide({**failure, "setup_category": setup_outcome.get("category"), "refused": refused}, mode)
    return failure


def _explanation(value: dict[str, t.Any]) -> dict[str, t.Any]:
    for language in ("es", "en"):
        value[language] = truncate(value[language], MAX_MSG)
    return value


def first_line(text: str | None, limit: int = 240) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return truncate(line, limit)


def failure_summary(failure: t.Mapping[str, t.Any], outcome: str) -> tuple[str, str]:
    """One line per language for the evidence list; the full diagnosis is shown apart."""
    task = failure.get("task") or "?"
    reason = first_line((failure.get("triage") or {}).get("error") or failure.get("msg"))
    explanation = failure.get("explanation") or {}
    if failure.get("censored"):
        reason_es, reason_en = "(detalle oculto por no_log)", "(details hidden by no_log)"
    elif explanation and not (failure.get("triage") or {}).get("error"):
        reason_es, reason_en = first_line(explanation.get("es"), 400), first_line(explanation.get("en"), 400)
    elif (failure.get("triage") or {}).get("error"):
        reason_es = reason_en = f"«{reason}»"  # setup's own words (English): quoted, the diagnosis explains them
    else:
        reason_es = reason_en = reason
    if outcome == "unreachable":
        return f"El servidor no respondió en la tarea «{task}»: {reason_es}", f"The server did not respond in task '{task}': {reason_en}"
    if outcome == "ignored":
        return (f"La tarea «{task}» falló y se ignoró (ignore_errors): {reason_es}",
                f"Task '{task}' failed and was ignored (ignore_errors): {reason_en}")
    if outcome == "rescued":
        return (f"La tarea «{task}» falló y la recuperó un bloque rescue: {reason_es}",
                f"Task '{task}' failed and a rescue block recovered it: {reason_en}")
    return f"La tarea «{task}» falló: {reason_es}", f"Task '{task}' failed: {reason_en}"


def console_summary(document: t.Mapping[str, t.Any]) -> list[str]:
    """What the console shows of a failed run at its end, in the report's language: where, what happened, what to do.

    Empty when the run did not fail on a task. `document` is the scrubbed report, so nothing secret is printed.
    """
    run = document.get("run") or {}
    failure = run.get("failure")
    if not failure:
        return []
    language = (document.get("presentation") or {}).get("language")
    english = language == "en"
    task, host, activity = failure.get("task") or "?", failure.get("host") or "?", failure.get("activity")
    if english:
        where = f"activity {activity}, task '{task}'" if activity else f"task '{task}'"
        lines = [f"The run stopped in {where} (server {host})."]
    else:
        where = f"la actividad {activity}, tarea «{task}»" if activity else f"la tarea «{task}»"
        lines = [f"La ejecución se detuvo en {where} (servidor {host})."]
    triage = failure.get("triage") or {}
    explanation = failure.get("explanation") or {}
    key = "en" if english else "es"
    if failure.get("censored"):
        what = "Details hidden by no_log." if english else "Detalle oculto por no_log."
    else:
        what = triage.get("error") or explanation.get(key) or failure.get("msg") or ""
    advice = (triage.get("advice") or {}).get(key) or (explanation.get("advice") or {}).get(key)
    label_what, label_advice = ("What happened", "What to do") if english else ("Qué pasó", "Qué hacer")
    if what:
        lines.append(f"  {label_what}: {truncate(str(what), 1000)}")
    if advice:
        lines.append(f"  {label_advice}: {truncate(str(advice), 1000)}")
    return lines
