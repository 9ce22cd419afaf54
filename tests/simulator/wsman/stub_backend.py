"""A tiny stand-in Backend for endpoint tests and payload captures.

It is NOT the Windows model (that is simulator.windows): it answers just enough for ansible-core
to complete win_ping, win_command, win_copy (query + single), win_stat, fetch, async start and the
connection plumbing, and it exposes switches for outages, boot ids and slow commands.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable

from simulator.invocation import CommandResult, Invocation, Session
from simulator.payload import (
    expand_user_path,
    expand_user_result,
    failure,
    fetch_file_result,
    mkdtemp_path,
    mkdtemp_result,
    module_result,
    put_file_result,
    raw_result,
)

PROFILE = "C:\\Users\\administrator"
ENV = {"TEMP": PROFILE + "\\AppData\\Local\\Temp", "USERPROFILE": PROFILE}


class StubBackend:
    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.users = users if users is not None else {"administrator": "Passw0rd!"}
        self.up = True
        self.boot = 1
        self.delay = 0.0  # seconds every execute() takes, to exercise OperationTimeout
        self.files: dict[str, bytes] = {}  # lower-cased Windows path -> content
        self.invocations: list[Invocation] = []
        self.handlers: dict[str, Callable[[Invocation], CommandResult]] = {}  # module FQCN -> answer
        self._lock = threading.Lock()

    # -- Backend protocol -------------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> bool:
        return self.users.get(username.split("\\")[-1].lower()) == password

    def is_up(self) -> bool:
        return self.up

    def boot_id(self) -> int:
        return self.boot

    def execute(self, invocation: Invocation, session: Session) -> CommandResult:
        with self._lock:
            self.invocations.append(invocation)
        if self.delay:
            time.sleep(self.delay)
        method = getattr(self, f"_do_{invocation.kind}", None)
        if method is None:
            return failure(f"stub backend: kind {invocation.kind!r} is not handled")
        return method(invocation)

    # -- switches ---------------------------------------------------------------------------

    def reboot(self, down: bool = True) -> None:
        """Start (down=True) or finish an outage; finishing it moves to a new boot id."""
        self.up = not down
        if not down:
            self.boot += 1

    # -- answers ----------------------------------------------------------------------------

    def _do_raw(self, inv: Invocation) -> CommandResult:
        if inv.script.lstrip().lower().startswith("remove-item"):
            return raw_result()
        return raw_result(f"raw: {inv.script}")

    def _do_mkdtemp(self, inv: Invocation) -> CommandResult:
        return mkdtemp_result(mkdtemp_path(inv, ENV))

    def _do_expand_user(self, inv: Invocation) -> CommandResult:
        return expand_user_result(expand_user_path(str(inv.params.get("Path", "")), PROFILE))

    def _do_put_file(self, inv: Invocation) -> CommandResult:
        self.files[str(inv.params.get("Path", "")).lower()] = inv.input_data
        return put_file_result(inv.input_data)

    def _do_fetch_file(self, inv: Invocation) -> CommandResult:
        return fetch_file_result(inv, self.files.get(str(inv.params.get("Path", "")).lower()))

    def _do_module(self, inv: Invocation) -> CommandResult:
        if inv.module_name in self.handlers:
            return self.handlers[inv.module_name](inv)
        if inv.async_jid:
            return module_result({
                "started": True, "finished": False, "ansible_job_id": inv.async_jid,
                "results_file": f"{PROFILE}\\.ansible_async\\{inv.async_jid}", "_ansible_suppress_tmpdir_delete": True,
            })
        short = inv.module_name.rsplit(".", 1)[-1]
        method = getattr(self, f"_module_{short}", None)
        if method is None:
            return failure(f"stub backend: module {inv.module_name!r} is not modelled")
        return method(inv)

    def _module_win_ping(self, inv: Invocation) -> CommandResult:
        data = inv.args.get("data", "pong")
        if data == "crash":
            return failure("boom")
        return module_result({"changed": False, "ping": data})

    def _module_win_command(self, inv: Invocation) -> CommandResult:
        cmd = inv.args.get("_raw_params") or inv.args.get("cmd") or ""
        return module_result({"changed": True, "rc": 0, "cmd": cmd, "stdout": f"ran {cmd}\r\n", "stderr": "",
                              "stdout_lines": [f"ran {cmd}"], "stderr_lines": []})

    def _module_win_copy(self, inv: Invocation) -> CommandResult:
        mode = inv.args.get("_copy_mode")
        if mode == "query":
            return module_result({"changed": False, "files": inv.args.get("files", []),
                                  "directories": inv.args.get("directories", []), "symlinks": []})
        if mode == "single":
            data = self.files.get(str(inv.args.get("src", "")).lower(), b"")
            self.files[str(inv.args.get("dest", "")).lower()] = data
            return module_result({"changed": True, "dest": inv.args.get("dest"), "checksum": hashlib.sha1(data).hexdigest(),
                                  "size": len(data), "operation": "file_copy"})
        return failure(f"stub backend: win_copy mode {mode!r} is not modelled")

    def _module_win_stat(self, inv: Invocation) -> CommandResult:
        data = self.files.get(str(inv.args.get("path", "")).lower())
        if data is None:
            return module_result({"changed": False, "stat": {"exists": False}})
        return module_result({"changed": False, "stat": {"exists": True, "isdir": False, "size": len(data),
                                                         "checksum": hashlib.sha1(data).hexdigest()}})
