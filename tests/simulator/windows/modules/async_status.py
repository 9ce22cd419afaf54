"""ansible.windows.async_status (plugins/modules/async_status.ps1): reads the job file asyncjobs.py writes."""

from __future__ import annotations

import json

from .. import paths
from ..state import WindowsHost
from . import register
from ._common import ModuleCall


@register("ansible.windows.async_status")
def async_status(host: WindowsHost, call: ModuleCall) -> dict:
    jid, mode = call.params["jid"], call.params["mode"]
    async_dir = host.expand_env(call.params["_async_dir"], call.user)
    log_path = paths.join(async_dir, jid)
    if not host.fs.exists(log_path):
        call.fail(f"could not find job at '{async_dir}'", ansible_job_id=jid, started=1, finished=1)
    if mode == "cleanup":
        host.fs.delete(log_path)
        return {"changed": False, "ansible_job_id": jid, "erased": log_path}
    raw = host.fs.read(log_path)
    if not raw.strip():
        return {"changed": False, "results_file": log_path, "ansible_job_id": jid, "started": 1, "finished": 0}
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        call.fail(f"Could not parse job output: {raw.decode('utf-8', 'replace')}", ansible_job_id=jid,
                  results_file=log_path, started=1, finished=1)
    if "started" not in data:
        data["finished"] = 1
        data["ansible_job_id"] = jid
    elif "finished" not in data:
        data["finished"] = 0
    data.setdefault("changed", False)
    return data
