"""Helpers to drive the Windows model from Python tests without WinRM (also handy for the Exchange model's tests)."""

from __future__ import annotations

import json
from typing import Any

from ..invocation import CommandResult, Invocation, Session
from .dispatch import execute
from .state import WindowsHost


class Runner:
    """Builds Invocations the way the payload adapter would and runs them through dispatch.execute."""

    def __init__(self, host: WindowsHost, user: str = "RPI\\svc-ansible", auth: str = "basic",
                 core_version: str = "2.19.14") -> None:
        self.host = host
        self.session = Session(user, auth)
        self.core_version = core_version
        self.last_rc: int | None = None

    def module(self, name: str, args: dict[str, Any] | None = None, *, check: bool = False, diff: bool = False,
               become_user: str = "", become_password: str | None = None, async_jid: str = "",
               async_timeout: int = 0) -> dict[str, Any]:
        """Run a module; returns its JSON result (rc in self.last_rc)."""
        ansible_vars = {"_ansible_check_mode": check, "_ansible_diff": diff, "_ansible_module_name": name,
                        "_ansible_version": self.core_version}
        inv = Invocation("module", self.core_version, name, dict(args or {}), ansible_vars, become_user=become_user,
                         become_password=become_password, async_jid=async_jid, async_timeout=async_timeout)
        res = execute(self.host, inv, self.session)
        self.last_rc = res.rc
        return json.loads(res.stdout.decode("utf-8"))

    def raw(self, script: str) -> CommandResult:
        return execute(self.host, Invocation("raw", script=script), self.session)

    def plumbing(self, kind: str, input_data: bytes = b"", **params: Any) -> CommandResult:
        return execute(self.host, Invocation(kind, self.core_version, params=params, input_data=input_data), self.session)
