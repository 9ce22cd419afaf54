"""Async module runs (ansible-core's async_wrapper.ps1 + async_watchdog.ps1) on the model.

The job's result file lives in the virtual FS at `<AsyncDir>\\<jid>.<pid>` exactly as on Windows, so
ansible.windows.async_status reads it the same way. With clock speed 0 the module runs to completion before
the start reply (deterministic tests); otherwise it runs in a background thread. A run that takes longer
(in simulated time) than the async timeout is recorded as the watchdog's timeout failure.
"""

from __future__ import annotations

import json
import threading
from typing import Any, Callable

from ..invocation import CommandResult, Invocation
from . import paths
from .state import WindowsHost

DEFAULT_ASYNC_DIR = r"%USERPROFILE%\.ansible_async"


def _write(host: WindowsHost, path: str, data: dict[str, Any]) -> None:
    host.fs.write(path, json.dumps(data, separators=(",", ":"), default=str).encode("utf-8"))


def start_async(host: WindowsHost, invocation: Invocation, user: str, run: Callable[[], dict[str, Any]]) -> CommandResult:
    async_dir = host.expand_env(str(invocation.params.get("AsyncDir") or DEFAULT_ASYNC_DIR), user)
    host.fs.mkdir(async_dir)
    watchdog = host.start_process("powershell.exe", "powershell.exe -NonInteractive -NoProfile -EncodedCommand ...", user)
    local_jid = f"{invocation.async_jid}.{watchdog.pid}"
    results_path = paths.join(async_dir, local_jid)
    started = {"started": True, "finished": False, "results_file": results_path, "ansible_job_id": local_jid,
               "_ansible_suppress_tmpdir_delete": True, "ansible_async_watchdog_pid": watchdog.pid}
    _write(host, results_path, started)
    timeout = invocation.async_timeout or 0

    def job() -> None:
        begin = host.now()
        result = run()
        took = (host.now() - begin).total_seconds()
        final = dict(started)
        if timeout and took > timeout:
            final.update(failed=True, finished=True, msg="failure during async watchdog: timed out waiting for module "
                                                         "completion")
        else:
            final.update(result)
            final["finished"] = True
        if host.is_up() and host.fs.exists(async_dir):
            _write(host, results_path, final)
        host.stop_process(watchdog.pid, 0)

    if host.clock.speed == 0:
        job()
    else:
        threading.Thread(target=job, name=f"async-{local_jid}", daemon=True).start()
    return CommandResult(0, (json.dumps(started, separators=(",", ":")) + "\r\n").encode("utf-8"))
