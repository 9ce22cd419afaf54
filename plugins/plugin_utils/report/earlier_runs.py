# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The earlier run a resumed run continues, found among the reports of the same report folder.

When setup's decision is to resume an interrupted installation, the server only says that
setup left its watermark; the run that left it is the newest earlier report of the same
server that did not succeed. Its id and what Exchange was before it are what the header of
the resumed run shows ("2019 CU15 → SE RTM (reanudación de la ejecución <id>)").
"""

from __future__ import annotations

import typing as t
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import ReportError, load_report

# How many earlier folders are opened at most (newest first): a resumed run follows its failed run closely.
MAX_SCANNED = 50


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
