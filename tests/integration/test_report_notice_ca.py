"""Activity 11's e-mail through a relay whose certificate the RPI's CA signed (issue 16, item 9).

The real role (rpi.exchange.report_installation) run by the real ansible-playbook, with `rpi_exchange_notice.ca_path`, against
an aiosmtpd relay on 127.0.0.1 over STARTTLS and over SMTPS. The controller's trust store does not know the test CA: the
notice gets through only because the role passes the configured CA on to the relay's TLS check.
"""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
from pathlib import Path

import pytest
import yaml

from rpi_test_ca import rpi_ca

PLAYBOOK = """---
- name: Activity 11 alone, as the procedure runs it
  hosts: rpi-exch01
  gather_facts: false
  roles:
    - rpi.exchange.report_installation
"""


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
