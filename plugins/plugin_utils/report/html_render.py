# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""report.html: one self-contained page the IT Head reads in two minutes and can print.

Order of the page is the order of his questions: what came of it; who, when, which server,
which versions; how far each of the twelve activities got against the manual's times;
what went wrong and what to do; and his own validation. No script, no outside resource.
The page is a pure function of report.json, so re-rendering gives the same bytes.
"""

from __future__ import annotations

import re
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import build_info
from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import RESPONSIBLE_TITLES
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_parts import Page, activity_body, esc, fact, planned, status_pill
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_style import CSS
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import duration, zone_label
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import parse_iso, seconds_between
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.outcome import activity_title, headline, os_text, version_text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.task_labels import task_label
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import Position, elapsed_text


def _masthead(page: Page, document: t.Mapping[str, t.Any]) -> str:
    procedure = document["procedure"]
    title = i18n.text(page.language, procedure["title"], procedure.get("title_en", procedure["title"]))
    return (f'<header class="masthead"><div><div class="org">{esc(page.t("org"))}</div>'
            f'<h1>{esc(page.t("doc_title"))}</h1>'
            f'<div class="procedure">{esc(procedure["code"])} · {esc(title)}</div></div>'
            f'<div class="run-id">{esc(page.t("run"))}<br><code>{esc(document["run"].get("id"))}</code></div></header>')


def _outcome(page: Page, document: t.Mapping[str, t.Any]) -> str:
    head = headline(document, page.language)
    lines = "".join(f"<p>{esc(line)}</p>" for line in head.lines)
    return (f'<section class="outcome outcome-{esc(head.status)}" id="outcome" role="status">'
            f'<div class="sign" aria-hidden="true">{esc(head.sign)}</div>'
            f'<div><h2 class="outcome-title">{esc(head.title)}</h2>{lines}</div></section>')


_ZONED_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def _notices(page: Page, document: t.Mapping[str, t.Any]) -> str:
    """What the IT Head must not miss, right under the outcome: an insecure lab connection, a run lock taken over,
    a notice that could not be sent, the Exchange licence (the trial's days left, or the edition and the masked product
    key: a notice whose details ask for the first page). Each is also in its activity's evidence."""
    items = [(entry["number"], item) for entry in document["activities"] for item in entry.get("evidence") or []
             if item.get("kind") == "notice"
             and (item.get("level") in ("warning", "error") or (item.get("details") or {}).get("first_page") is True)]
    if not items:
        return ""
    rows = "".join(f'<li><span class="muted">{esc(page.t("notices.activity", number=number))}</span> '
                   f'{esc(item.get("summary_" + page.language) or item.get("summary_es") or "")}</li>' for number, item in items)
    return f'<section class="notices" id="notices" role="note"><h2>{esc(page.t("notices"))}</h2><ul>{rows}</ul></section>'


def _window_end(page: Page, text: str) -> str:
    """Window ends are free text in the contract; a time with its zone is shown like every other time."""
    return page.when(text) if _ZONED_TIME.match(text) and parse_iso(text) else text


def _technician_text(page: Page, run: t.Mapping[str, t.Any]) -> str:
    """The technician as the manual names him (name, position); the controller's login only as a technical detail."""
    technician = run.get("technician") or {}
    text = ", ".join(part for part in (technician.get("name"), technician.get("position")) if part)
    user = (run.get("controller") or {}).get("user")
    if text and user and technician.get("source") != "controller_user":
        text += f" ({page.t('technician.os_user', user=user)})"
    return text


def _reached_text(page: Page, reached: t.Mapping[str, t.Any]) -> str:
    """"Fase 16/20 · Rol de buzón: servicio de buzón (a los 47 min de iniciado)" (issue 18)."""
    phase = Position(str(reached.get("key")), str(reached["label_es"]), str(reached.get("label_en") or reached["label_es"]),
                     reached.get("index"), reached.get("total")).text(page.language)
    return page.t("diag.setup_reached_value", phase=phase,
                  elapsed=elapsed_text(float(reached.get("elapsed_seconds") or 0), page.language))


