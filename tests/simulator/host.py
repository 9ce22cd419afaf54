"""The Backend the WS-Man endpoint talks to: one simulated RPI server (Windows + Exchange)."""

from __future__ import annotations

from . import collection_modules
from .invocation import CommandResult, Invocation, Session
from .windows import dispatch
from .windows.state import WindowsHost


class SimulatedServer:
    """Adapts a WindowsHost (with its Exchange model attached) to the endpoint's Backend protocol."""

    def __init__(self, host: WindowsHost) -> None:
        collection_modules.register_all()
        self.host = host

    def authenticate(self, username: str, password: str) -> bool:
        return self.host.authenticate(username, password)

    def is_up(self) -> bool:
        return self.host.is_up()

    def boot_id(self) -> int:
        return self.host.boot_id()

    def execute(self, invocation: Invocation, session: Session) -> CommandResult:
        return dispatch.execute(self.host, invocation, session)
