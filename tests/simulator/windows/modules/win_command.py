"""ansible.windows.win_command (plugins/modules/win_command.ps1): runs only modelled commands (commands.py)."""

from __future__ import annotations

from .. import commands
from ..programs import split_command_line
from ..state import WindowsHost
from . import register
from ._common import ModuleCall, ps_datetime, ps_delta


def _quote(arg: str) -> str:
    """ConvertTo-EscapedArgument (C runtime rules)."""
    if arg and not any(c in arg for c in ' \t\n\v"'):
        return arg
    out, backslashes = ['"'], 0
    for c in arg:
        if c == "\\":
            backslashes += 1
            continue
        out.append("\\" * (backslashes * 2 + 1) + '"' if c == '"' else "\\" * backslashes + c)
        backslashes = 0
    out.append("\\" * backslashes * 2 + '"')
    return "".join(out)


def skip_checks(host: WindowsHost, call: ModuleCall, cmd: str) -> dict | None:
    creates, removes = call.params.get("creates"), call.params.get("removes")
    if creates and host.fs.exists(host.expand_env(creates, call.user)):
        return {"changed": False, "cmd": cmd, "rc": 0, "skipped": True, "msg": f"skipped, since {creates} exists"}
    if removes and not host.fs.exists(host.expand_env(removes, call.user)):
        return {"changed": False, "cmd": cmd, "rc": 0, "skipped": True, "msg": f"skipped, since {removes} does not exist"}
    return None


def finish(host: WindowsHost, call: ModuleCall, cmd: str, shell: commands.Shell) -> dict:
    start = host.now()
    res = commands.run(host, cmd, shell)
    end = host.now()
    result = {"changed": True, "cmd": cmd, "rc": res.rc, "stdout": res.stdout, "stderr": res.stderr,
              "start": ps_datetime(start), "end": ps_datetime(end), "delta": ps_delta(start, end)}
    if res.rc != 0:
        call.fail("non-zero return code", **result)
    return result


@register("ansible.windows.win_command")
def win_command(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    if p.get("cmd"):
        cmd = p["cmd"]
    elif p.get("_raw_params"):
        cmd = p["_raw_params"].strip()
    else:
        argv = list(p["argv"])
        exe = host.resolve_executable(argv[0], p.get("chdir") or "") or argv[0]
        cmd = " ".join(_quote(a) for a in [exe, *argv[1:]])
    skipped = skip_checks(host, call, cmd)
    if skipped is not None:
        return skipped
    if not split_command_line(cmd):
        call.fail("no command given", rc=2)
    return finish(host, call, cmd, commands.Shell(call.user, "win_command", powershell=False, chdir=p.get("chdir") or "",
                                                  network_credentials=call.network_credentials, logon_type=call.logon_type))