def _link_status(page: Page, status: object) -> str:
    return page.t(f"link.status.{status}") if status in v.RUN_STATUSES else str(status or page.t("unknown"))


def _run_links(page: Page, run: t.Mapping[str, t.Any], followed_by: t.Sequence[t.Mapping[str, t.Any]]) -> list[str]:
    """Issue 20, item 3: the failed run this one retries (and who authorised it), and the runs that continued this one
    (followed_by.json beside this report, report/earlier_runs.py)."""
    rows = []
    # A run that stopped while setup ran (the controller stopped, Ctrl-C): where setup was, unless the diagnosis says it.
    reached = run.get("setup_reached") if isinstance(run.get("setup_reached"), dict) else {}
    if reached.get("label_es") and run.get("status") != v.RUN_SUCCEEDED and not (run.get("failure") or {}).get("setup_reached"):
        rows.append(fact(page.t("diag.setup_reached"), esc(_reached_text(page, reached))))
    retry = run.get("retry_of") if isinstance(run.get("retry_of"), dict) else {}
    if retry.get("id"):
        values = {"id": retry["id"], "status": _link_status(page, retry.get("status")), "who": retry.get("authorised_by") or "",
                  "reference": retry.get("reference") or ""}
        key = {"authorised": "link.retry_authorised", "not_needed": "link.retry_not_needed", "not_named": "link.retry_not_named"
               }.get(str(retry.get("decision")), "link.retry_refused")
        rows.append(fact(page.t("link.retry_of"), esc(page.t(key, **values))))
    later = []
    for item in followed_by:
        values = {"id": item.get("id"), "status": _link_status(page, item.get("status")),
                  "when": page.when(item.get("finished") or item.get("started")) if (item.get("finished") or item.get("started")) else "",
                  "who": item.get("authorised_by") or "", "reference": item.get("reference") or ""}
        later.append(page.t("link.follow_up_authorised" if item.get("authorised") else "link.follow_up", **values))
    if later:
        rows.append(fact(page.t("link.followed_by"), esc("; ".join(later))))
    return rows


def _facts(page: Page, document: t.Mapping[str, t.Any], followed_by: t.Sequence[t.Mapping[str, t.Any]] | None = None) -> str:
    run, target = document["run"], document["target"]
    instruction = run.get("instruction") or {}
    window = instruction.get("planned_window") or {}
    window_text = " – ".join(_window_end(page, str(part)) for part in (window.get("start"), window.get("end")) if part)
    technician = _technician_text(page, run)
    server = target.get("host") or page.t("unknown")
    if target.get("fqdn") and target.get("fqdn") != target.get("host"):
        server = f"{server} ({target['fqdn']})"
    mode = target.get("mode")
    mode_text = page.t(f"mode.{mode}") if mode else page.t("unknown")
    if run.get("check_mode"):
        mode_text += f" · {page.t('check_mode')}"
    before_text, after_text = server_versions(page, target)
    versions = f'<span class="versions">{esc(before_text)}<span class="arrow">→</span>{esc(after_text)}</span>'
    versions = _with_security_update(page, target, before_text, after_text) or versions
    finished = page.when(run.get("finished")) if run.get("finished") else page.t("in_progress")
    took = duration(seconds_between(run.get("started"), run.get("finished") or run.get("last_update")))
    rows = [
        fact(page.t("instructed_by"), esc(instruction.get("who") or page.t("not_recorded"))),
        fact(page.t("technician"), esc(technician or page.t("unknown"))),
        fact(page.t("reference"), esc(instruction.get("reference") or page.t("not_recorded"))),
        fact(page.t("window"), esc(window_text or page.t("not_recorded"))),
        fact(page.t("started"), esc(page.when(run.get("started")))),
        fact(page.t("finished"), esc(finished)),
        fact(page.t("server"), esc(server)),
        fact(page.t("duration"), esc(took)),
        fact(page.t("os"), esc(os_text(target.get("os"), page.language))),
        fact(page.t("mode"), esc(mode_text)),
        fact(page.t("exchange"), versions),
    ] + _run_links(page, run, followed_by or [])
    return f'<h2 class="section">{esc(page.t("facts"))}</h2><dl class="facts">{"".join(rows)}</dl>{_participants(page, document)}'


