"""ansible.windows.win_shell (plugins/modules/win_shell.ps1): PowerShell (default) or cmd; modelled commands only."""

from __future__ import annotations

from .. import commands
from ..state import WindowsHost
from . import register
from ._common import ModuleCall
from .win_command import finish, skip_checks


@register("ansible.windows.win_shell")
def win_shell(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    cmd = (p.get("_raw_params") or "").strip()
    skipped = skip_checks(host, call, cmd)
    if skipped is not None:
        return skipped
    executable = (p.get("executable") or "powershell").lower()
    powershell = executable in ("powershell", "powershell.exe", "pwsh", "pwsh.exe")
    return finish(host, call, cmd, commands.Shell(call.user, "win_shell", powershell=powershell, chdir=p.get("chdir") or "",
                                                  network_credentials=call.network_credentials, logon_type=call.logon_type))
