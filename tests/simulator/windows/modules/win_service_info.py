"""ansible.windows.win_service_info (plugins/modules/win_service_info.ps1)."""

from __future__ import annotations

import fnmatch
import zlib

from ..state import Service, WindowsHost
from . import register
from ._common import ModuleCall

_STATE = {"running": "started", "stopped": "stopped", "paused": "paused", "start_pending": "start_pending",
          "stop_pending": "stop_pending"}


def service_info(host: WindowsHost, svc: Service) -> dict:
    running = svc.state == "running"
    return {
        "checkpoint": 0, "controls_accepted": ["stop", "shutdown"] if running else [],
        "dependencies": list(svc.dependencies), "dependency_of": host.dependents_of(svc.name),
        "description": svc.description, "desktop_interact": False, "display_name": svc.display_name,
        "error_control": "normal", "failure_actions": [], "failure_action_on_non_crash_failure": False,
        "failure_command": None, "failure_reboot_msg": None, "failure_reset_period_sec": 0,
        "launch_protection": "none", "load_order_group": "", "name": svc.name, "path": svc.path,
        "pre_shutdown_timeout_ms": 180000, "preferred_node": None,
        "process_id": (zlib.crc32(svc.name.lower().encode()) % 60000 + 1000) if running else 0, "required_privileges": [],
        "service_exit_code": 0, "service_flags": [], "service_type": svc.service_type, "sid_info": "none",
        "start_mode": svc.start_mode, "state": _STATE.get(svc.state, svc.state), "triggers": [],
        "username": svc.username, "wait_hint_ms": 0, "win32_exit_code": 0 if running else 1077,
    }


@register("ansible.windows.win_service_info")
def win_service_info(host: WindowsHost, call: ModuleCall) -> dict:
    name = call.params.get("name")
    services = sorted(host.services.values(), key=lambda s: s.name.lower())
    if name:
        pattern = name.lower()
        services = [s for s in services if fnmatch.fnmatch(s.name.lower(), pattern)
                    or fnmatch.fnmatch(s.display_name.lower(), pattern)]
    infos = [service_info(host, s) for s in services]
    return {"changed": False, "exists": bool(infos), "services": infos}
