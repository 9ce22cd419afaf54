"""Runs one WinRS command: decode the payload, ask the backend, never fail silently.

An unknown payload format or a backend crash becomes rc 1 with a message saying so, both as
module-style JSON on stdout (what ansible shows for a module) and as text on stderr.
"""

from __future__ import annotations

import time

from simulator.invocation import Backend, CommandResult, Session
from simulator.payload import PayloadError, decode, failure

from .recorder import PayloadRecorder
from .reqlog import RequestLog, RequestRecord


class Executor:
    def __init__(self, backend: Backend, log: RequestLog, recorder: PayloadRecorder | None = None) -> None:
        self.backend = backend
        self.log = log
        self.recorder = recorder

    def __call__(self, command_line: str, stdin: bytes, session: Session) -> CommandResult:
        started = time.monotonic()
        try:
            invocation = decode(command_line, stdin)
        except PayloadError as exc:
            label = "payload-error"
            result = failure(f"simulator: unknown payload format: {exc}")
        else:
            label = invocation.module_name or invocation.kind
            try:
                result = self.backend.execute(invocation, session)
            except Exception as exc:  # pylint: disable=broad-exception-caught  # must reach the client as rc 1
                result = failure(f"simulator: the backend failed while running {label}: {type(exc).__name__}: {exc}")
        if self.recorder is not None:
            self.recorder.record(command_line, stdin, label)
        self.log.add(RequestRecord(
            time=time.time(),
            method="EXEC",
            action=label,
            status=result.rc,
            duration=time.monotonic() - started,
            bytes_in=len(stdin),
            bytes_out=len(result.stdout) + len(result.stderr),
            user=session.username,
        ))
        return result
