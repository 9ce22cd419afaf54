# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The evidence contract: how roles and modules feed the run report.

A task result may carry `rpi_report`:

    rpi_report:
      evidence:            # appended to the activity the task belongs to
        - kind: command    # one of vocabulary.EVIDENCE_KINDS
          summary_es: ...  # one line the IT Head reads (Spanish)
          summary_en: ...  # the same in English (either summary may stand alone)
          level: info      # info | ok | warning | error (optional)
          details: {...}   # any JSON; keys that look secret are masked
      run:                 # merged into report.run
        instruction: {who, reference, planned_window: {start, end}, given_at, note}
        technician: {name, position} (or a name)
        retry_of: {id, status, decision, authorised, named_by_instruction, authorised_by, reference}
      target:              # merged into report.target
        host, fqdn, mode, setup_version,
        os: {name, edition, version, build, installation_type} (or a string),
        exchange_before / exchange_after: {installed, version, label} (or a version string)

`normalize_payload` checks and cleans one such payload. The action plugin report_evidence
is strict (a role author's mistake fails the task at once); the callback is lenient (a
module's odd field is dropped with a warning, the run goes on).
"""

from __future__ import annotations

import json
import typing as t
from dataclasses import dataclass, field

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import to_plain, truncate
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import EVIDENCE_KINDS, LEVELS

RESULT_KEY = "rpi_report"
MAX_SUMMARY = 1000
MAX_DETAILS_BYTES = 32768
MAX_EVIDENCE_PER_RESULT = 50

INSTRUCTION_FIELDS = ("who", "reference", "planned_window", "given_at", "note")
WINDOW_FIELDS = ("start", "end")
# run.retry_of: the failed run this one retries and who authorised it (_preflight/retry.py; issue 20, item 3).
RETRY_FIELDS = ("id", "status", "decision", "named_by_instruction", "authorised_by", "reference")
OS_FIELDS = ("name", "edition", "version", "build", "installation_type")
VERSION_FIELDS = ("installed", "interrupted", "version", "label")
TARGET_TEXT_FIELDS = ("host", "fqdn", "mode", "setup_version")
# target.security_update: the SU/HU activity 9 installed (issue 18, item 1): build after the CU -> after the update.
SECURITY_UPDATE_FIELDS = ("kb", "label", "version_before", "version_after", "status")
MODES = ("install", "upgrade", "resume", "recoverserver", "nothing")


@dataclass(frozen=True)
class Evidence:
    """One evidence item, as a plugin builds it: a kind or level the report does not know is a ValueError at once.

    `as_dict()` is the item as a task result carries it under `rpi_report.evidence`.
    """

    kind: str
    level: str
    summary_es: str
    summary_en: str
    details: t.Mapping[str, t.Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"evidence kind {self.kind!r} is not one of {', '.join(EVIDENCE_KINDS)}")
        if self.level not in LEVELS:
            raise ValueError(f"evidence level {self.level!r} is not one of {', '.join(LEVELS)}")

    def as_dict(self) -> dict[str, t.Any]:
        return {"kind": self.kind, "level": self.level, "summary_es": self.summary_es, "summary_en": self.summary_en,
                "details": dict(self.details)}


class Payload(t.NamedTuple):
    evidence: list[dict]
    run: dict
    target: dict
    problems: list[str]


def _text(value: object, limit: int = MAX_SUMMARY) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return None
    text = str(to_plain(value)).strip()
    return truncate(text, limit) if text else None


def _fields(value: object, names: tuple[str, ...], where: str, problems: list[str]) -> dict:
    """Known scalar fields of a mapping as text; unknown fields are reported, not kept."""
    if not isinstance(value, t.Mapping):
        problems.append(f"{where} must be a mapping")
        return {}
    extra = sorted(str(key) for key in value if key not in names)
    if extra:
        problems.append(f"{where} has unknown field(s) {', '.join(extra)}; known: {', '.join(names)}")
    return {name: text for name in names if (text := _text(value.get(name))) is not None}


def normalize_evidence(item: object, problems: list[str]) -> dict | None:
    if not isinstance(item, t.Mapping):
        problems.append("each evidence item must be a mapping")
        return None
    kind = _text(item.get("kind"), 40)
    if kind not in EVIDENCE_KINDS:
        problems.append(f"evidence kind {kind!r} is not one of {', '.join(EVIDENCE_KINDS)}")
        return None
    summary_es, summary_en = _text(item.get("summary_es")), _text(item.get("summary_en"))
    if not summary_es and not summary_en:
        problems.append(f"evidence of kind {kind} needs summary_es (and summary_en)")
        return None
    level = _text(item.get("level"), 20) or "info"
    if level not in LEVELS:
        problems.append(f"evidence level {level!r} is not one of {', '.join(LEVELS)}")
        level = "info"
    details = item.get("details") or {}
    if not isinstance(details, t.Mapping):
        problems.append("evidence details must be a mapping")
        details = {"value": details}
    plain_details = to_plain(details, max_string=8000)
    encoded = json.dumps(plain_details, ensure_ascii=False, default=str)
    if len(encoded.encode("utf-8")) > MAX_DETAILS_BYTES:
        plain_details = {"truncated": True, "preview": truncate(encoded, MAX_DETAILS_BYTES // 2)}
    unknown = sorted(str(key) for key in item if key not in ("kind", "summary_es", "summary_en", "level", "details"))
    if unknown:
        problems.append(f"evidence has unknown field(s) {', '.join(unknown)}")
    return Evidence(kind=kind, level=level, summary_es=summary_es or summary_en, summary_en=summary_en or summary_es,
                    details=plain_details).as_dict()


def _version(value: object, where: str, problems: list[str]) -> dict | None:
    if isinstance(value, str) or (value is not None and not isinstance(value, (t.Mapping, list, bool))):
        return {"installed": True, "version": _text(value, 100)}
    if not isinstance(value, t.Mapping):
        problems.append(f"{where} must be a mapping or a version string")
        return None
    clean: dict[str, t.Any] = _fields({k: v for k, v in value.items() if k not in ("installed", "interrupted")}, VERSION_FIELDS, where, problems)
    if "installed" in value:
        clean["installed"] = bool(value["installed"])
    if value.get("interrupted"):  # setup left its watermark: neither installed nor removed
        clean["interrupted"] = True
    return clean


def normalize_target(value: object, problems: list[str]) -> dict:
    if not isinstance(value, t.Mapping):
        problems.append("target must be a mapping")
        return {}
    known = TARGET_TEXT_FIELDS + ("os", "exchange_before", "exchange_after", "security_update")
    clean: dict[str, t.Any] = _fields({k: v for k, v in value.items() if k in TARGET_TEXT_FIELDS}, TARGET_TEXT_FIELDS, "target", problems)
    extra = sorted(str(key) for key in value if key not in known)
    if extra:
        problems.append(f"target has unknown field(s) {', '.join(extra)}; known: {', '.join(known)}")
    if clean.get("mode") and clean["mode"] not in MODES:
        problems.append(f"target.mode {clean['mode']!r} is not one of {', '.join(MODES)}")
        del clean["mode"]
    if value.get("os") is not None:
        os_value = value["os"]
        clean["os"] = {"name": _text(os_value, 200)} if isinstance(os_value, str) else _fields(os_value, OS_FIELDS, "target.os", problems)
    for name in ("exchange_before", "exchange_after"):
        if value.get(name) is not None:
            version = _version(value[name], f"target.{name}", problems)
            if version is not None:
                clean[name] = version
    if value.get("security_update") is not None:
        clean["security_update"] = _fields(value["security_update"], SECURITY_UPDATE_FIELDS, "target.security_update", problems)
    return clean


def normalize_run(value: object, problems: list[str]) -> dict:
    if not isinstance(value, t.Mapping):
        problems.append("run must be a mapping")
        return {}
    clean: dict[str, t.Any] = {}
    extra = sorted(str(key) for key in value if key not in ("instruction", "technician", "retry_of"))
    if extra:
        problems.append(f"run has unknown field(s) {', '.join(extra)}; known: instruction, technician")
    if value.get("technician") is not None:
        # {name, position} from activity 1 (rpi_exchange_technician); a plain name from older roles.
        given = value["technician"]
        name = _text(given.get("name") if isinstance(given, t.Mapping) else given, 200)
        position = (_text(given.get("position"), 200) or "") if isinstance(given, t.Mapping) else ""
        if name:
            clean["technician"] = {"name": name, "source": "report", **({"position": position} if position else {})}
    if isinstance(value.get("retry_of"), t.Mapping) and value["retry_of"].get("id"):
        retry = _fields({k: v for k, v in value["retry_of"].items() if k != "authorised"}, RETRY_FIELDS, "run.retry_of", problems)
        clean["retry_of"] = {**retry, "authorised": bool(value["retry_of"].get("authorised"))}
    instruction = value.get("instruction")
    if instruction is not None:
        fields = _fields(instruction, INSTRUCTION_FIELDS, "run.instruction", problems)
        if isinstance(instruction, t.Mapping) and instruction.get("planned_window") is not None:
            fields["planned_window"] = _fields(instruction["planned_window"], WINDOW_FIELDS, "run.instruction.planned_window", problems)
        clean["instruction"] = fields
    return clean


def normalize_payload(payload: object) -> Payload:
    """Clean one `rpi_report` value; problems say what was dropped and why."""
    problems: list[str] = []
    if not isinstance(payload, t.Mapping):
        return Payload([], {}, {}, [f"{RESULT_KEY} must be a mapping"])
    unknown = sorted(str(key) for key in payload if key not in ("evidence", "run", "target"))
    if unknown:
        problems.append(f"{RESULT_KEY} has unknown field(s) {', '.join(unknown)}; known: evidence, run, target")
    items = payload.get("evidence") or []
    if isinstance(items, t.Mapping):
        items = [items]
    if not isinstance(items, list):
        problems.append("evidence must be a list")
        items = []
    if len(items) > MAX_EVIDENCE_PER_RESULT:
        problems.append(f"only the first {MAX_EVIDENCE_PER_RESULT} evidence items of a result are kept")
        items = items[:MAX_EVIDENCE_PER_RESULT]
    evidence = [clean for item in items if (clean := normalize_evidence(item, problems)) is not None]
    run = normalize_run(payload["run"], problems) if payload.get("run") is not None else {}
    target = normalize_target(payload["target"], problems) if payload.get("target") is not None else {}
    return Payload(evidence, run, target, problems)
