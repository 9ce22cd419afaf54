"""community.windows.win_scheduled_task (plugins/modules/win_scheduled_task.ps1, legacy parser).

Behaviour kept from the .ps1 because the product can trip over it:
- the task is (re)registered whenever something differs, *or* whenever `password` is given with
  update_password=true (the default): such a task reports changed on every run;
- every registration with TASK_CREATE_OR_UPDATE fires `registration` triggers, so the action (e.g. Setup.exe)
  starts again (WindowsHost.run_task -> program handler);
- a Password logon is checked against the account at registration ("The user name or password is incorrect"), then
  refused when the DisableDomainCreds policy forbids storing it (0x80070520, tasks.py).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ..state import SYSTEM_ACCOUNT, WindowsHost
from ..tasks import TRIGGER_TYPES, ScheduledTask, TaskAction, TaskRegistrationError, task_key
from . import register
from ._common import ModuleCall

_SETTINGS = ("allow_demand_start", "allow_hard_terminate", "compatibility", "delete_expired_task_after",
             "disallow_start_if_on_batteries", "execution_time_limit", "hidden", "multiple_instances", "priority",
             "restart_count", "restart_interval", "run_only_if_idle", "run_only_if_network_available",
             "start_when_available", "stop_if_going_on_batteries", "wake_to_run", "enabled")
_REG_INFO = ("author", "date", "description", "display_name", "source", "version")
_SERVICE_USERS = {"system": SYSTEM_ACCOUNT, "nt authority\\system": SYSTEM_ACCOUNT,
                  "local service": "NT AUTHORITY\\LOCAL SERVICE", "nt authority\\local service": "NT AUTHORITY\\LOCAL SERVICE",
                  "network service": "NT AUTHORITY\\NETWORK SERVICE",
                  "nt authority\\network service": "NT AUTHORITY\\NETWORK SERVICE"}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


def _user(host: WindowsHost, call: ModuleCall, name: str) -> str:
    if name.lower() in _SERVICE_USERS:
        return _SERVICE_USERS[name.lower()]
    acct = host.find_account(name)
    if acct is None:
        call.fail(f"account_name {name} is not a valid account, cannot get SID: Some or all identity references could not "
                  "be translated.")
    return acct.qualified


def _validate(call: ModuleCall) -> None:
    p = call.params
    bad = set('\\/:*?"<>|') & set(p["name"])
    if bad:
        call.fail(f"Invalid task name '{p['name']}'. The following characters are not valid: \\/:*?\"<>|")
    if p.get("username") and p.get("group"):
        call.fail("username and group can not be set at the same time")
    lt = p.get("logon_type")
    if lt == "s4u" and p.get("password") is None:
        call.fail("password must be set when logon_type=s4u")
    if lt == "group" and not p.get("group"):
        call.fail("group must be set when logon_type=group")
    for action in p.get("actions") or []:
        if "path" not in action:
            call.fail("action entry must contain the key 'path'")
    for trigger in p.get("triggers") or []:
        if trigger.get("type") not in TRIGGER_TYPES:
            call.fail(f"a trigger entry must contain a key 'type' with a value of '{chr(39) + ', '.join(TRIGGER_TYPES) + chr(39)}'")
        for key in ("start_boundary", "end_boundary"):
            if trigger.get(key) and not _DATE_RE.match(str(trigger[key])):
                call.fail(f"trigger option '{key}' must be in the format 'YYYY-MM-DDThh:mm:ss' format but was '{trigger[key]}'")


def _desired(host: WindowsHost, call: ModuleCall, old: ScheduledTask | None) -> ScheduledTask:
    p = call.params
    task = copy.deepcopy(old) if old else ScheduledTask(p["name"], folder=p["path"] or "\\")
    if p.get("actions") is not None:
        task.actions = [TaskAction(a["path"], a.get("arguments") or "", a.get("working_directory") or "")
                        for a in p["actions"]]
    if p.get("triggers") is not None:
        task.triggers = [{k: v for k, v in t.items() if v is not None} for t in p["triggers"]]
    if p.get("username"):
        task.username = _user(host, call, p["username"])
        if task.username == SYSTEM_ACCOUNT and not p.get("logon_type"):
            task.logon_type = "service_account"
    elif old is None:
        task.username = call.user
    if p.get("logon_type"):
        task.logon_type = p["logon_type"]
    elif p.get("password") is not None:
        task.logon_type = "password"
    elif old is None and task.username != SYSTEM_ACCOUNT:
        task.logon_type = "interactive_token"
    if task.logon_type == "service_account" and task.username not in _SERVICE_USERS.values():
        call.fail("username must be SYSTEM, LOCAL SERVICE or NETWORK SERVICE when logon_type=service_account")
    if p.get("run_level"):
        task.run_level = p["run_level"]
    for key in _SETTINGS:
        if p.get(key) is not None:
            if key == "enabled":
                task.enabled = bool(p[key])
            else:
                task.settings[key] = p[key]
    for key in _REG_INFO:
        if p.get(key) is not None:
            task.registration_info[key] = p[key]
            if key == "description":
                task.description = p[key]
    return task


def _same(a: ScheduledTask, b: ScheduledTask) -> bool:
    return (a.actions, a.triggers, a.username, a.logon_type, a.run_level, a.enabled, a.settings, a.registration_info) == \
           (b.actions, b.triggers, b.username, b.logon_type, b.run_level, b.enabled, b.settings, b.registration_info)


@register("community.windows.win_scheduled_task")
def win_scheduled_task(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    _validate(call)
    folder = p["path"] or "\\"
    result: dict[str, Any] = {"changed": False}
    old = host.tasks.get(task_key(p["name"], folder))
    if p["state"] == "absent":
        if old is not None:
            if not call.check_mode:
                host.delete_task(p["name"], folder)
            result["changed"] = True
        return result
    if old is None and not p.get("actions"):
        call.fail("cannot create a task with no actions, set at least one action with a path to an executable", **result)
    new = _desired(host, call, old)
    password = p.get("password")
    reregister = old is None or not _same(old, new) or (password is not None and p["update_password"])
    if not reregister:
        return result
    result["changed"] = True
    if call.check_mode:
        return result
    try:
        host.register_task(new, password if new.logon_type in ("password", "s4u") or password is not None else None)
    except (PermissionError, LookupError, TaskRegistrationError) as err:
        verb = "register new task definition" if old is None else "modify scheduled task"
        call.fail(f"failed to {verb}: {err}", changed=False)
    if new.enabled and any(t.get("type") == "registration" and t.get("enabled", True) for t in new.triggers):
        host.run_task(new, "registration")
    return result
