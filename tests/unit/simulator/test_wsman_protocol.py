"""WS-Man/WinRS operations as pywinrm performs them against simulator.wsman."""

from __future__ import annotations

import base64
import time
import uuid
import xml.etree.ElementTree as ET

import pytest
import requests
import xmltodict
from winrm.exceptions import WinRMOperationTimeoutError, WSManFaultError
from winrm.protocol import Protocol

from simulator.invocation import CommandResult, Invocation
from simulator.wsman import WSManServer
from simulator.wsman.stub_backend import StubBackend

USER, PASSWORD = "administrator", "Passw0rd!"


@pytest.fixture(name="backend")
def fixture_backend() -> StubBackend:
    return StubBackend()


@pytest.fixture(name="server")
def fixture_server(backend: StubBackend):
    with WSManServer(backend) as server:
        yield server


def _protocol(server: WSManServer, **kwargs) -> Protocol:
    return Protocol(server.url, transport="basic", username=USER, password=PASSWORD, server_cert_validation="ignore", **kwargs)


def test_shell_lifecycle_runs_a_command(server: WSManServer, backend: StubBackend) -> None:
    proto = _protocol(server)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, "ipconfig", ["/all"])
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    proto.cleanup_command(shell_id, command_id)  # asserts RelatesTo == MessageID itself
    proto.close_shell(shell_id)  # likewise
    assert (stdout, stderr, rc) == (b"raw: ipconfig /all\r\n", b"", 0)
    assert backend.invocations[-1].kind == "raw" and backend.invocations[-1].script == "ipconfig /all"
    assert [r.action for r in server.log.records(method="POST")] == ["Create", "Command", "Receive", "Signal", "Delete"]
    assert len(server.service.shells) == 0


def test_every_reply_relates_to_its_request(server: WSManServer) -> None:
    proto = _protocol(server)
    message_id = uuid.uuid4()
    request = {"env:Envelope": proto.build_wsman_header(
        action="http://schemas.xmlsoap.org/ws/2004/09/transfer/Create",
        resource_uri="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd",
        message_id=message_id)}
    request["env:Envelope"]["env:Body"] = {"rsp:Shell": {"rsp:InputStreams": "stdin", "rsp:OutputStreams": "stdout stderr"}}
    reply = ET.fromstring(proto.send_message(xmltodict.unparse(request)))
    relates = next(n for n in reply.iter() if n.tag.endswith("RelatesTo"))
    assert relates.text == f"uuid:{message_id}"


def test_command_line_joins_command_and_arguments(server: WSManServer, backend: StubBackend) -> None:
    """2.19 sends rsp:Arguments, 2.21 everything in rsp:Command: both reach the backend alike."""
    script = base64.b64encode("Get-Date".encode("utf-16-le")).decode()
    proto = _protocol(server)
    shell_id = proto.open_shell()
    for command, args in (("PowerShell", ["-NoProfile", "-EncodedCommand", script]), (f"powershell -NoProfile -EncodedCommand {script}", [])):
        command_id = proto.run_command(shell_id, command, args)
        assert proto.get_command_output(shell_id, command_id)[2] == 0
    assert [i.script for i in backend.invocations] == ["Get-Date", "Get-Date"]
    proto.close_shell(shell_id)


def test_stdin_is_collected_until_end(server: WSManServer, backend: StubBackend) -> None:
    seen: list[bytes] = []

    def handler(inv: Invocation) -> CommandResult:
        seen.append(inv.input_data)
        return CommandResult(0, b"ok")

    backend._do_raw = handler  # type: ignore[method-assign]  # pylint: disable=protected-access
    proto = _protocol(server)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, "findstr", ["x"], console_mode_stdin=False)
    proto.send_command_input(shell_id, command_id, b"first ", end=False)
    proto.send_command_input(shell_id, command_id, b"second", end=True)
    assert proto.get_command_output(shell_id, command_id) == (b"ok", b"", 0)
    assert seen == [b"first second"]
    sends = server.log.records(action="Send")
    assert [r.note for r in sends] == ["stdin 6 B", "stdin 6 B end"]


def test_big_output_is_chunked_over_several_receives(server: WSManServer, backend: StubBackend) -> None:
    big_out, big_err = bytes(range(256)) * 2000, b"E" * 70000  # 512 KB + 70 KB, more than 3 envelopes
    backend._do_raw = lambda inv: CommandResult(3, big_out, big_err)  # type: ignore[method-assign]  # pylint: disable=protected-access
    proto = _protocol(server)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, "type", ["big.bin"])
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    assert (stdout, stderr, rc) == (big_out, big_err, 3)
    receives = server.log.records(action="Receive")
    assert len(receives) >= 4
    assert all(r.bytes_out <= proto.max_env_sz for r in receives)
    assert [r.note for r in receives][-1] == "done" and {r.note for r in receives[:-1]} == {"more output"}


def test_long_command_returns_operation_timeout_and_client_retries(backend: StubBackend) -> None:
    backend.delay = 1.2
    with WSManServer(backend, max_receive_wait=0.3) as server:
        proto = _protocol(server, operation_timeout_sec=1, read_timeout_sec=5)
        shell_id = proto.open_shell()
        command_id = proto.run_command(shell_id, "slow", [])
        started = time.monotonic()
        assert proto.get_command_output(shell_id, command_id) == (b"raw: slow\r\n", b"", 0)
        assert time.monotonic() - started >= 1.0
        notes = [r.note for r in server.log.records(action="Receive")]
    assert notes.count("fault 2150858793") >= 2 and notes[-1] == "done"


