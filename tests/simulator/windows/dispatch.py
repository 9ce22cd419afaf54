"""Route one decoded Invocation to the Windows model: modules, raw commands and connection plumbing.

`execute(host, invocation, session)` is what simulator.host's Backend calls for everything Windows handles.
Output conventions (winrm-wire-facts §2): a module prints its JSON result, rc 0 on success and rc 1 with
`failed: true`; plumbing scripts print what their .ps1 prints (mkdtemp: the path; put_file: {"sha1": ...};
fetch_file: base64 or "[DIR]").
"""

from __future__ import annotations

import base64
import json
import random
from dataclasses import fields
from datetime import datetime
from typing import Any

from ..invocation import CommandResult, Invocation, Session
from . import modules as module_registry
from . import paths
from .filesystem import FsError
from .modules._common import ModuleCall, ModuleFailure
from .raw import run_raw
from .specs import ArgumentError, CheckModeUnsupported, get_spec, validate
from .state import SYSTEM_ACCOUNT, WindowsHost

NO_LOG_MASK = "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
_SERVICE_ACCOUNTS = {"system", "nt authority\\system", "localsystem", "nt authority\\network service",
                     "networkservice", "nt authority\\local service", "localservice"}


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(result: dict[str, Any]) -> str:
    return json.dumps(result, default=_json_default, separators=(",", ":"))


def _out(text: str, rc: int = 0, err: str = "") -> CommandResult:
    return CommandResult(rc, (text + "\r\n").encode("utf-8") if text else b"", err.encode("utf-8"))


def _module_out(result: dict[str, Any]) -> CommandResult:
    return CommandResult(1 if result.get("failed") else 0, (to_json(result) + "\r\n").encode("utf-8"))


def _mask(value: Any, secrets: set[str]) -> Any:
    if not secrets:
        return value
    if isinstance(value, dict):
        return {k: _mask(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v, secrets) for v in value]
    if isinstance(value, str):
        for secret in secrets:
            if secret and secret in value:
                value = value.replace(secret, "********") if value != secret else NO_LOG_MASK
        return value
    return value


def effective_user(host: WindowsHost, invocation: Invocation, session: Session) -> tuple[str, str | None]:
    """(canonical user the code runs as, error message if `become` fails) — Ansible.Become's LogonUser."""
    user = host.canonical_user(session.username)
    if not invocation.become_user:
        return user, None
    become = invocation.become_user
    if become.lower() in _SERVICE_ACCOUNTS:
        return host.canonical_user(become), None
    acct = host.find_account(become)
    if acct is None or not host.authenticate(become, invocation.become_password or ""):
        shown = become if "\\" in become or "@" in become else f".\\{become}"
        code, text = (1326, "The user name or password is incorrect")
        return user, (f'Exception calling "CreateProcessAsUser" with "9" argument(s): "Failed to logon {shown} '
                      f'({text}, Win32ErrorCode {code} - 0x{code:08X})"')
    return acct.qualified, None


def execute(host: WindowsHost, invocation: Invocation, session: Session) -> CommandResult:
    """Run one invocation against the Windows model."""
    if not host.is_up():
        return CommandResult(1, b"", b"The simulated server is not reachable (rebooting or WinRM restarting)")
    host.poll()
    try:
        if invocation.kind == "module":
            return run_module(host, invocation, session)
        user = host.canonical_user(session.username)
        if invocation.kind == "raw":
            return run_raw(host, invocation.script, user, session.auth)
        if invocation.kind == "mkdtemp":
            return _mkdtemp(host, invocation, user)
        if invocation.kind == "expand_user":
            return _expand_user(host, invocation, user)
        if invocation.kind == "put_file":
            return _put_file(host, invocation)
        if invocation.kind == "fetch_file":
            return _fetch_file(host, invocation)
    except FsError as err:
        return _out("", 1, str(err))
    return _out("", 1, f"The simulated Windows server does not model invocation kind {invocation.kind!r}")


