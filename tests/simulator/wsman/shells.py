"""WinRS shells and commands: stdin collection, execution on a worker thread, chunked output.

A command runs on its own thread so that a long backend call lets Receive answer with the
OperationTimeout fault (the client then retries), as a real WinRS host does while a process runs.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from simulator.invocation import CommandResult, Session

from . import faults
from .soap import new_guid

# Runs one command line with its complete stdin for a user; must not raise (see Command._run).
Runner = Callable[[str, bytes, Session], CommandResult]


class Command:
    """One rsp:Command inside a shell."""

    def __init__(self, command_id: str, command_line: str, session: Session, console_mode_stdin: bool) -> None:
        self.command_id = command_id
        self.command_line = command_line
        self.session = session
        # WINRS_CONSOLEMODE_STDIN=TRUE is what clients send when they will not pipe any stdin.
        self.console_mode_stdin = console_mode_stdin
        self._stdin = bytearray()
        self.stdin_closed = False
        self.result: CommandResult | None = None
        self._done = threading.Event()
        self._started = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._out_pos = 0
        self._err_pos = 0

    @property
    def started(self) -> bool:
        return self._thread is not None

    @property
    def stdin_size(self) -> int:
        return len(self._stdin)

    def add_stdin(self, data: bytes, end: bool) -> None:
        with self._lock:
            if self.stdin_closed:
                raise faults.bad_request(f"stdin of command {self.command_id} is already closed")
            self._stdin += data
            self.stdin_closed = end

    def ready_to_start(self) -> bool:
        """At Receive: start now unless the client has begun sending stdin and not finished it."""
        return self.stdin_closed or not self._stdin

    def start(self, runner: Runner) -> None:
        with self._lock:
            if self._thread is not None:
                return
            self.stdin_closed = True
            stdin = bytes(self._stdin)
            self._stdin = bytearray()  # stdin can carry secrets: keep it no longer than needed
            self._thread = threading.Thread(
                target=self._run, args=(runner, stdin), name=f"winrs-{self.command_id[:8]}", daemon=True
            )
            self._thread.start()
            self._started.set()

    def _run(self, runner: Runner, stdin: bytes) -> None:
        try:
            result = runner(self.command_line, stdin, self.session)
        except Exception as exc:  # pylint: disable=broad-exception-caught  # a crash must reach the client as rc 1
            result = CommandResult(1, b"", f"simulator: command failed: {type(exc).__name__}: {exc}".encode())
        self.result = result
        self._done.set()

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` for the result; a command still waiting for its stdin counts as running."""
        deadline = time.monotonic() + max(0.0, timeout)
        if not self._started.wait(max(0.0, timeout)):
            return False
        return self._done.wait(max(0.0, deadline - time.monotonic()))

    def next_chunk(self, raw_budget: int) -> tuple[list[tuple[str, str, bool]], int | None]:
        """Next Receive payload: (streams, exit code or None while output remains)."""
        assert self.result is not None
        with self._lock:
            out, err = self.result.stdout, self.result.stderr
            out_part = out[self._out_pos:self._out_pos + raw_budget]
            self._out_pos += len(out_part)
            err_part = err[self._err_pos:self._err_pos + max(0, raw_budget - len(out_part))]
            self._err_pos += len(err_part)
            finished = self._out_pos >= len(out) and self._err_pos >= len(err)
        streams: list[tuple[str, str, bool]] = []
        if out_part:
            streams.append(("stdout", base64.b64encode(out_part).decode(), False))
        if err_part:
            streams.append(("stderr", base64.b64encode(err_part).decode(), False))
        if not finished:
            return streams, None
        # Windows closes both streams with an empty End="true" element on the last reply.
        streams += [("stdout", "", True), ("stderr", "", True)]
        return streams, self.result.rc


@dataclass
class Shell:
    shell_id: str
    session: Session
    boot_id: int
    created: float = field(default_factory=time.monotonic)
    commands: dict[str, Command] = field(default_factory=dict)

    def command(self, command_id: str) -> Command:
        try:
            return self.commands[command_id]
        except KeyError:
            raise faults.invalid_command(command_id) from None


class ShellRegistry:
    """The open shells of one endpoint; a shell from an older boot is reported as not found."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shells: dict[str, Shell] = {}

    def create(self, session: Session, boot_id: int) -> Shell:
        shell = Shell(new_guid(), session, boot_id)
        with self._lock:
            self._shells[shell.shell_id] = shell
        return shell

    def get(self, shell_id: str, boot_id: int) -> Shell:
        with self._lock:
            shell = self._shells.get(shell_id)
            if shell is not None and shell.boot_id != boot_id:
                # The host rebooted (or WinRM restarted) since the shell was made: it is gone.
                del self._shells[shell_id]
                shell = None
        if shell is None:
            raise faults.shell_not_found(shell_id)
        return shell

    def delete(self, shell_id: str, boot_id: int) -> None:
        self.get(shell_id, boot_id)
        with self._lock:
            self._shells.pop(shell_id, None)

    def drop_all(self) -> None:
        with self._lock:
            self._shells.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._shells)
