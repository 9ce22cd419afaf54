# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one sentence the IT Head reads first: what came of the run.

Shared by the page, the e-mail notice and the verifier so they never disagree.
"""

from __future__ import annotations

import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import current_activity, failed_activity, is_validation_activity
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import local_time
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import text
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

SIGNS = {v.RUN_SUCCEEDED: "✓", v.RUN_FAILED: "✗", v.RUN_INTERRUPTED: "!", v.RUN_PARTIAL: "!", v.RUN_CHECK: "○"}


class Headline(t.NamedTuple):
    status: str
    sign: str
    title: str
    lines: list[str]


def _title(document: t.Mapping[str, t.Any], language: str) -> str:
    run, status = document["run"], document["run"]["status"]
    if status == v.RUN_SUCCEEDED:
        mode = (document.get("target") or {}).get("mode") or "install"
        return text(language, f"outcome.succeeded.{mode}" if mode in ("install", "upgrade", "resume", "recoverserver", "nothing")
                    else "outcome.succeeded.install")
    if status == v.RUN_FAILED:
        entry = failed_activity(document)
        if entry is not None:
            return text(language, "outcome.failed", number=entry["number"])
        started = any(activity.get("started") for activity in document["activities"])
        failure = run.get("failure") or {}
        if failure and failure.get("activity") is None and not started:
            return text(language, "outcome.failed.before")
        return text(language, "outcome.failed.outside")
    return text(language, f"outcome.{status}") if status in v.RUN_STATUSES else status


def validation_line(document: t.Mapping[str, t.Any], language: str) -> str | None:
    validation = document.get("validation")
    zone = (document.get("presentation") or {}).get("timezone")
    if validation:
        key = "val.validated" if validation.get("decision") == v.DECISION_VALIDATED else "val.returned"
        return text(language, key, name=validation.get("name", ""), time=local_time(validation.get("recorded_at"), zone, language))
    if document["run"]["status"] == v.RUN_SUCCEEDED:
        return text(language, "val.pending")
    return None


def activity_title(entry: t.Mapping[str, t.Any], language: str) -> str:
    return i18n.text(language, entry["title"], entry.get("title_en") or entry["title"])


def headline(document: t.Mapping[str, t.Any], language: str) -> Headline:
    run = document["run"]
    status = run["status"]
    zone = (document.get("presentation") or {}).get("timezone")
    lines: list[str] = []
    if status == v.RUN_FAILED:
        entry = failed_activity(document)
        if entry is not None:
            lines.append(text(language, "sub.failed", number=entry["number"], title=activity_title(entry, language)))
    elif status == v.RUN_INTERRUPTED:
        entry = current_activity(document)
        where = text(language, "sub.where", number=entry["number"]) if entry else ""
        if run.get("finalized"):
            lines.append(text(language, "sub.interrupted.closed", where=where))
        else:
            lines.append(text(language, "sub.interrupted.open", where=where,
                              time=local_time(run.get("last_update"), zone, language, "seconds")))
    elif status == v.RUN_CHECK:
        lines.append(text(language, "sub.check"))
    elif status == v.RUN_PARTIAL:
        missing = [str(entry["number"]) for entry in document["activities"]
                   if entry["status"] in (v.PENDING, v.INTERRUPTED) and not is_validation_activity(entry)]
        lines.append(text(language, "sub.partial", numbers=", ".join(missing)))
    if run.get("snapshot"):
        lines.append(text(language, "sub.snapshot"))
    validation = validation_line(document, language)
    if validation:
        lines.append(validation)
    return Headline(status, SIGNS.get(status, "?"), _title(document, language), lines)


def version_text(value: t.Mapping[str, t.Any] | None, language: str) -> str:
    """`2019 CU14 (15.2.1544.4)`, `No instalado` or `Sin dato`."""
    if not value:
        return text(language, "unknown")
    if value.get("installed") is False:
        return text(language, "not_installed")
    label, number = value.get("label"), value.get("version")
    return f"{label} ({number})" if label and number else (label or number or text(language, "unknown"))


def os_text(value: t.Mapping[str, t.Any] | None, language: str) -> str:
    """`Windows Server 2022 · Standard (20348)`."""
    if not value:
        return text(language, "unknown")
    described = " · ".join(str(part) for part in (value.get("name"), value.get("edition"), value.get("installation_type")) if part)
    build = value.get("build") or value.get("version")
    return f"{described} ({build})" if build and described else (described or str(build or text(language, "unknown")))