# ------------------------------------------------------------------------------------ modules
def run_module(host: WindowsHost, invocation: Invocation, session: Session) -> CommandResult:
    shown = str(invocation.ansible_vars.get("_ansible_module_name") or invocation.module_name)
    found = module_registry.resolve(invocation.module_name)
    if found is None:
        return _module_out({"failed": True, "changed": False,
                            "msg": f"The simulated Windows server does not model the module {invocation.module_name!r}"})
    fqcn, fn = found
    user, become_error = effective_user(host, invocation, session)
    if become_error:
        return _module_out({"failed": True, "msg": f"failure during exec_wrapper: {become_error}",
                            "exception": become_error})
    if invocation.async_jid:
        from .asyncjobs import start_async  # pylint: disable=import-outside-toplevel
        return start_async(host, invocation, user, lambda: _call(host, invocation, fqcn, fn, user, session, shown))
    return _module_out(_call(host, invocation, fqcn, fn, user, session, shown))


def _call(host: WindowsHost, invocation: Invocation, fqcn: str, fn: Any, user: str, session: Session,
          shown: str) -> dict[str, Any]:
    extra = module_registry.EXTRA_SPECS
    spec = get_spec(fqcn, extra)
    try:
        params, secrets = validate(fqcn, dict(invocation.args), module_name=shown, check_mode=invocation.check_mode,
                                   extra_specs=extra)
    except CheckModeUnsupported as err:
        return {"changed": False, "skipped": True, "msg": err.msg}
    except ArgumentError as err:
        return {"failed": True, "changed": False, "msg": err.msg}
    base = {f.name: getattr(invocation, f.name) for f in fields(Invocation) if f.name != "params"}
    call = ModuleCall(**base, params=params, action_params=dict(invocation.params), user=user, session_user=host.canonical_user(session.username),
                      session_auth=session.auth, shown_name=shown)
    try:
        result = fn(host, call)
    except ModuleFailure as fail:
        result = {"changed": False, **fail.result, "failed": True, "msg": fail.msg}
    except FsError as err:
        result = {"changed": False, "failed": True, "msg": str(err)}
    result.setdefault("changed", False)
    if call.warnings:
        result.setdefault("warnings", []).extend(call.warnings)
    if spec is not None and not spec.legacy:
        result.setdefault("invocation", {"module_args": _mask(params, secrets)})
    return _mask(result, secrets) if secrets else result


# ------------------------------------------------------------------------------------ plumbing
def _mkdtemp(host: WindowsHost, invocation: Invocation, user: str) -> CommandResult:
    directory = str(invocation.params.get("Directory", "%TEMP%"))
    name = str(invocation.params.get("Name") or f"ansible-tmp-{random.randint(10**9, 10**10)}")
    _user_temp(host, user)
    expanded = host.expand_env(directory, user)
    path = paths.join(expanded, name)
    if host.fs.exists(path):
        return _out("", 1, f"New-Item : An item with the specified name {path} already exists.")
    host.fs.mkdir(path)
    return _out(path)


def _user_temp(host: WindowsHost, user: str) -> str:
    if user == SYSTEM_ACCOUNT:
        return r"C:\Windows\TEMP"
    temp = host.user_profile(user) + r"\AppData\Local\Temp"
    host.fs.mkdir(temp)
    return temp


def _expand_user(host: WindowsHost, invocation: Invocation, user: str) -> CommandResult:
    path = str(invocation.params.get("Path", ""))
    profile = host.user_profile(user)
    if path == "~":
        return _out(profile)
    if path.startswith("~\\"):
        return _out(paths.join(profile, path[2:]))
    return _out(path)


def _put_file(host: WindowsHost, invocation: Invocation) -> CommandResult:
    import hashlib  # pylint: disable=import-outside-toplevel
    path = str(invocation.params.get("Path", ""))
    data = invocation.input_data or b""
    parent = paths.parent(path)
    if parent is None or not host.fs.is_dir(parent):
        return _out("", 1, f"Exception calling \"Create\" with \"1\" argument(s): \"Could not find a part of the path "
                           f"'{path}'.\"")
    host.fs.write(path, data)
    return _out('{"sha1":"%s"}' % hashlib.sha1(data).hexdigest())


def _fetch_file(host: WindowsHost, invocation: Invocation) -> CommandResult:
    path = str(invocation.params.get("Path", ""))
    node = host.fs.get(path)
    if node is None:
        return _out("", 1, f"{path} does not exist")
    if node.is_dir:
        return _out("[DIR]")
    offset = int(invocation.params.get("Offset", 0))
    size = int(invocation.params.get("BufferSize", 524288))
    chunk = node.chunk(offset, size)
    return _out(base64.b64encode(chunk).decode("ascii") if chunk else "")
