"""Turns one WinRS command (command line + complete stdin) into an `Invocation`.

The format is recognised from what was received, never assumed from a configured version:
  - stdin starting with the exec_wrapper JSON line -> exec manifest (2.19/2.21/2.22 families);
    the final action names the kind (module_wrapper.ps1, powershell_mkdtemp.ps1, ...) and the
    actions before it are wrappers (become, async);
  - no stdin and an -EncodedCommand that is not the bootstrap wrapper -> kind "raw";
  - anything else raises PayloadError.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field

from simulator.invocation import Invocation

from .cmdline import CommandLine, is_bootstrap_wrapper, parse_command_line
from .envelope import Envelope, decode_script, looks_like_exec_payload, split_stdin
from .errors import PayloadError

# Final action -> Invocation.kind for the connection plumbing scripts.
PLUMBING = {
    "powershell_mkdtemp.ps1": "mkdtemp",
    "powershell_expand_user.ps1": "expand_user",
    "winrm_put_file.ps1": "put_file",
    "winrm_fetch_file.ps1": "fetch_file",
}
MODULE_WRAPPER = "module_wrapper.ps1"
_STRICT_MODE = "Set-StrictMode -Version Latest"
_PRESERVE_RC = "If (-not $?) { If (Get-Variable LASTEXITCODE"
# Wrapper actions that may precede the final one; anything else is an unknown format.
KNOWN_WRAPPERS = {"become_wrapper.ps1", "async_wrapper.ps1", "async_watchdog.ps1", "coverage_wrapper.ps1"}


@dataclass
class Decoded:
    """An Invocation plus what the adapter saw, for tests and diagnostics (no secrets)."""

    invocation: Invocation
    format: str  # "raw", "cmd", "2.19", "2.21", "2.22"
    actions: list[str] = field(default_factory=list)  # action names, outermost first
    wrapper_params: dict[str, dict] = field(default_factory=dict)  # non-final actions' params (no secure_params)
    bootstrap_params: dict = field(default_factory=dict)
    command: CommandLine | None = None


def module_name_from_script(script_key: str, fallback: str = "") -> str:
    """'ansible_collections.ansible.windows.plugins.modules.win_ping.ps1' -> 'ansible.windows.win_ping'."""
    stem = script_key
    for ext in (".ps1", ".cs", ".psm1"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    parts = stem.split(".")
    if len(parts) >= 6 and parts[0] == "ansible_collections" and parts[3:5] == ["plugins", "modules"]:
        return ".".join([parts[1], parts[2], *parts[5:]])
    if len(parts) >= 3 and parts[:2] == ["ansible", "modules"]:
        return "ansible.builtin." + ".".join(parts[2:])
    if stem.startswith("ansible.builtin.script."):
        return "ansible.builtin.script"
    return fallback or stem


def _module_args(params: dict) -> dict:
    if "ArgumentJSON" in params:  # 2.22: the args travel as a JSON string
        try:
            value = json.loads(params["ArgumentJSON"] or "{}")
        except ValueError as exc:
            raise PayloadError(f"ArgumentJSON is not valid JSON: {exc}") from None
        return value if isinstance(value, dict) else {}
    for variable in params.get("Variables") or []:
        if variable.get("Name") == "complex_args":
            return variable.get("Value") or {}
    return {}


def _piped_base64(piped: bytes | None) -> bytes:
    """put_file: each piped line is base64 of one chunk of the file."""
    chunks = []
    for line in (piped or b"").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            chunks.append(base64.b64decode(line, validate=True))
        except (binascii.Error, ValueError) as exc:
            raise PayloadError(f"put_file input line is not base64: {exc}") from None
    return b"".join(chunks)


def _apply_wrapper(inv: Invocation, action: dict) -> None:
    name, params = action.get("name", ""), action.get("params") or {}
    if name == "become_wrapper.ps1":
        inv.become_user = str(params.get("BecomeUser") or "")
        inv.become_password = (action.get("secure_params") or {}).get("BecomePassword")
    elif name == "async_wrapper.ps1":
        inv.async_jid = str(params.get("AsyncJid") or "")
    elif name == "async_watchdog.ps1":
        inv.async_timeout = int(params.get("Timeout") or 0)


def _from_manifest(env: Envelope, command: CommandLine) -> Decoded:
    actions = env.manifest["actions"]
    names = [str(a.get("name", "")) for a in actions]
    final = actions[-1]
    final_name, final_params = names[-1], dict(final.get("params") or {})
    unknown = [n for n in names[:-1] if n not in KNOWN_WRAPPERS]
    if unknown:
        raise PayloadError(f"unknown wrapper action(s) {unknown} before {final_name!r}")

    if final_name == MODULE_WRAPPER:
        complex_args = _module_args(final_params)
        script_key = str(final_params.get("Script", ""))
        inv = Invocation(
            kind="module",
            core_version=str(complex_args.get("_ansible_version", "")) or env.format,
            module_name=module_name_from_script(script_key, str(complex_args.get("_ansible_module_name", ""))),
            args={k: v for k, v in complex_args.items() if not k.startswith("_ansible_")},
            ansible_vars={k: v for k, v in complex_args.items() if k.startswith("_ansible_")},
        )
        # The args are in `args` already; the big Variables/ArgumentJSON copies are not repeated in params.
        final_params.pop("Variables", None)
        final_params.pop("ArgumentJSON", None)
        if not final_params.get("ForModule"):
            # ansible.builtin.script: the "module" is the user's script text.
            inv.script = decode_script(env.manifest, script_key)
    elif final_name in PLUMBING:
        inv = Invocation(kind=PLUMBING[final_name], core_version=env.format)
        if inv.kind == "put_file":
            inv.input_data = _piped_base64(env.piped)
    else:
        raise PayloadError(f"unknown final action {final_name!r} in the exec manifest (actions: {names})")

    inv.params = final_params
    wrapper_params = {}
    for action in actions[:-1]:
        _apply_wrapper(inv, action)
        wrapper_params[str(action.get("name"))] = dict(action.get("params") or {})
    return Decoded(inv, env.format, names, wrapper_params, dict(env.bootstrap.get("params") or {}), command)


def strip_encode_framing(script: str) -> str:
    """Drop the lines 2.19's ShellModule._encode_script adds around a script (cleanup's Remove-Item has them).

    strict_mode prepends 'Set-StrictMode -Version Latest'; preserve_rc appends 'If (-not $?) {...}'.
    They are ansible-core framing, not the task's text, and 2.21 no longer adds them.
    """
    lines = script.split("\n")
    if lines and lines[0].strip() == _STRICT_MODE:
        lines = lines[1:]
    if lines and lines[-1].strip().startswith(_PRESERVE_RC):
        lines = lines[:-1]
    return "\n".join(lines)


def decode_details(command_line: str, stdin: bytes = b"") -> Decoded:
    command = parse_command_line(command_line)
    if stdin and looks_like_exec_payload(stdin):
        if command.script is not None and not is_bootstrap_wrapper(command.script):
            raise PayloadError("stdin carries an exec manifest but the command is not ansible-core's bootstrap wrapper")
        return _from_manifest(split_stdin(stdin), command)
    if command.script is not None and is_bootstrap_wrapper(command.script):
        if stdin:
            split_stdin(stdin)  # raises with the most specific message (e.g. the 2.18 format hint)
        raise PayloadError("bootstrap wrapper without exec manifest on stdin (non-pipelined module execution is not supported)")
    if command.script is None:
        # A plain cmd.exe command line (pywinrm run_cmd); kept verbatim for the backend.
        return Decoded(Invocation(kind="raw", script=command_line.strip(), input_data=stdin), "cmd", command=command)
    inv = Invocation(kind="raw", script=strip_encode_framing(command.script), input_data=stdin)
    if command.arguments:
        inv.params = {"EncodedArguments": command.arguments}
    return Decoded(inv, "raw", command=command)


def decode(command_line: str, stdin: bytes = b"") -> Invocation:
    """Decode one WinRS command; raises PayloadError on an unknown format."""
    return decode_details(command_line, stdin).invocation
