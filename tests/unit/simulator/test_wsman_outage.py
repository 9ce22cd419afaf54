"""Simulated reboots: connections refused while down, shells from an older boot are gone."""

from __future__ import annotations

import socket
import time

import pytest
import requests
from winrm.exceptions import WSManFaultError
from winrm.protocol import Protocol

from simulator.wsman import WSManServer
from simulator.wsman.stub_backend import StubBackend


def _protocol(server: WSManServer) -> Protocol:
    return Protocol(server.url, transport="basic", username="administrator", password="Passw0rd!", server_cert_validation="ignore")


def _connect(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _wait_for(condition, timeout: float = 3.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_outage_refuses_connections_then_reopens_on_the_same_port() -> None:
    backend = StubBackend()
    with WSManServer(backend) as server:
        port = server.port
        proto = _protocol(server)
        shell_id = proto.open_shell()  # keeps a kept-alive connection in requests' pool
        backend.reboot(down=True)
        assert _wait_for(lambda: not server.listening)
        assert not _connect(port)
        with pytest.raises(requests.exceptions.ConnectionError):
            proto.run_command(shell_id, "dir")
        backend.reboot(down=False)
        assert _wait_for(lambda: server.listening)
        assert server.port == port and _connect(port)
        # The shell belongs to the previous boot.
        with pytest.raises(WSManFaultError) as info:
            _protocol(server).run_command(shell_id, "dir")
        assert info.value.wsman_fault_code == 2150858843
        fresh = _protocol(server)
        new_shell = fresh.open_shell()
        assert fresh.get_command_output(new_shell, fresh.run_command(new_shell, "dir"))[2] == 0


def test_requests_on_open_connections_are_dropped_while_down() -> None:
    """Between is_up() turning False and the next poll, a request still gets no reply at all."""
    backend = StubBackend()
    with WSManServer(backend, poll_interval=5) as server:
        proto = _protocol(server)
        shell_id = proto.open_shell()
        backend.up = False
        with pytest.raises(requests.exceptions.ConnectionError):
            proto.run_command(shell_id, "dir")
        server.refresh()
        assert not server.listening


def test_boot_id_change_without_outage_invalidates_shells() -> None:
    backend = StubBackend()
    with WSManServer(backend) as server:
        proto = _protocol(server)
        shell_id = proto.open_shell()
        backend.boot += 1  # e.g. the WinRM service restarted between two polls
        with pytest.raises(WSManFaultError) as info:
            proto.close_shell(shell_id)
        assert "shell was not found" in info.value.response


def test_server_started_while_host_is_down_binds_later() -> None:
    backend = StubBackend()
    backend.up = False
    with WSManServer(backend) as server:
        port = server.port
        assert port and _wait_for(lambda: not server.listening)
        backend.up = True
        server.refresh()
        assert server.listening and _connect(port)


def test_stop_closes_everything() -> None:
    backend = StubBackend()
    server = WSManServer(backend).start()
    proto = _protocol(server)
    proto.open_shell()
    server.stop()
    assert not server.listening and not _connect(server.port) and len(server.service.shells) == 0
