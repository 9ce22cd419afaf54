"""The WinRS operations (Create, Command, Send, Receive, Signal, Delete) over parsed requests.

HTTP, authentication and outages are the handler's and the server's business; this module only
sees an authenticated `Session` and a `Request`, and returns a reply or raises `WSManFault`.
"""

from __future__ import annotations

import base64
import binascii
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from simulator.invocation import Session

from . import faults, soap
from .shells import Command, Runner, ShellRegistry


@dataclass
class Outcome:
    """A reply plus what the request log should say about it."""

    reply: bytes
    shell_id: str = ""
    command_id: str = ""
    note: str = ""


def _raw_budget(max_envelope_size: int) -> int:
    """Output bytes that fit in one Receive reply once base64-encoded (4/3) with the envelope around them."""
    usable = max(1024, max_envelope_size - soap.RECEIVE_OVERHEAD)
    return max(3, (usable * 3 // 4) // 3 * 3)


class WinRSService:
    def __init__(
        self,
        runner: Runner,
        boot_id: Callable[[], int],
        endpoint_url: Callable[[], str],
        max_receive_wait: float | None = None,
    ) -> None:
        self.shells = ShellRegistry()
        self._runner = runner
        self._boot_id = boot_id
        self._endpoint_url = endpoint_url
        # Tests shorten the Receive wait below the client's OperationTimeout to exercise the retry quickly.
        self.max_receive_wait = max_receive_wait

    def handle(self, req: soap.Request, session: Session, client_ip: str) -> Outcome:
        handlers = {
            soap.ACTION_CREATE: self._create,
            soap.ACTION_COMMAND: self._command,
            soap.ACTION_SEND: self._send,
            soap.ACTION_RECEIVE: self._receive,
            soap.ACTION_SIGNAL: self._signal,
            soap.ACTION_DELETE: self._delete,
        }
        handler = handlers.get(req.action)
        if handler is None:
            raise faults.action_not_supported(req.action)
        if req.action != soap.ACTION_CREATE and not req.shell_id:
            raise faults.bad_request("the request has no ShellId selector")
        return handler(req, session, client_ip)

    def _find(self, req: soap.Request, name: str) -> ET.Element:
        node = req.body.find(name, soap.NS) if req.body is not None else None
        if node is None:
            raise faults.bad_request(f"the request body has no {name}")
        return node

    def _create(self, req: soap.Request, session: Session, client_ip: str) -> Outcome:
        shell = self.shells.create(session, self._boot_id())
        reply = soap.create_response(req.message_id, self._endpoint_url(), shell.shell_id, session.username, client_ip)
        return Outcome(reply, shell.shell_id)

    def _command(self, req: soap.Request, session: Session, _client_ip: str) -> Outcome:
        shell = self.shells.get(req.shell_id, self._boot_id())
        line = self._find(req, "rsp:CommandLine")
        # 2.19 sends rsp:Command + rsp:Arguments, 2.21 the whole line in rsp:Command: WinRS joins them with a space.
        parts = [(line.findtext("rsp:Command", "", soap.NS) or "").strip()]
        parts += [(a.text or "").strip() for a in line.findall("rsp:Arguments", soap.NS)]
        command_line = " ".join(p for p in parts if p)
        console_mode = req.options.get("WINRS_CONSOLEMODE_STDIN", "TRUE").upper() == "TRUE"
        command = Command(soap.new_guid(), command_line, session, console_mode)
        shell.commands[command.command_id] = command
        return Outcome(soap.command_response(req.message_id, command.command_id), shell.shell_id, command.command_id)

    def _send(self, req: soap.Request, _session: Session, _client_ip: str) -> Outcome:
        shell = self.shells.get(req.shell_id, self._boot_id())
        stream = self._find(req, "rsp:Send/rsp:Stream")
        command = shell.command(stream.get("CommandId", ""))
        try:
            data = base64.b64decode((stream.text or "").strip(), validate=True)
        except (binascii.Error, ValueError):
            raise faults.bad_request("stdin stream is not base64") from None
        end = stream.get("End", "false").lower() == "true"
        command.add_stdin(data, end)
        if end:
            command.start(self._runner)
        return Outcome(soap.send_response(req.message_id), shell.shell_id, command.command_id, f"stdin {len(data)} B{' end' if end else ''}")

    def _receive(self, req: soap.Request, _session: Session, _client_ip: str) -> Outcome:
        shell = self.shells.get(req.shell_id, self._boot_id())
        desired = self._find(req, "rsp:Receive/rsp:DesiredStream")
        command = shell.command(desired.get("CommandId", ""))
        if not command.started and command.ready_to_start():
            command.start(self._runner)
        wait = req.operation_timeout if self.max_receive_wait is None else min(req.operation_timeout, self.max_receive_wait)
        if not command.wait(wait):
            raise faults.operation_timeout()
        streams, exit_code = command.next_chunk(_raw_budget(req.max_envelope_size))
        note = "done" if exit_code is not None else "more output"
        return Outcome(soap.receive_response(req.message_id, command.command_id, streams, exit_code), shell.shell_id, command.command_id, note)

    def _signal(self, req: soap.Request, _session: Session, _client_ip: str) -> Outcome:
        shell = self.shells.get(req.shell_id, self._boot_id())
        signal = self._find(req, "rsp:Signal")
        command_id = signal.get("CommandId", "")
        code = (signal.findtext("rsp:Code", "", soap.NS) or "").rsplit("/", 1)[-1]
        shell.command(command_id)
        if code in ("terminate", "ctrl_c", "ctrl_break"):
            # A still-running worker finishes in the background; its output is simply dropped.
            shell.commands.pop(command_id, None)
        return Outcome(soap.signal_response(req.message_id), shell.shell_id, command_id, code)

    def _delete(self, req: soap.Request, _session: Session, _client_ip: str) -> Outcome:
        self.shells.delete(req.shell_id, self._boot_id())
        return Outcome(soap.delete_response(req.message_id), req.shell_id)
