"""The types shared by the WS-Man endpoint, the payload adapter and the host models."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


@dataclass
class Session:
    """One authenticated WinRM user."""

    username: str
    auth: str = "basic"


@dataclass
class Invocation:
    """One WinRS command, decoded from what ansible-core sent."""

    kind: str
    core_version: str = ""
    module_name: str = ""
    args: dict = field(default_factory=dict)
    ansible_vars: dict = field(default_factory=dict)
    become_user: str = ""
    # Only used to check the credential; never logged, stored or echoed.
    become_password: str | None = field(default=None, repr=False)
    async_jid: str = ""
    async_timeout: int = 0
    params: dict = field(default_factory=dict)
    input_data: bytes = field(default=b"", repr=False)
    script: str = ""

    @property
    def check_mode(self) -> bool:
        return bool(self.ansible_vars.get("_ansible_check_mode", False))


@dataclass
class CommandResult:
    rc: int
    stdout: bytes
    stderr: bytes = b""


class Backend(Protocol):
    def authenticate(self, username: str, password: str) -> bool: ...

    def is_up(self) -> bool: ...

    def boot_id(self) -> int: ...

    def execute(self, invocation: Invocation, session: Session) -> CommandResult: ...