def test_unknown_shell_gets_the_shell_not_found_fault(server: WSManServer) -> None:
    proto = _protocol(server)
    with pytest.raises(WSManFaultError) as info:
        proto.run_command("00000000-0000-0000-0000-000000000000", "dir")
    assert info.value.wsman_fault_code == 2150858843
    assert info.value.fault_subcode == "w:InvalidSelectors"
    assert "shell was not found on the server" in info.value.response
    assert info.value.code == 500


def test_unknown_command_and_action_are_faults(server: WSManServer) -> None:
    proto = _protocol(server)
    shell_id = proto.open_shell()
    with pytest.raises(WSManFaultError) as info:
        proto.get_command_output_raw(shell_id, "NOPE")
    assert info.value.wsman_fault_code == 87
    request = {"env:Envelope": proto.build_wsman_header(
        action="http://schemas.xmlsoap.org/ws/2004/09/enumeration/Enumerate",
        resource_uri="http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd", shell_id=shell_id)}
    with pytest.raises(WSManFaultError) as info:
        proto.send_message(xmltodict.unparse(request))
    assert info.value.fault_subcode == "a:ActionNotSupported"


def test_unknown_payload_format_is_rc_1_with_a_message(server: WSManServer) -> None:
    """A bootstrap wrapper whose stdin is not an exec manifest must never look like success."""
    bootstrap = "$codeJson = foreach ($in in $input) { if ([string]::Equals($in, \"`0`0`0`0\")) { break } }; ConvertFrom-Json"
    script = base64.b64encode(bootstrap.encode("utf-16-le")).decode()
    proto = _protocol(server)
    shell_id = proto.open_shell()
    command_id = proto.run_command(shell_id, "PowerShell", ["-EncodedCommand", script], console_mode_stdin=False)
    proto.send_command_input(shell_id, command_id, b"not a manifest", end=True)
    stdout, stderr, rc = proto.get_command_output(shell_id, command_id)
    assert rc == 1
    assert b"unknown payload format" in stdout and b"unknown payload format" in stderr
    assert server.log.records(method="EXEC")[-1].action == "payload-error"


def test_backend_crash_is_rc_1(server: WSManServer, backend: StubBackend) -> None:
    def explode(inv: Invocation) -> CommandResult:
        raise RuntimeError("model bug")

    backend._do_raw = explode  # type: ignore[method-assign]  # pylint: disable=protected-access
    proto = _protocol(server)
    shell_id = proto.open_shell()
    stdout, dummy, rc = proto.get_command_output(shell_id, proto.run_command(shell_id, "dir"))
    assert rc == 1 and b"RuntimeError: model bug" in stdout


def test_request_log_counts_and_file_without_secrets(tmp_path, backend: StubBackend) -> None:
    log_file = tmp_path / "requests.jsonl"
    with WSManServer(backend, log_path=log_file, latency=0.01) as server:
        proto = _protocol(server)
        shell_id = proto.open_shell()
        command_id = proto.run_command(shell_id, "echo", ["s3cret-stdin"], console_mode_stdin=False)
        proto.send_command_input(shell_id, command_id, b"stdin-Passw0rd!", end=True)
        proto.get_command_output(shell_id, command_id)
        proto.close_shell(shell_id)
        summary = server.log.summary()
        durations = [r.duration for r in server.log.records(method="POST")]
    assert summary["commands"] == 1 and summary["requests"] == 5
    assert summary["bytes_in"] > 0 and summary["bytes_out"] > 0
    assert min(durations) >= 0.01  # the latency setting applies to every request
    text = log_file.read_text()
    assert len(text.splitlines()) == 6  # 5 requests + 1 execution
    for secret in (PASSWORD, "stdin-Passw0rd", "s3cret", "Basic "):
        assert secret not in text


def test_nagle_is_off_so_round_trips_are_fast(server: WSManServer) -> None:
    from simulator.wsman.handler import WSManHandler  # pylint: disable=import-outside-toplevel

    assert WSManHandler.disable_nagle_algorithm is True
    proto = _protocol(server)
    shell_id = proto.open_shell()
    started = time.monotonic()
    for dummy in range(20):
        proto.get_command_output(shell_id, proto.run_command(shell_id, "ver"))
    # 60 round trips; with the ~40 ms Nagle/delayed-ACK stall this would take > 2 s.
    assert time.monotonic() - started < 1.5


def test_wrong_path_and_get_are_http_errors(server: WSManServer) -> None:
    auth = (USER, PASSWORD)
    assert requests.post(server.url.replace("/wsman", "/other"), auth=auth, data=b"x", timeout=5).status_code == 404
    assert requests.get(server.url, auth=auth, timeout=5).status_code == 405
    bad = requests.post(server.url, auth=auth, data=b"<not-xml", timeout=5)
    assert bad.status_code == 400 and b"WSManFault" in bad.content


def test_receive_before_stdin_is_complete_waits_then_times_out(backend: StubBackend) -> None:
    with WSManServer(backend, max_receive_wait=0.2) as server:
        proto = _protocol(server)
        shell_id = proto.open_shell()
        command_id = proto.run_command(shell_id, "more", [], console_mode_stdin=False)
        proto.send_command_input(shell_id, command_id, b"partial", end=False)
        started = time.monotonic()
        with pytest.raises(WinRMOperationTimeoutError):
            proto.get_command_output_raw(shell_id, command_id)
        assert time.monotonic() - started >= 0.2  # it waited like WinRS, no busy loop for the client
        proto.send_command_input(shell_id, command_id, b" rest", end=True)
        assert proto.get_command_output(shell_id, command_id)[2] == 0
    assert backend.invocations[-1].input_data == b"partial rest"
