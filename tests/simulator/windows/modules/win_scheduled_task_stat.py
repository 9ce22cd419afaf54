"""community.windows.win_scheduled_task_stat (plugins/modules/win_scheduled_task_stat.ps1)."""

from __future__ import annotations

from ..state import SYSTEM_ACCOUNT, WindowsHost
from ..tasks import LOGON_TYPES, ScheduledTask
from . import register
from ._common import ModuleCall

_STATUS = {"Ready": "TASK_STATE_READY", "Running": "TASK_STATE_RUNNING", "Disabled": "TASK_STATE_DISABLED"}


def _folder(path: str) -> str:
    f = path if path.startswith("\\") else "\\" + path
    return f if f.endswith("\\") else f + "\\"


def _trigger(t: dict) -> dict:
    out = {"type": "TASK_TRIGGER_" + str(t["type"]).upper().replace("MONTHLYDOW", "MONTHLYDOW"), "enabled": t.get("enabled", True),
           "start_boundary": t.get("start_boundary"), "end_boundary": t.get("end_boundary"),
           "execution_time_limit": t.get("execution_time_limit"), "id": None,
           "repetition": {"duration": None, "interval": None, "stop_at_duration_end": False, **(t.get("repetition") or {})}}
    for key in ("delay", "random_delay", "days_of_week", "days_of_month", "weeks_interval", "user_id", "subscription"):
        if key in t:
            out[key] = t[key]
    return out


def _describe(host: WindowsHost, task: ScheduledTask) -> dict:
    user = task.username
    return {
        "task_exists": True,
        "state": {"last_run_time": task.last_run_time.strftime("%Y-%m-%dT%H:%M:%S") if task.last_run_time
                  else "1999-11-30T00:00:00", "last_task_result": task.last_task_result,
                  "next_run_time": "1899-12-30T00:00:00", "number_of_missed_runs": task.number_of_missed_runs,
                  "status": _STATUS.get(task.state, "TASK_STATE_UNKNOWN")},
        "actions": [{"Arguments": a.arguments or None, "Id": None, "Path": a.path, "Type": "TASK_ACTION_EXEC",
                     "WorkingDirectory": a.working_directory or None} for a in task.actions],
        "triggers": [_trigger(t) for t in task.triggers],
        "principal": {"display_name": None, "group_id": None, "id": "Author",
                      "logon_type": "TASK_LOGON_" + task.logon_type.upper() if task.logon_type in LOGON_TYPES
                      else "TASK_LOGON_NONE",
                      "run_level": "TASK_RUNLEVEL_HIGHEST" if task.run_level == "highest" else "TASK_RUNLEVEL_LUA",
                      "user_id": "SYSTEM" if user == SYSTEM_ACCOUNT else user},
        "registration_info": {"author": task.registration_info.get("author"), "date": task.registration_info.get("date"),
                              "description": task.description or None, "documentation": None, "security_descriptor": None,
                              "source": task.registration_info.get("source"), "uri": task.path,
                              "version": task.registration_info.get("version")},
        "settings": {"allow_demand_start": task.settings.get("allow_demand_start", True), "enabled": task.enabled,
                     "hidden": task.settings.get("hidden", False),
                     "execution_time_limit": task.settings.get("execution_time_limit", "PT72H"),
                     "multiple_instances": task.settings.get("multiple_instances", 2),
                     "priority": task.settings.get("priority", 7)},
    }


@register("community.windows.win_scheduled_task_stat")
def win_scheduled_task_stat(host: WindowsHost, call: ModuleCall) -> dict:
    host.poll()
    folder = _folder(call.params.get("path") or "\\")
    name = call.params.get("name")
    in_folder = sorted((t for t in host.tasks.values() if t.folder.lower() == folder.lower()
                        or _folder(t.folder).lower() == folder.lower()), key=lambda t: t.name.lower())
    exists = folder == "\\" or bool(in_folder) or any(_folder(t.folder).lower().startswith(folder.lower())
                                                      for t in host.tasks.values())
    result: dict = {"changed": False, "folder_exists": exists}
    if not exists:
        if name is not None:
            result["task_exists"] = False
        return result
    result.update(folder_task_names=[t.name for t in in_folder], folder_task_count=len(in_folder))
    if name is not None:
        task = next((t for t in in_folder if t.name == name), None)
        if task is None:
            result["task_exists"] = False
        else:
            result.update(_describe(host, task))
    return result
