"""The HTTP side of the endpoint: one POST /wsman per WS-Man request, kept-alive connections.

TCP_NODELAY is set on every connection (`disable_nagle_algorithm`): without it each reply
stalls ~40 ms on Nagle + the client's delayed ACK, which makes a playbook many times slower.
"""

from __future__ import annotations

import socket
import time
import typing as t
from http.server import BaseHTTPRequestHandler

from . import faults, soap
from .auth import CHALLENGES, authenticate
from .reqlog import RequestRecord

if t.TYPE_CHECKING:  # pragma: no cover
    from .server import WSManServer

CONTENT_TYPE = "application/soap+xml;charset=UTF-8"


class WSManHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""

    @property
    def app(self) -> WSManServer:
        return self.server.app  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: t.Any) -> None:  # pylint: disable=redefined-builtin
        """Silence http.server's stderr lines; the request log records what matters."""

    def _drop(self) -> None:
        """The host is down: no reply at all, like a connection reset during a reboot."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _reply(self, status: int, body: bytes, headers: t.Sequence[tuple[str, str]] = ()) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if body:
            self.send_header("Content-Type", CONTENT_TYPE)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._reply(405, b"")

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        app = self.app
        started = time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        if not app.accepting():
            self._drop()
            return
        if app.latency > 0:
            time.sleep(app.latency)
        record = RequestRecord(time.time(), "POST", "?", 0, 0.0, len(body), 0)
        try:
            status, reply, headers = self._dispatch(body, record)
        except ConnectionError:
            self._drop()
            return
        # Logged before the reply goes out so that a client that got its answer also finds the record.
        record.status, record.bytes_out, record.duration = status, len(reply), time.monotonic() - started
        app.log.add(record)
        self._reply(status, reply, headers)

    def _dispatch(self, body: bytes, record: RequestRecord) -> tuple[int, bytes, list[tuple[str, str]]]:
        app = self.app
        if self.path.split("?", 1)[0].rstrip("/").lower() != app.path.lower():
            record.note = f"no endpoint at {self.path}"
            return 404, b"", []
        session, record.user = authenticate(app.backend, self.headers.get("Authorization"))
        if session is None:
            record.note = "auth rejected"
            return 401, b"", [("WWW-Authenticate", c) for c in CHALLENGES]
        try:
            req = soap.parse_request(body)
        except soap.SoapParseError as exc:
            record.note = str(exc)
            return 400, faults.bad_request(str(exc)).to_xml(""), []
        record.action = req.short_action
        try:
            outcome = app.service.handle(req, session, self.client_address[0])
        except faults.WSManFault as fault:
            record.shell_id, record.note = req.shell_id, f"fault {fault.code}"
            return 500, fault.to_xml(req.message_id), []
        record.shell_id, record.command_id, record.note = outcome.shell_id, outcome.command_id, outcome.note
        return 200, outcome.reply, []
