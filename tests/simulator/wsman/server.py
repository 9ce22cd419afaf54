"""The WS-Management endpoint: lifecycle, TLS, outages.

While `backend.is_up()` is False the listening socket is closed (new connections are refused)
and open connections are cut; it is bound again on the same port when the host is back. Shells
made under an older `backend.boot_id()` answer with the "shell not found" fault.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
from http.server import HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any

from simulator.invocation import Backend

from . import tls as tls_mod
from .executor import Executor
from .handler import WSManHandler
from .recorder import PayloadRecorder
from .reqlog import RequestLog
from .service import WinRSService

_log = logging.getLogger(__name__)


class _Listener(ThreadingMixIn, HTTPServer):
    """One bound listening socket; replaced by a new one after an outage."""

    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], app: WSManServer) -> None:
        self.app = app
        super().__init__(address, WSManHandler)

    def finish_request(self, request: Any, client_address: Any) -> None:
        conn = request
        if self.app.ssl_context is not None:
            request.settimeout(10)  # a client that never says hello must not pin a thread
            try:
                conn = self.app.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError) as exc:
                # Typically a client that rejects our certificate: nothing to serve.
                _log.debug("TLS handshake with %s failed: %s", client_address, exc)
                request.close()
                return
            conn.settimeout(None)
        self.app.track(conn, True)
        try:
            super().finish_request(conn, client_address)
        except (ConnectionError, ssl.SSLError, OSError, ValueError) as exc:
            _log.debug("connection from %s ended: %s", client_address, exc)
        finally:
            self.app.track(conn, False)
            if conn is not request:
                conn.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("error serving %s", client_address, exc_info=True)


class WSManServer:
    """A WinRM (WS-Man/WinRS) endpoint on 127.0.0.1 in front of a `Backend`.

    scheme "https" needs TLS material: pass `tls`, or `ca_dir` to generate a CA there.
    """

    def __init__(
        self,
        backend: Backend,
        *,
        scheme: str = "http",
        host: str = "127.0.0.1",
        port: int = 0,
        tls: tls_mod.TLSMaterial | None = None,
        ca_dir: str | Path | None = None,
        latency: float = 0.0,
        log_path: str | Path | None = None,
        record_dir: str | Path | None = None,
        max_receive_wait: float | None = None,
        poll_interval: float = 0.02,
        path: str = "/wsman",
    ) -> None:
        if scheme not in ("http", "https"):
            raise ValueError(f"scheme must be http or https, not {scheme!r}")
        self.backend = backend
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.latency = latency  # seconds added to every request, for benchmarks
        self.poll_interval = poll_interval
        self.log = RequestLog(log_path)
        self.recorder = PayloadRecorder(record_dir) if record_dir else None
        self.tls = tls
        if scheme == "https" and self.tls is None:
            if ca_dir is None:
                raise ValueError("https needs `tls` material or a `ca_dir` to write the test CA to")
            self.tls = tls_mod.generate(ca_dir)
        self.ssl_context = self.tls.server_context() if scheme == "https" and self.tls else None
        self.executor = Executor(backend, self.log, self.recorder)
        self.service = WinRSService(self.executor, backend.boot_id, lambda: self.url, max_receive_wait)
        self._lock = threading.RLock()
        self._listener: _Listener | None = None
        self._serve_thread: threading.Thread | None = None
        self._supervisor: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[Any] = set()

    # -- public API -------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}{self.path}"

    @property
    def ca_path(self) -> Path | None:
        return self.tls.ca_path if self.tls else None

    @property
    def listening(self) -> bool:
        return self._listener is not None

    def start(self) -> WSManServer:
        with self._lock:
            if self._supervisor is not None:
                return self
            self._stopping.clear()
            # Bind even if the host starts down: the port must be known (and kept) from the start.
            self._open()
            self._supervisor = threading.Thread(target=self._supervise, name="wsman-supervisor", daemon=True)
            self._supervisor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(timeout=5)
            self._supervisor = None
        with self._lock:
            self._close()
        self.service.shells.drop_all()

    def __enter__(self) -> WSManServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def accepting(self) -> bool:
        """Whether requests are served right now (False during a simulated outage)."""
        if self._stopping.is_set():
            return False
        try:
            return bool(self.backend.is_up())
        except Exception:  # pylint: disable=broad-exception-caught  # a broken backend must not kill the endpoint
            _log.exception("backend.is_up() failed")
            return True

    def refresh(self) -> None:
        """Apply the backend's up/down state now instead of at the next poll."""
        self._apply(self.accepting())

    def inventory_vars(self, user: str, password: str) -> dict[str, Any]:
        """The host variables a playbook needs to reach this endpoint (see the module docstring of wsman)."""
        host_vars: dict[str, Any] = {
            "ansible_host": self.host,
            "ansible_port": self.port,
            "ansible_connection": "winrm",
            "ansible_user": user,
            "ansible_password": password,
            "ansible_winrm_transport": "basic",
            "ansible_winrm_scheme": self.scheme,
            "ansible_winrm_path": self.path,
        }
        if self.scheme == "https":
            host_vars["ansible_winrm_server_cert_validation"] = "validate"
            host_vars["ansible_winrm_ca_trust_path"] = str(self.ca_path) if self.ca_path else None
        return host_vars

    def track(self, conn: Any, active: bool) -> None:
        with self._lock:
            if active:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)

    # -- listening socket and outages ------------------------------------------------------

    def _open(self) -> None:
        listener = _Listener((self.host, self.port), self)
        self.port = listener.server_address[1]
        self._listener = listener
        self._serve_thread = threading.Thread(
            target=listener.serve_forever, kwargs={"poll_interval": 0.05}, name=f"wsman-{self.port}", daemon=True
        )
        self._serve_thread.start()

    def _close(self) -> None:
        listener = self._listener
        if listener is not None:
            listener.shutdown()
            listener.server_close()
            self._listener = None  # only now: `listening` must not say False while the socket still accepts
        for conn in list(self._connections):
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _apply(self, up: bool) -> None:
        with self._lock:
            if self._stopping.is_set():
                return
            if up and self._listener is None:
                try:
                    self._open()
                except OSError as exc:  # the port is briefly busy: try again at the next poll
                    _log.warning("could not re-bind %s:%s: %s", self.host, self.port, exc)
            elif not up and self._listener is not None:
                self._close()

    def _supervise(self) -> None:
        while not self._stopping.wait(self.poll_interval):
            self._apply(self.accepting())
