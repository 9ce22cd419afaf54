"""Splits the stdin that ansible-core (2.19+) pipes into bootstrap_wrapper.ps1.

Layout: one JSON line {"name": "exec_wrapper", "script": ..., "params": {...}}, the separator
"\\n\\0\\0\\0\\0\\n", the exec manifest (JSON; 2.22 may send base64(gzip(JSON)) instead), and
optionally a second separator followed by input piped to the final action (put_file data).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import json
from dataclasses import dataclass, field

from .errors import PayloadError

SEPARATOR = b"\n\0\0\0\0\n"
_EXEC_WRAPPER_PREFIX = b'{"name": "exec_wrapper"'


@dataclass
class Envelope:
    bootstrap: dict  # name, script (exec_wrapper.ps1 source), params (MinOSVersion, TempPath, PwshPath, ...)
    manifest: dict  # scripts, actions, signed_hashlist
    piped: bytes | None = None  # bytes after the second separator; None when there was none
    compressed: bool = False
    format: str = "2.19"  # payload family: 2.19, 2.21 (PwshPath) or 2.22 (compressed / ArgumentJSON)
    notes: list[str] = field(default_factory=list)


def looks_like_exec_payload(stdin: bytes) -> bool:
    return stdin.lstrip().startswith(_EXEC_WRAPPER_PREFIX)


def _legacy_hint(stdin: bytes) -> str:
    dummy, sep, tail = stdin.partition(b"\0\0\0\0")
    if sep and b'"module_entry"' in tail:
        return " (this looks like the ansible-core <= 2.18 payload: exec_wrapper source + module_entry JSON; it is not supported)"
    return ""


def _load_manifest(text: bytes, bootstrap_params: dict) -> tuple[dict, bool]:
    stripped = text.strip()
    if stripped.startswith(b"{"):
        try:
            return json.loads(stripped), False
        except ValueError as exc:
            raise PayloadError(f"exec manifest is not valid JSON: {exc}") from None
    # 2.22: base64(gzip(json)) when that is smaller, flagged by DecompressInput.
    try:
        raw = gzip.decompress(base64.b64decode(stripped, validate=True))
        return json.loads(raw), True
    except (binascii.Error, OSError, EOFError, ValueError) as exc:
        flag = " (DecompressInput is set)" if bootstrap_params.get("DecompressInput") else ""
        raise PayloadError(f"exec manifest is neither JSON nor base64(gzip(JSON)){flag}: {exc}") from None


def split_stdin(stdin: bytes) -> Envelope:
    if not looks_like_exec_payload(stdin):
        raise PayloadError("stdin does not start with the exec_wrapper JSON line" + _legacy_hint(stdin))
    parts = stdin.split(SEPARATOR, 2)
    if len(parts) < 2:
        raise PayloadError("stdin has the exec_wrapper line but no manifest separator")
    try:
        bootstrap = json.loads(parts[0])
    except ValueError as exc:
        raise PayloadError(f"exec_wrapper line is not valid JSON: {exc}") from None
    params = bootstrap.get("params") or {}
    manifest, compressed = _load_manifest(parts[1], params)
    if not isinstance(manifest, dict) or not isinstance(manifest.get("actions"), list) or not manifest["actions"]:
        raise PayloadError("exec manifest has no 'actions' list")
    envelope = Envelope(bootstrap=bootstrap, manifest=manifest, compressed=compressed)
    if len(parts) == 3:
        envelope.piped = parts[2]
    if compressed or "DecompressInput" in params or any("ArgumentJSON" in (a.get("params") or {}) for a in manifest["actions"]):
        envelope.format = "2.22"
    elif "PwshPath" in params:
        envelope.format = "2.21"
    return envelope


def decode_script(manifest: dict, name: str) -> str:
    """The text of one script of the manifest (scripts[name].script is base64)."""
    entry = (manifest.get("scripts") or {}).get(name)
    if not entry:
        return ""
    try:
        return base64.b64decode(entry.get("script", "")).decode("utf-8-sig")
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise PayloadError(f"script {name!r} in the manifest is not base64 UTF-8: {exc}") from None
