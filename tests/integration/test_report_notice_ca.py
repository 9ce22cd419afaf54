"""Activity 11's e-mail through a relay whose certificate the RPI's CA signed (issue 16, item 9).

The real role (rpi.exchange.report_installation) run by the real ansible-playbook, with `rpi_exchange_notice.ca_path`, against
an aiosmtpd relay on 127.0.0.1 over STARTTLS and over SMTPS. The controller's trust store does not know the test CA: the
notice gets through only because the role passes the configured CA on to the relay's TLS check.
"""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import socket
import ssl
from pathlib import Path

import pytest
import yaml

PLAYBOOK = """---
- name: Activity 11 alone, as the procedure runs it
  hosts: rpi-exch01
  gather_facts: false
  roles:
    - rpi.exchange.report_installation
"""


def rpi_ca(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a relay certificate for 127.0.0.1 it signed, as PEM files (the CA, the relay's cert and key)."""
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, relay_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "RPI CA de pruebas")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          # Python 3.13 verifies strictly (VERIFY_X509_STRICT): key identifiers and the CA's key usage are required.
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    relay = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "relay.rpi.test")]))
             .issuer_name(ca_name).public_key(relay_key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
             .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
             .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = folder / "rpi-ca.pem", folder / "relay.pem", folder / "relay.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(relay.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(relay_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                 serialization.NoEncryption()))
    return ca_file, cert_file, key_file


class Mailbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def tls_relay(tmp_path):
    """Start an aiosmtpd relay on 127.0.0.1 with a certificate the test CA signed; yields a factory (security) -> (port, mailbox)."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in requirements-dev.txt")
    ca_file, cert_file, key_file = rpi_ca(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    started = []

    def start(security: str) -> tuple[int, Mailbox, Path]:
        mailbox = Mailbox()
        options = {"tls_context": context, "require_starttls": True} if security == "starttls" else {"ssl_context": context}
        controller = controller_module.Controller(mailbox, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        started.append(controller)
        return controller.port, mailbox, ca_file

    yield start
    for controller in started:
        controller.stop()


def run_activity_11(ansible_playbook, tmp_path: Path, notice: dict):
    inventory = tmp_path / "inventory.yml"
    inventory.write_text(yaml.safe_dump({"all": {"hosts": {"rpi-exch01": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}}), encoding="utf-8")
    playbook = tmp_path / "activity_11.yml"
    playbook.write_text(PLAYBOOK, encoding="utf-8")
    return ansible_playbook(playbook, inventory, extra_vars={"rpi_exchange_notice": notice}, timeout=180)


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_the_notice_reaches_a_relay_the_rpi_ca_signed(ansible_playbook, tls_relay, tmp_path, security):
    port, mailbox, ca_file = tls_relay(security)
    notice = {"enabled": True, "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": security, "ca_path": str(ca_file),
              "sender": "instalador@rpi.gob.gt", "recipients": ["encargado.ti@rpi.gob.gt"]}
    run = run_activity_11(ansible_playbook, tmp_path, notice)
    assert run.rc == 0, run.output[-3000:]
    report = run.latest_report()
    evidence = [item for item in report["activities"][10]["evidence"] if item["kind"] == "notice"]
    assert evidence[0]["level"] == "ok", evidence
    assert evidence[0]["summary_es"] == "Aviso enviado por correo a encargado.ti@rpi.gob.gt."
    assert len(mailbox.envelopes) == 1
    message = email.message_from_bytes(mailbox.envelopes[0].content, policy=email.policy.default)
    assert sorted(part.get_filename() for part in message.iter_attachments()) == ["report.html", "report.json"]
    assert "CERTIFICATE_VERIFY_FAILED" not in run.output


def test_without_the_ca_the_relay_is_refused_and_the_run_goes_on(ansible_playbook, tls_relay, tmp_path):
    """The controller's own store does not know the test CA: the same relay without ca_path is refused, which proves the
    test above passes through the CA it configured; a failed notice is a warning, never a failed run."""
    port, mailbox, _ca_file = tls_relay("starttls")
    notice = {"enabled": True, "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_security": "starttls",
              "sender": "instalador@rpi.gob.gt", "recipients": ["encargado.ti@rpi.gob.gt"]}
    run = run_activity_11(ansible_playbook, tmp_path, notice)
    assert run.rc == 0, run.output[-3000:]
    assert mailbox.envelopes == []
    evidence = [item for item in run.latest_report()["activities"][10]["evidence"] if item["kind"] == "notice"]
    assert evidence[0]["level"] == "warning" and "CERTIFICATE_VERIFY_FAILED" in evidence[0]["summary_es"]
