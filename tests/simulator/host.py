"""The Backend the WS-Man endpoint talks to: one simulated RPI server (Windows + Exchange)."""

from __future__ import annotations

from . import collection_modules
from .invocation import CommandResult, Invocation, Session
from .windows import dispatch, winrm_config
from .windows.state import WindowsHost


class SimulatedServer:
    """Adapts a WindowsHost (with its Exchange model attached) to the endpoint's Backend protocol.

    The endpoint stands for one WinRM listener of the server (`transport` on `port`, the RPI's HTTPS on 5986): it
    answers only while the host is up and that listener is configured (windows/winrm_config.py)."""

    def __init__(self, host: WindowsHost, transport: str = "HTTPS", port: int | None = None) -> None:
        collection_modules.register_all()
        self.host = host
        self.transport = transport.upper()
        self.port = port or winrm_config.DEFAULT_PORTS[self.transport]

    def authenticate(self, username: str, password: str) -> bool:
        return self.host.authenticate(username, password)

    def is_up(self) -> bool:
        return self.host.is_up() and winrm_config.listening(self.host, self.transport, self.port)

    def boot_id(self) -> int:
        return self.host.boot_id()

    def execute(self, invocation: Invocation, session: Session) -> CommandResult:
        return dispatch.execute(self.host, invocation, session)
