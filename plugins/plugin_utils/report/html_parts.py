# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small HTML pieces of the report page. Every value goes through `esc`: report content
comes from servers, logs and people, and must never become markup."""

from __future__ import annotations

import html
import json
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.detail_fields import fields_html
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import local_time, localize_text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.task_labels import task_label
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

STATUS_SIGNS = {v.DONE: "✓", v.FAILED: "✗", v.SKIPPED: "–", v.PENDING: "·", v.INTERRUPTED: "!"}


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class Page(t.NamedTuple):
    """What every piece needs: the language and the time zone of the report."""

    language: str
    zone: str | None

    def t(self, key: str, **values: object) -> str:
        return text(self.language, key, **values)

    def when(self, stamp: str | None, style: str = "datetime") -> str:
        return local_time(stamp, self.zone, self.language, style)

    def localize(self, value: str) -> str:
        """A text with the zoned times a module wrote in it shown in the report's zone."""
        return localize_text(value, self.zone, self.language)


def status_pill(page: Page, status: str) -> str:
    return f'<span class="pill st-{esc(status)}">{STATUS_SIGNS.get(status, "")} {esc(page.t("status." + status))}</span>'


def fact(label: str, value_html: str) -> str:
    return f"<div><dt>{esc(label)}</dt><dd>{value_html}</dd></div>"


def planned(page: Page, minutes: t.Mapping[str, int]) -> str:
    low, high = minutes.get("min", 0), minutes.get("max", 0)
    if low == high:
        return page.t("minutes", n=low)
    if low % 60 == 0 and high % 60 == 0:
        return page.t("hours_range", low=low // 60, high=high // 60)
    return f"{low}–{high} min"


def _details_block(details: t.Mapping[str, t.Any], page: Page) -> str:
    if not details:
        return ""
    parts = []
    command = details.get("command_line")
    if isinstance(command, str) and command:
        parts.append(f"<pre>{esc(command)}</pre>")
    rest = {key: value for key, value in details.items() if key != "command_line"}
    if rest:
        # Labelled fields for the reader; the raw JSON, as recorded, one click further for the technician.
        # Times a module wrote (the licence's accepted_at in UTC) read in the report's zone; a time carries no markup.
        parts.append(page.localize(fields_html(rest, page.language)))
        body = json.dumps(rest, ensure_ascii=False, indent=2, sort_keys=True, default=str)
        parts.append(f'<details class="raw"><summary>{esc(page.t("details"))}</summary><pre>{esc(page.localize(body))}</pre></details>')
    return "".join(parts)


def evidence_item(page: Page, item: t.Mapping[str, t.Any]) -> str:
    kind = item.get("kind", "note")
    summary = i18n.text(page.language, item.get("summary_es"), item.get("summary_en"))
    if summary and item.get("task") and str(item["task"]) in summary:
        # "La tarea «Run Exchange setup…» falló", "Servidor reiniciado (Restart the server…)": the reader reads the task's
        # label; report.json keeps its name.
        summary = summary.replace(str(item["task"]), task_label(item["task"], page.language))
    level = item.get("level") or "info"
    return (f'<li class="lvl-{esc(level)}"><span class="kind">{esc(page.t("kind." + kind))}</span> '
            f'{esc(page.localize(summary or item.get("summary_es") or ""))}'
            f'<span class="time">{esc(page.when(item.get("time"), "time"))}</span>'
            f'{_details_block(item.get("details") or {}, page)}</li>')


def task_line(page: Page, task: t.Mapping[str, t.Any], activity: int | None = None) -> str:
    """One task as the reader sees it: its label in the report's language, the recorded name in a tooltip."""
    status = task.get("status", "")
    sign = {"ok": "✓", "changed": "✓", "failed": "✗", "unreachable": "✗", "skipped": "–"}.get(status, "!")
    duration = task.get("duration_seconds")
    took = f" · {duration:g} s" if isinstance(duration, (int, float)) else ""
    label = task_label(task.get("name"), page.language, activity)
    return (f'<li title="{esc(task.get("name"))}">{sign} {esc(label)} '
            f'<span class="muted">({esc(task.get("host"))}, {esc(page.t("task." + status) if status else "")}{took})</span></li>')


def activity_body(page: Page, entry: t.Mapping[str, t.Any]) -> str:
    """Counts, then the evidence on demand (printed opened), then the task list (screen only)."""
    counts = entry.get("task_counts") or {}
    parts = []
    total = sum(counts.get(name, 0) for name in ("ok", "failed", "skipped", "unreachable", "ignored", "rescued"))
    if total:
        line = page.t("counts", total=total, changed=counts.get("changed", 0), failed=counts.get("failed", 0) + counts.get("unreachable", 0),
                      skipped=counts.get("skipped", 0))
        tolerated = counts.get("ignored", 0) + counts.get("rescued", 0)
        if tolerated:
            line += page.t("counts.tolerated", count=tolerated)
        parts.append(f'<div class="counts">{esc(line)}</div>')
    evidence = entry.get("evidence") or []
    tasks = entry.get("tasks") or []
    if evidence:
        items = "".join(evidence_item(page, item) for item in evidence)
        parts.append(f'<details class="evidence"><summary>{esc(page.t("evidence", count=len(evidence)))}</summary>'
                     f'<ul class="evidence">{items}</ul></details>')
    if tasks:
        lines = "".join(task_line(page, task, entry.get("number")) for task in tasks)
        if entry.get("tasks_not_listed"):
            lines += f"<li>{esc(page.t('not_listed', count=entry['tasks_not_listed']))}</li>"
        parts.append(f'<details class="tasks"><summary>{esc(page.t("tasks", count=len(tasks) + entry.get("tasks_not_listed", 0)))}'
                     f'</summary><ul class="tasks">{lines}</ul></details>')
    return "".join(parts)