def _with_security_update(page: Page, target: t.Mapping[str, t.Any], before_text: str, after_text: str) -> str | None:
    """Before -> after the CU -> after the security update, with its KB, when activity 9 installed one (issue 18)."""
    update = target.get("security_update") if isinstance(target.get("security_update"), dict) else {}
    if update.get("status") != "installed" or not update.get("version_before"):
        return None
    word = "actualización de seguridad" if page.language == "es" else "security update"
    middle = str(update["version_before"])
    named = ", ".join(part for part in (str(update.get("label") or ""), f"{word} {update.get('kb') or ''}".strip()) if part)
    last = f"{update.get('version_after') or after_text} ({named})"
    arrow = '<span class="arrow">→</span>'
    return f'<span class="versions">{esc(before_text)}{arrow}{esc(middle)}{arrow}{esc(last)}</span>'


def _media_label(target: t.Mapping[str, t.Any]) -> str:
    version = target.get("setup_version")
    try:
        info = build_info(str(version)) if version else None
    except ValueError:
        info = None
    return info.label if info else (str(version) if version else "Exchange")


def server_versions(page: Page, target: t.Mapping[str, t.Any]) -> tuple[str, str]:
    """What was on the server before the run and what is on it now, in words that do not lie.

    Setup's watermark (an interrupted setup) is neither "installed" nor "not installed": after a failed upgrade the server
    holds an interrupted upgrade, and a resumed run starts from the version the interrupted run found, read from that
    run's report when the report folder still has it."""
    before, after = target.get("exchange_before") or None, target.get("exchange_after") or None
    resumed = target.get("resumes_run") or {}
    earlier = resumed.get("exchange_before") if isinstance(resumed.get("exchange_before"), dict) else None
    if before and before.get("interrupted"):
        if earlier and not earlier.get("interrupted") and earlier.get("installed") is not False:
            before_text = version_text(earlier, page.language)
        elif earlier and earlier.get("installed") is False and not earlier.get("interrupted"):
            before_text = page.t("not_installed")
        else:
            before_text = page.t("ver.interrupted_before")
    else:
        before_text = version_text(before, page.language)
    if after and after.get("interrupted"):
        was_installed = bool(before and before.get("installed")) or bool(earlier and earlier.get("installed"))
        key = "ver.interrupted.upgrade" if was_installed or target.get("mode") == "upgrade" else "ver.interrupted.install"
        after_text = page.t(key, target=_media_label(target))
    else:
        after_text = version_text(after, page.language)
        if target.get("mode") == "resume" and after:
            after_text += " " + (page.t("ver.resumed", run=resumed["id"]) if resumed.get("id") else page.t("ver.resumed_unknown"))
    return before_text, after_text


def _participants(page: Page, document: t.Mapping[str, t.Any]) -> str:
    run = document["run"]
    people = []
    if (run.get("instruction") or {}).get("who"):
        people.append((run["instruction"]["who"], page.t("resp.it_head"), page.t("part.instructed")))
    if (run.get("technician") or {}).get("name"):
        people.append((run["technician"]["name"], page.t("resp.technician"), page.t("part.executed")))
    validation = document.get("validation")
    if validation:
        action = "part.validated" if validation.get("decision") == v.DECISION_VALIDATED else "part.returned"
        people.append((validation.get("name"), page.t("resp.it_head"), page.t(action)))
    items = "".join(f'<li><span class="who">{esc(name)}</span> · {esc(role)}, {esc(action)}</li>' for name, role, action in people)
    return f'<p class="muted" style="margin:14px 0 0">{esc(page.t("participants"))}</p><ul class="people">{items}</ul>' if items else ""


