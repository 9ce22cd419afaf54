# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report folders on disk: where they go, how they are named, how they are written.

Every write is a temporary file in the same folder renamed over the old one, so a reader
(or a crash at any instant) sees either the previous complete report or the new one,
never half of each file.
"""

from __future__ import annotations

import datetime
import json
import os
import secrets
import tempfile
import typing as t
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import LATEST_LINK, REPORT_HTML, REPORT_JSON

DEFAULT_ROOT = "reports"


class ReportError(Exception):
    """A report folder that cannot be read or written."""


def resolve_root(configured: str | None, config_file: str | None, cwd: str | None = None) -> Path:
    """Relative folders are taken from the ansible.cfg in use (the checkout), else the cwd."""
    root = Path(os.path.expanduser(configured or DEFAULT_ROOT))
    if root.is_absolute():
        return root
    base = Path(config_file).resolve().parent if config_file else Path(cwd or os.getcwd())
    return base / root


def new_run_id(now: datetime.datetime) -> str:
    """UTC time first so folders sort by time; a short random tail keeps parallel runs apart."""
    return now.astimezone(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(3)


def create_run_dir(root: Path, run_id: str) -> Path:
    try:
        root.mkdir(parents=True, exist_ok=True)
        run_dir = root / run_id
        run_dir.mkdir()
    except OSError as error:
        raise ReportError(f"cannot create the report folder under {root}: {error}") from error
    return run_dir


def update_latest(root: Path, run_id: str) -> None:
    """Point `latest` at the run, atomically (a new link renamed over the old one)."""
    link = root / LATEST_LINK
    temporary = root / f".{LATEST_LINK}.{secrets.token_hex(4)}"
    try:
        os.symlink(run_id, temporary)
        os.replace(temporary, link)
    except OSError as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise ReportError(f"cannot update {link}: {error}") from error


def write_atomic(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        # Reports hold no secrets by construction and are meant to be read by the team.
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def json_bytes(document: t.Mapping[str, t.Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_report(run_dir: Path, document: t.Mapping[str, t.Any], html: str) -> None:
    try:
        write_atomic(run_dir / REPORT_JSON, json_bytes(document))
        write_atomic(run_dir / REPORT_HTML, html.encode("utf-8"))
    except OSError as error:
        raise ReportError(f"cannot write the report in {run_dir}: {error}") from error


def load_report(run_dir: str | os.PathLike[str]) -> dict[str, t.Any]:
    path = Path(run_dir) / REPORT_JSON
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReportError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or "activities" not in document or "run" not in document:
        raise ReportError(f"{path} is not a run report")
    return document


def read_html(run_dir: str | os.PathLike[str]) -> bytes:
    path = Path(run_dir) / REPORT_HTML
    try:
        return path.read_bytes()
    except OSError as error:
        raise ReportError(f"cannot read {path}: {error}") from error
