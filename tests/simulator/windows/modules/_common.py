"""Shared pieces of the emulated modules: the call object, failures, time formats, file hashing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, NoReturn

from ...invocation import Invocation
from ..state import WindowsHost


class ModuleFailure(Exception):
    """Raised by a module to return `failed: true` with `msg` and extra result keys."""

    def __init__(self, msg: str, **result: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.result = result


@dataclass
class ModuleCall(Invocation):
    """An Invocation after validation: `params` has defaults applied; `user` is who the module runs as."""

    # Replaces Invocation.params: here `params` are the validated module options; the wrapper's own
    # params (Invocation.params) are kept as `action_params`.
    params: dict = field(default_factory=dict)
    action_params: dict = field(default_factory=dict)
    user: str = ""  # canonical effective user ("RPI\\svc-exchange"); the become user when become is used
    session_user: str = ""
    session_auth: str = "basic"  # how the WinRM session authenticated ("basic" | "ntlm" ...): decides the double hop
    shown_name: str = ""  # the module name as Ansible.Basic shows it (_ansible_module_name)
    warnings: list[str] = field(default_factory=list)

    @property
    def diff_mode(self) -> bool:
        return bool(self.ansible_vars.get("_ansible_diff", False))

    @property
    def network_credentials(self) -> bool:
        """Can code of this call reach other machines with the user's credentials? (exchange-facts §6.1 double hop:
        Basic/CredSSP logons and become carry them; NTLM/Kerberos network logons do not.)"""
        return bool(self.become_user) or self.session_auth.lower() in ("basic", "credssp")

    @property
    def logon_type(self) -> str:
        return "interactive" if self.become_user else "network"

    def fail(self, msg: str, **result: Any) -> NoReturn:
        raise ModuleFailure(msg, **result)


ModuleFn = Callable[[WindowsHost, ModuleCall], dict]


def ps_datetime(dt: datetime) -> str:
    """[DateTime]::UtcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff") as win_command prints it."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def ps_delta(start: datetime, end: datetime) -> str:
    """TimeSpan.ToString("h\\:mm\\:ss\\.ffffff")."""
    total = max(0.0, (end - start).total_seconds())
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{int(h)}:{int(m):02d}:{int(s):02d}.{int(round((s - int(s)) * 1e6)):06d}"


def epoch(dt: datetime | None) -> float:
    return dt.timestamp() if dt else 0.0


def filetime(dt: datetime) -> int:
    """DateTime.ToFileTime(): 100 ns ticks since 1601-01-01 UTC."""
    return int((dt.astimezone(timezone.utc) - datetime(1601, 1, 1, tzinfo=timezone.utc)).total_seconds() * 10_000_000)


def file_hash(data: bytes, algorithm: str = "sha1") -> str:
    return hashlib.new(algorithm, data).hexdigest()


def iso(dt: datetime | None) -> str | None:
    """ISO 8601 as ConvertTo-Json writes [DateTime] values in the modules that use .ToString("o")."""
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f0Z") if dt else None