def _strip(page: Page, document: t.Mapping[str, t.Any]) -> str:
    cells = "".join(f'<li class="st-{esc(entry["status"])}" title="{esc(activity_title(entry, page.language))}">'
                    f'{entry["number"]}<span>{esc(page.t("status." + entry["status"]))}</span></li>'
                    for entry in document["activities"])
    return f'<p class="muted" style="margin:18px 0 0">{esc(page.t("progress"))}</p><ol class="strip">{cells}</ol>'


def _diagnosis(page: Page, document: t.Mapping[str, t.Any]) -> str:
    failure = document["run"].get("failure")
    if not failure or document["run"]["status"] != v.RUN_FAILED:
        return ""
    triage = failure.get("triage") or {}
    host = failure.get("host") or ""
    task = task_label(failure.get("task"), page.language, failure.get("activity"))
    where = (page.t("diag.where", number=failure["activity"], task=task, host=host) if failure.get("activity")
             else page.t("diag.where_outside", task=task, host=host))
    rows = []
    explanation = failure.get("explanation") or {}
    if explanation.get(page.language):
        rows.append(f"<dt>{esc(page.t('diag.explained'))}</dt><dd>{esc(explanation[page.language])}</dd>")
    if failure.get("censored"):
        rows.append(f"<dt>{esc(page.t('diag.message'))}</dt><dd>{esc(page.t('diag.hidden'))}</dd>")
    elif failure.get("msg"):
        rows.append(f"<dt>{esc(page.t('diag.message'))}</dt><dd><pre>{esc(page.localize(failure['msg']))}</pre></dd>")
    reached = failure.get("setup_reached") or {}
    if reached.get("label_es"):  # issue 18: where setup was when it stopped
        rows.append(f"<dt>{esc(page.t('diag.setup_reached'))}</dt><dd class=\"reached\">{esc(_reached_text(page, reached))}</dd>")
    if triage.get("category") or triage.get("error"):
        # The error line is what a person reads; the category code is for whoever searches the docs.
        code = f' <small class="muted">({esc(triage["category"])})</small>' if triage.get("category") else ""
        error = f'<q class="ms" lang="en">{esc(triage["error"])}</q>' if triage.get("error") else ""
        rows.append(f"<dt>{esc(page.t('diag.cause'))}</dt><dd>{error}{code}</dd>")
    advice = (triage.get("advice") or {}).get(page.language) if isinstance(triage.get("advice"), dict) else None
    if not advice:
        advice = (explanation.get("advice") or {}).get(page.language)
    who_acts = failure.get("who_acts") or {}
    if not advice and (not who_acts or failure.get("unreachable")):  # a refusal's or the generic `do` replaces the generic advice
        advice = page.t("advice.unreachable" if failure.get("unreachable") else "advice.generic")
    if who_acts.get("who"):  # issue 20, item 4: who acts first, the first step (then the advice's detail), what not to do
        rows.append(f"<dt>{esc(page.t('diag.who'))}</dt><dd class=\"who\"><strong>{esc(who_acts['who_label'][page.language])}</strong></dd>")
        first = (who_acts.get("do") or {}).get(page.language)
        advice = f"{first} {advice}" if first and advice else (first or advice)
    rows.append(f"<dt>{esc(page.t('diag.advice'))}</dt><dd class=\"advice\">{esc(advice)}</dd>")
    if (who_acts.get("dont") or {}).get(page.language):
        rows.append(f"<dt>{esc(page.t('diag.dont'))}</dt><dd class=\"dont\">{esc(who_acts['dont'][page.language])}</dd>")
    findings = [finding for finding in triage.get("findings") or [] if isinstance(finding, dict)]
    if findings:
        items = "".join(f'<li>{esc(finding.get("category"))}: <q class="ms" lang="en">{esc(finding.get("message"))}</q></li>'
                        for finding in findings)
        rows.append(f"<dt>{esc(page.t('diag.findings'))}</dt><dd><ul>{items}</ul></dd>")
    if triage.get("failed_rules"):
        rules = ", ".join(str(rule.get("rule", rule)) if isinstance(rule, dict) else str(rule) for rule in triage["failed_rules"])
        rows.append(f"<dt>{esc(page.t('diag.rules'))}</dt><dd>{esc(rules)}</dd>")
    if failure.get("stderr_tail"):
        rows.append(f"<dt>{esc(page.t('diag.output'))}</dt><dd><pre>{esc(failure['stderr_tail'])}</pre></dd>")
    return (f'<h2 class="section">{esc(page.t("diagnosis"))}</h2><section class="diagnosis" id="diagnosis">'
            f'<p class="where">{esc(where)}</p><dl>{"".join(rows)}</dl><p class="norm">{esc(page.t("advice.norm"))}</p></section>')


