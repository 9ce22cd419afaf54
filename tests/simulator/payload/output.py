"""What each kind of command must print for ansible-core to accept it (2.19 and 2.21 alike).

Checked against ansible-core's winrm connection plugin and executor scripts:
  - module: the module's JSON result on stdout; rc 0, or rc 1 with "failed": true;
  - mkdtemp (powershell_mkdtemp.ps1): the created directory's full path (the action plugin takes
    the last stdout line);
  - expand_user (powershell_expand_user.ps1): the expanded path;
  - put_file (winrm_put_file.ps1): '{"sha1":"<hex>"}' - the plugin json-loads stdout and compares
    the sha1 with the local file's, failing on a mismatch or a missing key; rc must be 0;
  - fetch_file (winrm_fetch_file.ps1): base64 of the bytes [Offset, Offset+BufferSize) (nothing
    at end of file), "[DIR]" for a directory, rc 1 + "<path> does not exist" on stderr otherwise.
PowerShell ends every output line with CRLF.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

from simulator.invocation import CommandResult, Invocation

_ENV_VAR = re.compile(r"%([^%]+)%")


def _line(text: str) -> bytes:
    return (text + "\r\n").encode("utf-8")


def module_result(result: dict) -> CommandResult:
    """rc follows the module convention: 1 when the result says failed."""
    rc = 1 if result.get("failed") else 0
    return CommandResult(rc, _line(json.dumps(result, sort_keys=True)))


def failure(msg: str, rc: int = 1) -> CommandResult:
    """A failure every caller can read: module-style JSON on stdout, the text on stderr."""
    return CommandResult(rc, _line(json.dumps({"failed": True, "msg": msg})), _line(msg))


def raw_result(stdout: str = "", stderr: str = "", rc: int = 0) -> CommandResult:
    out = stdout if not stdout or stdout.endswith("\n") else stdout + "\r\n"
    err = stderr if not stderr or stderr.endswith("\n") else stderr + "\r\n"
    return CommandResult(rc, out.encode("utf-8"), err.encode("utf-8"))


def expand_env_vars(text: str, env: dict[str, str]) -> str:
    """[Environment]::ExpandEnvironmentVariables: %NAME% case-insensitively; unknown names stay."""
    lowered = {k.lower(): v for k, v in env.items()}
    return _ENV_VAR.sub(lambda m: lowered.get(m.group(1).lower(), m.group(0)), text)


def mkdtemp_path(inv: Invocation, env: dict[str, str]) -> str:
    """The directory powershell_mkdtemp.ps1 creates: ExpandEnvironmentVariables(Directory)\\Name."""
    directory = expand_env_vars(str(inv.params.get("Directory", "")), env).rstrip("\\/")
    return f"{directory}\\{inv.params.get('Name', '')}"


def mkdtemp_result(path: str) -> CommandResult:
    return CommandResult(0, _line(path))


def expand_user_path(path: str, user_profile: str) -> str:
    """powershell_expand_user.ps1: '~' and '~\\rest' relative to the user's profile."""
    if path == "~":
        return user_profile
    if path.startswith("~\\"):
        return user_profile.rstrip("\\") + "\\" + path[2:]
    return path


def expand_user_result(path: str) -> CommandResult:
    return CommandResult(0, _line(path))


def put_file_result(data: bytes) -> CommandResult:
    return CommandResult(0, _line('{"sha1":"%s"}' % hashlib.sha1(data).hexdigest()))


def fetch_file_result(inv: Invocation, content: bytes | None, is_dir: bool = False) -> CommandResult:
    """`content` is the whole remote file, None when the path does not exist."""
    if is_dir:
        return CommandResult(0, _line("[DIR]"))
    if content is None:
        return CommandResult(1, b"", _line(f"{inv.params.get('Path', '')} does not exist"))
    offset = int(inv.params.get("Offset", 0))
    size = int(inv.params.get("BufferSize", 524288))
    chunk = content[offset:offset + size]
    return CommandResult(0, _line(base64.b64encode(chunk).decode()) if chunk else b"")
