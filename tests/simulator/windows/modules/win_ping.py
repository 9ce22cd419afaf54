"""ansible.windows.win_ping (plugins/modules/win_ping.ps1)."""

from __future__ import annotations

from ..state import WindowsHost
from . import register
from ._common import ModuleCall


@register("ansible.windows.win_ping")
def win_ping(host: WindowsHost, call: ModuleCall) -> dict:
    data = call.params["data"]
    if data == "crash":
        call.fail("Unhandled exception while executing module: boom")
    return {"changed": False, "ping": data}