def _group_cell(page: Page, document: t.Mapping[str, t.Any], entry: t.Mapping[str, t.Any]) -> str:
    """Activities 3-8 share one planned time in the manual: one cell spans them, with their actual sum."""
    members = [other for other in document["activities"] if other.get("group") == entry["group"]]
    label = str(entry["group"]).replace("-", "–")
    total_minutes = {"min": sum(m["planned_minutes"]["min"] for m in members), "max": sum(m["planned_minutes"]["max"] for m in members)}
    spent = [m["duration_seconds"] for m in members if m.get("duration_seconds") is not None]
    actual = f'<small>{esc(page.t("group.actual", group=label, duration=duration(sum(spent))))}</small>' if spent else ""
    return (f'<td class="planned" rowspan="{len(members)}">{esc(planned(page, total_minutes))}'
            f'<small>{esc(page.t("group.planned", group=label))}</small>{actual}</td>')


def _activity_row(page: Page, document: t.Mapping[str, t.Any], entry: t.Mapping[str, t.Any], group_seen: set[str]) -> str:
    title = activity_title(entry, page.language)
    subtitle = i18n.text(page.language, "", f'<div class="activity-title-en">{esc(entry["title"])}</div>')
    if entry.get("group"):
        planned_cell = "" if entry["group"] in group_seen else _group_cell(page, document, entry)
        group_seen.add(entry["group"])
    else:
        planned_cell = f'<td class="planned">{esc(planned(page, entry["planned_minutes"]))}</td>'
    full_title = i18n.text(page.language, entry.get("responsible_title"), entry.get("responsible_title_en"))
    # A pending activity shows no times, even the review's, whose tasks may have run in an install run.
    pending = entry["status"] == v.PENDING
    actual = duration(entry.get("duration_seconds")) if entry.get("duration_seconds") is not None and not pending else "—"
    started = "" if pending else page.when(entry.get("started"), "time")
    return (f'<tr class="row-{esc(entry["status"])}" id="activity-{entry["number"]}"><td class="num">{entry["number"]}</td>'
            f'<td><div class="activity-title">{esc(title)}</div>{subtitle}{activity_body(page, entry)}</td>'
            f'<td title="{esc(full_title)}">{esc(page.t("resp." + entry["responsible"]))}</td>{planned_cell}'
            f'<td class="when">{esc(started) or "—"}</td><td class="actual">{esc(actual)}</td>'
            f'<td>{status_pill(page, entry["status"])}</td></tr>')


