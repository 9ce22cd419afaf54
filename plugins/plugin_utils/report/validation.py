# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 12: the IT Head's validation, recorded in the report and checked later.

`record_validation` completes activity 12, writes the `validation` block and re-renders
report.html so the page shows the decision; the digests (digest.py) make any later edit
of report.json, of report.html or of the decision itself detectable by `verify_report`.
A digest is evidence of change, not a signature: whoever can rewrite both files can
recompute it, so the IT Head keeps the digest shown on the page (printed and signed, or in
his e-mail) as the anchor.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import typing as t
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.digest import ALGORITHM, report_sha256, sha256, validation_digest
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.earlier_runs import read_followed_by
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import local_time
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import iso, parse_iso, seconds_between, truncate, utc_now
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import (
    ReportError,
    json_bytes,
    load_report,
    read_html,
    write_atomic,
)

VALID = "valid"
TAMPERED = "tampered"
NOT_VALIDATED = "not_validated"
UNREADABLE = "unreadable"
MAX_COMMENT = 4000


class ValidationError(Exception):
    """A validation that cannot be recorded (wrong input, or a report that cannot take it)."""


@dataclasses.dataclass
class Verification:
    status: str
    problems: list[str]
    validation: dict[str, t.Any] | None = None
    detail: str = ""
    zone: str | None = None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    def message(self, language: str = "es") -> str:
        if self.status == VALID and self.validation:
            return text(language, "verify.valid", name=self.validation.get("name"),
                        decision=text(language, "decision." + str(self.validation.get("decision"))),
                        time=local_time(self.validation.get("recorded_at"), self.zone, language, "seconds"))
        return text(language, "verify." + self.status)

    def as_dict(self, language: str = "es") -> dict[str, t.Any]:
        return {"status": self.status, "valid": self.valid, "problems": list(self.problems),
                "problem_texts": [text(language, "problem." + code) for code in self.problems],
                "message": self.message(language), "validation": self.validation, "detail": self.detail}


def _moment(when: datetime.datetime | str | None) -> datetime.datetime:
    if when is None:
        return utc_now()
    if isinstance(when, datetime.datetime):
        return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)
    parsed = parse_iso(str(when))
    if parsed is None:
        raise ValidationError(f"'{when}' is not an ISO 8601 date and time")
    return parsed


def _check_can_record(document: t.Mapping[str, t.Any], name: str, decision: str, comment: str) -> None:
    if not name.strip():
        raise ValidationError("the name of the person validating is required")
    if decision not in v.DECISIONS:
        raise ValidationError(f"decision must be one of {', '.join(v.DECISIONS)}, not '{decision}'")
    if decision == v.DECISION_RETURNED and not comment.strip():
        raise ValidationError("a report returned to the technician needs a comment that says what to correct")
    existing = document.get("validation")
    if existing:
        raise ValidationError(f"this report already has a validation: {existing.get('decision')} by {existing.get('name')} "
                              f"at {existing.get('recorded_at')}; a recorded validation is final")
    run = document["run"]
    if decision == v.DECISION_VALIDATED and (run.get("status") != v.RUN_SUCCEEDED or not run.get("finalized")):
        raise ValidationError(f"only a finished, successful run can be validated; this run is '{run.get('status')}'"
                              f"{'' if run.get('finalized') else ' and was never closed'}: return it to the technician instead")


def _complete_review_activity(document: dict[str, t.Any], validation: t.Mapping[str, t.Any], started: str) -> None:
    entry = document["activities"][v.VALIDATION_ACTIVITY.number - 1]
    decided = validation["decision"] == v.DECISION_VALIDATED
    entry.update(started=started, finished=validation["recorded_at"], status=v.DONE,
                 duration_seconds=seconds_between(started, validation["recorded_at"]))
    comment = f": {validation['comment']}" if validation.get("comment") else ""
    entry["evidence"].append({
        "kind": "validation", "level": "ok" if decided else "warning",
        "summary_es": f"{'Validada' if decided else 'Devuelta al técnico'} por {validation['name']}{comment}",
        "summary_en": f"{'Validated' if decided else 'Returned to the technician'} by {validation['name']}{comment}",
        "details": {"decision": validation["decision"]}, "task": None, "host": None, "time": validation["recorded_at"],
    })


def record_validation(report_dir: str | os.PathLike[str], name: str, decision: str, comment: str = "",
                      when: datetime.datetime | str | None = None, started: datetime.datetime | str | None = None,
                      write: bool = True) -> dict[str, t.Any]:
    """Record the IT Head's decision in the report folder; returns the validation block."""
    folder = Path(report_dir)
    document = load_report(folder)
    name, comment = truncate(str(name).strip(), 200), truncate(str(comment or "").strip(), MAX_COMMENT)
    _check_can_record(document, name, decision, comment)
    recorded_at = iso(_moment(when))
    _complete_review_activity(document, {"name": name, "decision": decision, "comment": comment, "recorded_at": recorded_at},
                              iso(_moment(started)) if started else recorded_at)
    content_digest = report_sha256(document)
    validation = {"name": name, "decision": decision, "comment": comment, "recorded_at": recorded_at,
                  "algorithm": ALGORITHM, "report_sha256": content_digest}
    document["validation"] = validation
    html = render(document, followed_by=read_followed_by(report_dir)).encode("utf-8")  # the runs that continued it, as shown
    validation["html_sha256"] = sha256(html)
    validation["digest"] = validation_digest(content_digest, validation["html_sha256"], validation)
    if write:
        try:
            write_atomic(folder / v.REPORT_HTML, html)
            write_atomic(folder / v.REPORT_JSON, json_bytes(document))
        except OSError as error:
            raise ReportError(f"cannot write the validation into {folder}: {error}") from error
    return validation


