"""HTTP Basic authentication of the endpoint, as pywinrm and Windows do it."""

from __future__ import annotations

import pytest
import requests
from winrm.exceptions import InvalidCredentialsError
from winrm.protocol import Protocol

from simulator.wsman import WSManServer
from simulator.wsman.auth import parse_basic
from simulator.wsman.stub_backend import StubBackend


@pytest.fixture(name="server")
def fixture_server():
    with WSManServer(StubBackend({"administrator": "Passw0rd!"})) as server:
        yield server


def test_right_password_opens_a_shell_and_names_the_session(server: WSManServer) -> None:
    proto = Protocol(server.url, transport="basic", username="RPI\\Administrator", password="Passw0rd!",
                     server_cert_validation="ignore")
    shell_id = proto.open_shell()
    proto.close_shell(shell_id)
    assert server.log.records(action="Create")[0].user == "RPI\\Administrator"


def test_wrong_password_is_invalid_credentials(server: WSManServer) -> None:
    proto = Protocol(server.url, transport="basic", username="administrator", password="wrong", server_cert_validation="ignore")
    with pytest.raises(InvalidCredentialsError, match="credentials were rejected"):
        proto.open_shell()
    record = server.log.records()[-1]
    assert (record.status, record.note, record.user) == (401, "auth rejected", "administrator")


def test_401_carries_the_windows_challenges() -> None:
    with WSManServer(StubBackend()) as server:
        reply = requests.post(server.url, data=b"<x/>", timeout=5)
        assert reply.status_code == 401
        assert reply.raw.headers.getlist("WWW-Authenticate") == ["Negotiate", 'Basic realm="WSMAN"']
        ntlm = requests.post(server.url, data=b"<x/>", headers={"Authorization": "Negotiate TlRMTVNTUAAB"}, timeout=5)
        assert ntlm.status_code == 401
        assert server.log.records()[-1].user == "<Negotiate auth>"


@pytest.mark.parametrize("header", [None, "", "Basic", "Basic !!!", "Basic " + "dXNlcm5hbWU=", "Digest abc"])
def test_malformed_basic_headers_are_rejected(header: str | None) -> None:
    assert parse_basic(header) is None


def test_password_with_colon_survives() -> None:
    assert parse_basic("Basic dXNlcjpwYTpzcw==") == ("user", "pa:ss")
