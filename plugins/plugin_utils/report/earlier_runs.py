# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The earlier run a resumed run continues, found among the reports of the same report folder.

When setup's decision is to resume an interrupted installation, the server only says that
setup left its watermark; the run that left it is the newest earlier report of the same
server that did not succeed. Its id and what Exchange was before it are what the header of
the resumed run shows ("2019 CU15 → SE RTM (reanudación de la ejecución <id>)").

A retry names the run it continues (issue 20, item 3): activity 1 reads the newest earlier report
of the server (`last_run`, with who acts first on its failure) to decide whether the instruction
must name it (_preflight/retry.py), and the later run's report keeps `run.retry_of`. The way back,
from the failed run to the run that followed it, is `followed_by.json` beside the failed run's
report (`record_follow_up`): report.json is never rewritten, so the digests of a validated report
(report/digest.py) stay true. The failed run's page is rendered again with the link only while it
is not validated (a validated page is sealed by its html_sha256); the review reads the file.
"""

from __future__ import annotations

import json
import typing as t
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import ReportError, json_bytes, load_report, write_atomic

# How many earlier folders are opened at most (newest first): a resumed run follows its failed run closely.
MAX_SCANNED = 50
FOLLOWED_BY = "followed_by.json"
MAX_FOLLOW_UPS = 50


def _same_server(document: t.Mapping[str, t.Any], host: str) -> bool:
    target = document.get("target") or {}
    names = {str(name).lower() for name in [target.get("host"), target.get("fqdn"), *(target.get("hosts") or [])] if name}
    return host.lower() in names or host.lower().split(".")[0] in {name.split(".")[0] for name in names}


def find_resumed_run(root: str | Path, host: str | None, current_id: str) -> dict[str, t.Any] | None:
    """{"id", "status", "exchange_before"} of the newest earlier run on this server that failed or was interrupted
    (not a rehearsal in check mode), or None."""
    if not host:
        return None
    try:
        folders = sorted((path for path in Path(root).iterdir() if path.is_dir() and not path.is_symlink() and path.name < current_id),
                         key=lambda path: path.name, reverse=True)[:MAX_SCANNED]
    except OSError:
        return None
    for folder in folders:
        try:
            document = load_report(folder)
        except ReportError:
            continue
        run = document.get("run") or {}
        if run.get("check_mode") or not _same_server(document, host):
            continue
        if run.get("status") in (v.RUN_FAILED, v.RUN_INTERRUPTED):
            found: dict[str, t.Any] = {"id": str(run.get("id") or folder.name), "status": run["status"]}
            before = (document.get("target") or {}).get("exchange_before")
            if isinstance(before, dict):
                found["exchange_before"] = before
            return found
        return None  # the newest earlier run on this server succeeded: it is not the one being resumed
    return None


def _earlier_reports(root: str | Path, current_id: str) -> t.Iterator[tuple[Path, dict[str, t.Any]]]:
    try:
        folders = sorted((path for path in Path(root).iterdir() if path.is_dir() and not path.is_symlink() and path.name < current_id),
                         key=lambda path: path.name, reverse=True)[:MAX_SCANNED]
    except OSError:
        return
    for folder in folders:
        try:
            yield folder, load_report(folder)
        except ReportError:
            continue


def last_run(root: str | Path, host: str | None, current_id: str) -> dict[str, t.Any] | None:
    """{"id", "status", "finished", "who_acts", "basis"} of the newest earlier run on this server that was not a rehearsal in
    check mode, or None. `who_acts` is who acts first on its failure (report/who_acts.py: tecnico, encargado_ti) and `basis`
    what decided it ("refusal:refusal" for a refusal before any change), or None."""
    if not host:
        return None
    for folder, document in _earlier_reports(root, current_id):
        run = document.get("run") or {}
        if run.get("check_mode") or not _same_server(document, host):
            continue
        failure = run.get("failure") if isinstance(run.get("failure"), dict) else {}
        who_acts = failure.get("who_acts") or {}
        return {"id": str(run.get("id") or folder.name), "status": str(run.get("status") or ""),
                "finished": run.get("finished"), "who_acts": who_acts.get("who"), "basis": who_acts.get("basis")}
    return None


def read_followed_by(run_dir: str | Path) -> list[dict[str, t.Any]]:
    """The later runs that continued this one (followed_by.json), oldest first; [] when none or unreadable."""
    try:
        value = json.loads((Path(run_dir) / FOLLOWED_BY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [item for item in value if isinstance(item, dict) and item.get("id")] if isinstance(value, list) else []


def follow_up_of(document: t.Mapping[str, t.Any]) -> tuple[str, dict[str, t.Any]] | None:
    """(earlier run id, this run as its follow-up) when this run retries or resumes an earlier one, else None."""
    run, target = document.get("run") or {}, document.get("target") or {}
    retry = run.get("retry_of") if isinstance(run.get("retry_of"), dict) else {}
    resumed = target.get("resumes_run") if isinstance(target.get("resumes_run"), dict) else {}
    # A retry that went ahead (authorised, or the technician's to decide); a refused one changed nothing and continues nothing.
    earlier = retry.get("id") if retry.get("decision") in ("authorised", "not_named") else None
    earlier = earlier or resumed.get("id")
    if not earlier or run.get("check_mode"):
        return None
    instruction = run.get("instruction") or {}
    later = {"id": run.get("id"), "status": run.get("status"), "started": run.get("started"), "finished": run.get("finished"),
             "mode": target.get("mode"), "authorised": bool(retry.get("authorised")),
             "authorised_by": retry.get("authorised_by") or instruction.get("who"),
             "reference": retry.get("reference") or instruction.get("reference")}
    return str(earlier), {key: value for key, value in later.items() if value is not None}


def record_follow_up(root: str | Path, earlier_id: str, later: t.Mapping[str, t.Any]) -> Path | None:
    """Add (or update) `later` in the earlier run's followed_by.json; the path written, or None when the earlier run's
    folder is not in this report folder. Its report.json is left as it is."""
    folder = Path(root) / earlier_id
    if not later.get("id") or "/" in earlier_id or not (folder / "report.json").is_file():
        return None
    items = [item for item in read_followed_by(folder) if item.get("id") != later.get("id")]
    items = (items + [dict(later)])[-MAX_FOLLOW_UPS:]
    try:
        write_atomic(folder / FOLLOWED_BY, json_bytes(items))  # type: ignore[arg-type]  # a list, written the same way
    except OSError as error:
        raise ReportError(f"cannot write {folder / FOLLOWED_BY}: {error}") from error
    return folder / FOLLOWED_BY


def link_back(root: str | Path, document: t.Mapping[str, t.Any]) -> Path | None:
    """Once a run that retries or resumes an earlier one ends: record it beside the earlier run (followed_by.json) and,
    while the earlier report is not validated, render its page again with the link. Returns the file written, or None."""
    found = follow_up_of(document)
    if found is None:
        return None
    earlier_id, later = found
    written = record_follow_up(root, earlier_id, later)
    if written is None:
        return None
    folder = written.parent
    try:
        earlier = load_report(folder)
    except ReportError:
        return written
    if not earlier.get("validation"):
        # A validated page is sealed by its digest (report/digest.py html_sha256): only followed_by.json speaks for it.
        from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render  # pylint: disable=import-outside-toplevel

        try:
            write_atomic(folder / "report.html", render(earlier, followed_by=read_followed_by(folder)).encode("utf-8"))
        except OSError as error:
            raise ReportError(f"cannot write {folder / 'report.html'}: {error}") from error
    return written
