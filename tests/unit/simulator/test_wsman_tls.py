"""HTTPS with the generated test CA: validation on, validation off, untrusted CA rejected."""

from __future__ import annotations

import ssl
import subprocess

import pytest
import requests
from cryptography import x509
from winrm.protocol import Protocol

from simulator.wsman import WSManServer, generate_tls
from simulator.wsman.stub_backend import StubBackend
from simulator.wsman.tls import openssl_subject_hash


@pytest.fixture(name="server", scope="module")
def fixture_server(tmp_path_factory):
    with WSManServer(StubBackend(), scheme="https", ca_dir=tmp_path_factory.mktemp("ca")) as server:
        yield server


def _run(server: WSManServer, host: str = "127.0.0.1", **kwargs) -> bytes:
    proto = Protocol(server.url.replace("127.0.0.1", host), transport="basic", username="administrator",
                     password="Passw0rd!", **kwargs)
    shell_id = proto.open_shell()
    stdout = proto.get_command_output(shell_id, proto.run_command(shell_id, "hostname"))[0]
    proto.close_shell(shell_id)
    return stdout


def test_certificate_validates_against_the_ca_file(server: WSManServer) -> None:
    assert server.url.startswith("https://127.0.0.1:")
    assert _run(server, server_cert_validation="validate", ca_trust_path=str(server.ca_path)) == b"raw: hostname\r\n"


def test_certificate_validates_for_localhost_and_against_the_ca_directory(server: WSManServer) -> None:
    assert server.ca_path is not None
    assert _run(server, host="localhost", server_cert_validation="validate", ca_trust_path=str(server.ca_path.parent))


def test_validation_off_needs_no_ca(server: WSManServer) -> None:
    assert _run(server, server_cert_validation="ignore")


def test_untrusted_certificate_is_rejected(server: WSManServer, tmp_path) -> None:
    other = generate_tls(tmp_path / "other-ca")
    with pytest.raises(requests.exceptions.SSLError):
        _run(server, server_cert_validation="validate", ca_trust_path=str(other.ca_path))
    # The server shrugs the failed handshake off and keeps serving.
    assert _run(server, server_cert_validation="validate", ca_trust_path=str(server.ca_path))


def test_plain_http_to_the_https_port_fails(server: WSManServer) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(server.url.replace("https", "http"), data=b"x", timeout=5)


def test_server_certificate_names_and_chain(tmp_path) -> None:
    material = generate_tls(tmp_path)
    cert = x509.load_pem_x509_certificate(material.server_cert_pem)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1"]
    ca = x509.load_pem_x509_certificate(material.ca_cert_pem)
    cert.verify_directly_issued_by(ca)
    assert (tmp_path / "ca.pem").read_bytes() == material.ca_cert_pem
    assert b"PRIVATE KEY" not in b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert isinstance(material.server_context(), ssl.SSLContext)


def test_directory_hash_matches_openssl(tmp_path) -> None:
    material = generate_tls(tmp_path)
    try:
        proc = subprocess.run(["openssl", "x509", "-hash", "-noout", "-in", str(material.ca_path)],
                              capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("no openssl command line tool")
    assert proc.stdout.strip() == openssl_subject_hash(x509.load_pem_x509_certificate(material.ca_cert_pem))
