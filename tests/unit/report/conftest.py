"""Helpers for the report's unit tests: a recorder driven like the callback drives it."""

from __future__ import annotations

import datetime

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import iso
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import RunRecorder, TaskInfo

START = datetime.datetime(2026, 11, 27, 16, 0, tzinfo=datetime.timezone.utc)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def tick(self, seconds: float = 10) -> datetime.datetime:
        self.now += datetime.timedelta(seconds=seconds)
        return self.now


class Driver:
    """Runs tasks through a RunRecorder the way the callback does."""

    def __init__(self, check_mode: bool = False, language: str = "es") -> None:
        self.clock = Clock()
        run = {"id": "20261127T160000Z-abc123", "started": iso(START), "check_mode": check_mode,
               "technician": {"name": "Téc. Juan Pérez", "source": "variable"},
               "controller": {"host": "ctl", "user": "jperez", "pid": 1}, "ansible_core": "2.19.14"}
        self.recorder = RunRecorder(run, language, "America/Guatemala")
        self._count = 0

    def task(self, activity: int | None, outcome: str = "ok", result: dict | None = None, name: str | None = None,
             action: str = "ansible.builtin.debug", in_role: bool | None = None, host: str = "rpi-exch01") -> TaskInfo:
        self._count += 1
        info = TaskInfo(f"uuid-{self._count}", name or f"task {self._count}", action, activity,
                        activity is not None if in_role is None else in_role)
        self.recorder.task_started(info, self.clock.tick(1))
        self.recorder.task_result(info, host, outcome, result or {}, self.clock.tick(30))
        return info

    def activities(self, numbers, outcome: str = "ok") -> None:
        for number in numbers:
            self.task(number, outcome)

    def finalize(self, interrupted: bool = False, hosts_failed: bool = False) -> dict:
        self.recorder.finalize(self.clock.tick(1), interrupted=interrupted, hosts_failed=hosts_failed)
        return self.document()

    def document(self) -> dict:
        return self.recorder.document(self.clock.now)


@pytest.fixture
def driver() -> Driver:
    return Driver()


@pytest.fixture
def make_driver():
    return Driver


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, and the logins it saw."""

    def __init__(self) -> None:
        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult  # pylint: disable=import-outside-toplevel

        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        if auth_data.password == b"right-password":
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


def free_port() -> int:
    import socket  # pylint: disable=import-outside-toplevel

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """Start an SMTP server on 127.0.0.1; yields a factory taking aiosmtpd Controller options."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in requirements-dev.txt")
    started = []

    def start(**options):
        mailbox = Mailbox()
        controller = controller_module.Controller(mailbox, hostname="127.0.0.1", port=free_port(), authenticator=mailbox.authenticate,
                                                  **options)
        controller.start()
        started.append(controller)
        return controller, mailbox

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and its key, as files."""
    import ipaddress  # pylint: disable=import-outside-toplevel

    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "relay.test")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "relay.pem", folder / "relay.key"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_file, key_file