def verify_report(report_dir: str | os.PathLike[str]) -> Verification:
    """Recompute the digests of a validated report and say whether anything changed."""
    folder = Path(report_dir)
    try:
        document = load_report(folder)
        html = read_html(folder)
    except ReportError as error:
        return Verification(UNREADABLE, [], None, str(error))
    validation = document.get("validation")
    zone = (document.get("presentation") or {}).get("timezone")
    if not validation:
        return Verification(NOT_VALIDATED, [], None, zone=zone)
    if not isinstance(validation, dict) or not all(validation.get(key) for key in ("report_sha256", "html_sha256", "digest")):
        return Verification(TAMPERED, ["validation_incomplete"], validation if isinstance(validation, dict) else None, zone=zone)
    problems = []
    if report_sha256(document) != validation["report_sha256"]:
        problems.append("report_changed")
    if sha256(html) != validation["html_sha256"]:
        problems.append("html_changed")
    if validation_digest(validation["report_sha256"], validation["html_sha256"], validation) != validation["digest"]:
        problems.append("digest_mismatch")
    return Verification(TAMPERED if problems else VALID, problems, validation, zone=zone)


_STATUS_LABELS = {
    "es": {v.RUN_SUCCEEDED: "Correcta", v.RUN_FAILED: "Fallida", v.RUN_INTERRUPTED: "Interrumpida",
           v.RUN_CHECK: "Ensayo", v.RUN_PARTIAL: "Parcial", UNREADABLE: "Ilegible"},
    "en": {v.RUN_SUCCEEDED: "Succeeded", v.RUN_FAILED: "Failed", v.RUN_INTERRUPTED: "Interrupted",
           v.RUN_CHECK: "Rehearsal", v.RUN_PARTIAL: "Partial", UNREADABLE: "Unreadable"},
}
_LIST_TEXTS = {
    "es": {"empty": "No hay ejecuciones en {root}.", "header": "Ejecuciones encontradas en {root} (la más reciente primero):",
           "rehearsal": "ENSAYO (modo de comprobación, no instaló nada)", "validated": "ya validada",
           "returned": "ya devuelta al técnico", "unknown": "servidor desconocido",
           "choose": "No se indicó qué ejecución revisar y la revisión no elige «la más reciente» por su cuenta (podría ser un "
                     "ensayo). Elija una de la lista y repita la orden con -e '{\"rpi_exchange_review\": {\"run_id\": \"<id>\", "
                     "\"name\": \"...\", \"decision\": \"validated\"}}' (o \"report_dir\": \"<carpeta>\")."},
    "en": {"empty": "There are no runs in {root}.", "header": "Runs found in {root} (newest first):",
           "rehearsal": "REHEARSAL (check mode, installed nothing)", "validated": "already validated",
           "returned": "already returned to the technician", "unknown": "unknown server",
           "choose": "No run was chosen for review, and the review never picks 'the newest' on its own (it could be a "
                     "rehearsal). Choose one from the list and run the command again with -e '{\"rpi_exchange_review\": "
                     "{\"run_id\": \"<id>\", \"name\": \"...\", \"decision\": \"validated\"}}' (or \"report_dir\": \"<folder>\")."},
}


def list_runs(root: str | os.PathLike[str]) -> list[dict[str, t.Any]]:
    """The run report folders under `root`, newest first: id, start, server, status, check mode and decision.

    Links (`latest`) and hidden entries are not runs of their own; a folder without report.json is not a run,
    one whose report.json cannot be read is listed as unreadable so that nobody wonders where it went."""
    folder = Path(root)
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name, reverse=True)
    except OSError:
        return []
    runs = []
    for entry in entries:
        if entry.name.startswith(".") or entry.is_symlink() or not entry.is_dir() or not (entry / v.REPORT_JSON).exists():
            continue
        try:
            document = load_report(entry)
        except ReportError:
            runs.append({"id": entry.name, "path": str(entry), "started": None, "server": None, "status": UNREADABLE,
                         "rehearsal": False, "validation": None, "zone": None})
            continue
        run, target = document.get("run") or {}, document.get("target") or {}
        validation = document.get("validation")
        runs.append({
            "id": str(run.get("id") or entry.name), "path": str(entry), "started": run.get("started"),
            "server": target.get("host") or ", ".join(target.get("hosts") or []) or None,
            "status": run.get("status"), "rehearsal": bool(run.get("check_mode")) or run.get("status") == v.RUN_CHECK,
            "validation": validation.get("decision") if isinstance(validation, dict) else None,
            "zone": (document.get("presentation") or {}).get("timezone"),
        })
    return runs


def run_list_text(runs: t.Sequence[t.Mapping[str, t.Any]], language: str = "es", root: str = "") -> str:
    """The list of runs as the IT Head reads it, one line a run."""
    words = _LIST_TEXTS.get(language, _LIST_TEXTS["es"])
    if not runs:
        return words["empty"].format(root=root or "?")
    labels = _STATUS_LABELS.get(language, _STATUS_LABELS["es"])
    lines = [words["header"].format(root=root or "?")]
    for run in runs:
        parts = [str(run["id"]), local_time(run.get("started"), run.get("zone"), language) or "?",
                 str(run.get("server") or words["unknown"])]
        if run.get("status") != v.RUN_CHECK:
            parts.append(labels.get(str(run.get("status")), str(run.get("status"))))
        if run.get("rehearsal"):
            parts.append(words["rehearsal"])
        if run.get("validation") in ("validated", "returned"):
            parts.append(words[run["validation"]])
        lines.append("  - " + " | ".join(parts))
    return "\n".join(lines)


def choose_run_text(language: str = "es") -> str:
    """How the IT Head chooses the run to review, after the list."""
    return _LIST_TEXTS.get(language, _LIST_TEXTS["es"])["choose"]