def _timeline(page: Page, document: t.Mapping[str, t.Any]) -> str:
    columns = ("col.number", "col.activity", "col.responsible", "col.planned", "col.started", "col.actual", "col.status")
    heads = "".join(f"<th>{esc(page.t(key))}</th>" for key in columns)
    seen: set[str] = set()
    rows = "".join(_activity_row(page, document, entry, seen) for entry in document["activities"])
    run = document["run"]
    low = sum(entry["planned_minutes"]["min"] for entry in document["activities"])
    high = sum(entry["planned_minutes"]["max"] for entry in document["activities"])
    actual = duration(seconds_between(run.get("started"), run.get("finished") or run.get("last_update")))
    legend = "; ".join(f"{page.t('resp.' + key)} = {titles[page.language]}" for key, titles in RESPONSIBLE_TITLES.items())
    return (f'<h2 class="section">{esc(page.t("timeline"))}</h2><table class="activities"><thead><tr>{heads}</tr></thead>'
            f'<tbody>{rows}</tbody></table><p class="totals">{esc(page.t("planned.total", low=low, high=high, actual=actual))}</p>'
            f'<p class="legend">{esc(page.t("legend"))}: {esc(legend)}.</p>')


def _validation(page: Page, document: t.Mapping[str, t.Any]) -> str:
    validation = document.get("validation")
    head = f'<h2 class="section">{esc(page.t("validation"))}</h2>'
    if not validation:
        lines = "".join(f"<div>{esc(page.t(key))}</div>" for key in ("sign.name", "sign.signature", "sign.date"))
        return (f'{head}<section class="validation" id="validation"><p>{esc(page.t("val.pending_text"))}</p>'
                f'<div class="sign-lines">{lines}</div></section>')
    decision = validation.get("decision", "")
    digest = validation.get("report_sha256") or ""
    grouped = " ".join(digest[index:index + 8] for index in range(0, len(digest), 8))
    rows = [
        (page.t("val.name"), esc(validation.get("name"))),
        (page.t("val.decision"), f'<span class="pill decision-{esc(decision)}">{esc(page.t("decision." + decision))}</span>'),
        (page.t("val.comment"), f'<span style="white-space:pre-line">{esc(validation.get("comment") or "—")}</span>'),
        (page.t("val.time"), esc(page.when(validation.get("recorded_at"), "seconds"))),
        (page.t("val.digest"), f'<span class="digest">{esc(grouped)}</span><br><small class="muted">{esc(page.t("val.digest_note"))}</small>'),
    ]
    items = "".join(f"<dt>{esc(label)}</dt><dd>{value}</dd>" for label, value in rows)
    return f'{head}<section class="validation" id="validation"><dl>{items}</dl></section>'


def _footer(page: Page, document: t.Mapping[str, t.Any]) -> str:
    run = document["run"]
    return (f'<footer>{esc(page.t("footer", schema=document.get("schema_version"), run=run.get("id"), zone=zone_label(page.zone, run.get("started"))))} '
            f'{esc(page.t("footer.updated", time=page.when(run.get("last_update"), "seconds")))}</footer>')


def render(document: t.Mapping[str, t.Any], language: str | None = None,
           followed_by: t.Sequence[t.Mapping[str, t.Any]] | None = None) -> str:
    """The page for a report document, in its recorded language unless one is given; `followed_by`: the later runs that
    continued this one (followed_by.json beside it), shown among the facts."""
    presentation = document.get("presentation") or {}
    page = Page(language or presentation.get("language") or "es", presentation.get("timezone"))
    if page.language not in v.LANGUAGES:
        page = Page("es", page.zone)
    title = f'RPI · {page.t("doc_title")} · {document["procedure"]["code"]} · {document["run"].get("id")}'
    body = "".join((_masthead(page, document), _outcome(page, document), _notices(page, document), _facts(page, document, followed_by),
                    _strip(page, document),
                    _diagnosis(page, document), _timeline(page, document), _validation(page, document), _footer(page, document)))
    return (f'<!DOCTYPE html>\n<html lang="{page.language}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="rpi.exchange procedure_report">'
            f'<title>{esc(title)}</title><style>{CSS}</style></head>'
            f'<body><main class="page">{body}</main></body></html>\n')
