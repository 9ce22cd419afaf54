"""rpi.exchange.win_exchange_run_lock: the run lock file, as its PowerShell handles it on a real server.

The .ps1 creates the file with FileMode.CreateNew (atomic: exactly one of two concurrent runs creates it), takes over
only a lock still held by `replace_run_id` (opened exclusively, read, rewritten), and on release deletes the file of
`run_id` and then the lock's folder and its parent when they are empty. Here the host's lock makes each call atomic,
as the file system does on Windows. The simulator decides nothing: it stores and returns the controller's text.
"""

from __future__ import annotations

import json
from typing import Any

from ..windows import paths
from ..windows.modules._common import ModuleCall
from ..windows.state import WindowsHost


def _run_id(text: str) -> str:
    try:
        return str(json.loads(text).get("run_id"))
    except (ValueError, AttributeError):
        return "desconocido"


def _read(host: WindowsHost, path: str) -> str | None:
    node = host.fs.get(path)
    return None if node is None or node.is_dir else node.data().decode("utf-8", errors="replace")


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    params = call.params
    # Ansible.Basic's `path` type expands environment variables on the server (%ProgramData% is on the system drive).
    path, state = host.expand_env(str(params["path"])), params["state"]
    # Ansible.Basic's required_if names only the options that are missing.
    for when, needed in (("acquired", ("record", "run_id")), ("released", ("run_id",))):
        missing = [name for name in needed if params.get(name) is None]
        if state == when and missing:
            call.fail(f"state is {when} but all of the following are missing: {', '.join(missing)}")
    with host.lock:
        holder = _read(host, path)
        result: dict[str, Any] = {"changed": False, "acquired": False, "released": False, "path": path, "holder": holder}
        if state == "acquired":
            if holder is not None and _run_id(holder) == params["run_id"]:
                result["acquired"] = True
            elif call.check_mode:
                pass
            elif params.get("replace_run_id") is None:
                if holder is None:
                    host.fs.write(path, params["record"].encode("utf-8"))
                    result.update(acquired=True, changed=True, holder=None)
            elif holder is None or holder == "" or _run_id(holder) == params["replace_run_id"]:
                host.fs.write(path, params["record"].encode("utf-8"))
                result.update(acquired=True, changed=True)
        elif state == "released" and holder is not None and _run_id(holder) == params["run_id"]:
            if not call.check_mode:
                host.fs.delete(path)
                folder = paths.parent(paths.normalize(path))
                for candidate in (folder, paths.parent(folder) if folder else None):
                    if candidate is None or paths.is_root(candidate) or not host.fs.is_dir(candidate) or host.fs.listdir(candidate):
                        break
                    host.fs.delete(candidate)
            result.update(released=True, changed=True)
        return result
