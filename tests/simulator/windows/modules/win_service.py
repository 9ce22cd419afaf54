"""ansible.windows.win_service (plugins/modules/win_service.ps1): start mode, state, dependencies, create/remove."""

from __future__ import annotations

from ..state import Service, WindowsHost
from . import register
from ._common import ModuleCall

_CONFIG_KEYS = ("dependencies", "description", "desktop_interact", "display_name", "error_control", "failure_actions",
                "failure_command", "failure_reboot_msg", "failure_reset_period_sec", "load_order_group", "path",
                "pre_shutdown_timeout_ms", "required_privileges", "service_type", "sid_info", "start_mode", "state",
                "username", "password")


def _report(host: WindowsHost, svc: Service) -> dict:
    return {
        "exists": True, "name": svc.name, "display_name": svc.display_name, "state": svc.state.replace("_", ""),
        "start_mode": svc.start_mode, "path": svc.path, "description": svc.description, "username": svc.username,
        "desktop_interact": False, "dependencies": list(svc.dependencies), "depended_by": host.dependents_of(svc.name),
        "can_pause_and_continue": False,
    }


@register("ansible.windows.win_service")
def win_service(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    name, state, check = p["name"], p.get("state"), call.check_mode
    svc = host.get_service(name)
    result: dict = {"changed": False}
    if state == "absent":
        if svc is not None:
            if not check:
                host.stop_service(svc.name)
                del host.services[svc.name.lower()]
            result["changed"] = True
        result["exists"] = False
        return result
    if not any(p.get(k) is not None for k in _CONFIG_KEYS):
        if svc is None:
            return {"changed": False, "exists": False}
        return {"changed": False, **_report(host, svc)}
    if svc is None:
        if p.get("path") is None:
            call.fail(f"Service '{name}' is not installed, need to set 'path' to create a new service")
        svc = Service(name, p.get("display_name") or name, "stopped", "auto", path=p["path"])
        if not check:
            host.add_service(svc)
        result["changed"] = True
    changes: dict = {}
    for key in ("display_name", "description", "path"):
        if p.get(key) is not None and getattr(svc, key) != p[key]:
            changes[key] = p[key]
    if p.get("start_mode") and svc.start_mode != p["start_mode"]:
        changes["start_mode"] = p["start_mode"]
    if p.get("username") is not None:
        user = "LocalSystem" if p["username"].lower() in ("system", "localsystem", "nt authority\\system") \
            else host.canonical_user(p["username"])
        if svc.username.lower() != user.lower():
            changes["username"] = user
    if p.get("dependencies") is not None:
        deps = list(svc.dependencies)
        wanted = list(p["dependencies"])
        action = p["dependency_action"]
        if action == "set":
            new = wanted
        elif action == "add":
            new = deps + [d for d in wanted if d.lower() not in {x.lower() for x in deps}]
        else:
            new = [d for d in deps if d.lower() not in {x.lower() for x in wanted}]
        if sorted(x.lower() for x in new) != sorted(x.lower() for x in deps):
            changes["dependencies"] = new
    if changes:
        result["changed"] = True
        if not check:
            for key, value in changes.items():
                setattr(svc, key, value)
    if state:
        result["changed"] |= _set_state(host, call, svc, state, check)
    result.update(_report(host, svc))
    if check and state in ("started", "restarted"):
        result["state"] = "running"
    elif check and state == "stopped":
        result["state"] = "stopped"
    return result


def _set_state(host: WindowsHost, call: ModuleCall, svc: Service, state: str, check: bool) -> bool:
    try:
        if state == "started" and svc.state != "running":
            if not check:
                host.start_service(svc.name)
            return True
        if state == "stopped" and svc.state != "stopped":
            dependents = [d for d in host.dependents_of(svc.name) if host.get_service(d).state == "running"]  # type: ignore
            if dependents and not call.params["force_dependent_services"]:
                call.fail(f"Cannot stop service '{svc.display_name} ({svc.name})' because it has dependent services. "
                          "It can only be stopped if the Force flag is set.")
            if not check:
                host.stop_service(svc.name)
            return True
        if state == "restarted":
            if not check:
                host.stop_service(svc.name)
                host.start_service(svc.name)
            return True
        if state == "paused":
            call.fail(f"failed to pause service {svc.name}: The service does not support pausing")
    except RuntimeError as err:
        # ansible.windows 3.x pipes the service to Start-Service without a try/catch of its own (Set-ServiceState): the
        # cmdlet's error ends the module through the exec wrapper, "Unhandled exception while executing module: <error>".
        call.fail(f"Unhandled exception while executing module: {err}")
    return False
