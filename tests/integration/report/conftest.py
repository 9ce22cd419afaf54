"""Real ansible-playbook runs of the report's fixture procedure, on every ansible-core line we have.

Each scenario runs once per session and core (they take seconds); tests share the results.
The reports go to a temporary directory; an SMTP server on 127.0.0.1 receives the notice.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMTP_PASSWORD = "Smtp-Secret-6610"
# Every secret the scenarios hand to ansible, each by a different road; none may reach an artefact.
SECRETS = {
    "Sup3r-Secret-Extra-981": "extra var rpi_exchange_setup_password, in a failing task's message",
    "NoLog-Secret-4471": "only in the arguments of a no_log task",
    "FactToken-7781-quiet": "set by a no_log set_fact, then in a task name",
    "Inv3ntory-Secret-552": "inventory variable, in a task name",
    "Details-Secret-3319": "evidence details under a secret key",
    "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY": "a product key in an evidence summary",
    SMTP_PASSWORD: "the relay password (extra var), used to log in",
    "Vault-Secret-8123": "a vaulted variable, in a task name",
}
SECRET_VARS = ["-e", "rpi_exchange_setup_password=Sup3r-Secret-Extra-981", "-e", f"rpi_exchange_notice_smtp_password={SMTP_PASSWORD}",
               "-e", "@vaulted.yml", "--vault-password-file", "vault-password.txt"]


def _cores() -> list[tuple[str, Path]]:
    found = []
    for venv in (ROOT / ".venv", ROOT / ".venv-core221"):
        if (venv / "bin" / "ansible-playbook").exists():
            version = subprocess.run([str(venv / "bin" / "python"), "-c", "import ansible.release as r; print(r.__version__)"],
                                     capture_output=True, text=True, check=False).stdout.strip()
            if version:
                found.append((version, venv))
    return found


CORES = _cores()


@dataclasses.dataclass
class Run:
    folder: Path | None
    root: Path
    returncode: int
    output: str

    @property
    def document(self) -> dict:
        return json.loads((self.folder / "report.json").read_text(encoding="utf-8"))

    @property
    def html(self) -> str:
        return (self.folder / "report.html").read_text(encoding="utf-8")


def environment(venv: Path, root: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), PATH=f"{venv / 'bin'}:{env.get('PATH', '')}", ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_PATH=str(venv / "collections"), RPI_EXCHANGE_REPORT_DIR=str(root))
    env.pop("RPI_EXCHANGE_REPORT_RUN_DIR", None)
    env.pop("RPI_EXCHANGE_REPORT_LANGUAGE", None)
    env.update(extra)
    return env


def command(venv: Path, playbook: str, *args: str, inventory: str = "inventory.yml") -> list[str]:
    return [str(venv / "bin" / "ansible-playbook"), "-i", inventory, playbook, *args]


def folder_of(root: Path) -> Path | None:
    latest = root / "latest"
    return latest.resolve() if latest.exists() else None


def run_playbook(venv: Path, root: Path, playbook: str, *args: str, inventory: str = "inventory.yml", **env: str) -> Run:
    done = subprocess.run(command(venv, playbook, *args, inventory=inventory), cwd=FIXTURES, env=environment(venv, root, **env),
                          capture_output=True, text=True, timeout=120, check=False)
    return Run(folder_of(root), root, done.returncode, done.stdout + done.stderr)


def _descendants(pid: int) -> list[int]:
    """The processes a run started (ansible's workers leave its process group, so walk /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def interrupt_while_waiting(venv: Path, root: Path, signum: int) -> Run:
    """Start a run that waits in activity 9, send it `signum` once the report shows the wait."""
    process = subprocess.Popen(command(venv, "procedure.yml", "-e", "fixture_sleep_at=9", "-e", "fixture_sleep_seconds=20"),
                               cwd=FIXTURES, env=environment(venv, root), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    started: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            folder = folder_of(root)
            if folder and '"task": "Wait for the installation"' in (folder / "report.json").read_text(encoding="utf-8"):
                break  # `latest` appears only with a complete report.json in its folder
            time.sleep(0.1)
        else:
            pytest.fail("the run never reached the wait of activity 9")
        started = _descendants(process.pid)
        os.kill(process.pid, signum)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        # A killed ansible-playbook leaves its worker and the `sleep` behind; end exactly those.
        for pid in started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    output = process.stdout.read() if process.stdout else ""
    return Run(folder_of(root), root, process.returncode, output)


class Mailbox:
    def __init__(self) -> None:
        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult  # pylint: disable=import-outside-toplevel

        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == SMTP_PASSWORD.encode(), handled=False)

    def texts(self) -> list[str]:
        """Every part of every message received, decoded, for searching."""
        found = []
        for envelope in self.envelopes:
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            found.append(str(message["Subject"]))
            for part in message.walk():
                payload = part.get_payload(decode=True)
                if payload:
                    found.append(payload.decode("utf-8", errors="replace"))
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_relay():
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in requirements-dev.txt")
    mailbox = Mailbox()
    controller = controller_module.Controller(mailbox, hostname="127.0.0.1", port=free_port(), authenticator=mailbox.authenticate,
                                              auth_require_tls=False)
    controller.start()
    yield controller.port, mailbox
    controller.stop()


class Scenarios:
    """Runs each scenario once per core and keeps the result."""

    def __init__(self, factory, relay) -> None:
        self._factory = factory
        self._relay = relay
        self._done: dict[tuple[str, str], Run] = {}

    def get(self, name: str, core: tuple[str, Path]) -> Run:
        key = (name, core[0])
        if key not in self._done:
            root = self._factory.mktemp(f"{name}-{core[0]}")
            self._done[key] = getattr(self, "_" + name)(core[1], root)
        return self._done[key]

    def _success(self, venv: Path, root: Path) -> Run:
        port, mailbox = self._relay
        before = len(mailbox.envelopes)
        run = run_playbook(venv, root, "procedure.yml", *SECRET_VARS, "-e", f"fixture_smtp_port={port}", "-e", "fixture_smtp_user=notifier")
        run.messages = mailbox.envelopes[before:]  # type: ignore[attr-defined]
        return run

    def _failure(self, venv: Path, root: Path) -> Run:
        return run_playbook(venv, root, "procedure.yml", *SECRET_VARS, "-e", "fixture_fail_at=8")


@pytest.fixture(scope="session")
def scenarios(tmp_path_factory, smtp_relay) -> Scenarios:
    if not CORES:
        pytest.skip("no virtual environment with ansible-playbook (run tools/bootstrap.sh)")
    return Scenarios(tmp_path_factory, smtp_relay)


@pytest.fixture(params=CORES, ids=[core[0] for core in CORES])
def core(request) -> tuple[str, Path]:
    return request.param


@pytest.fixture
def main_core() -> tuple[str, Path]:
    if not CORES:
        pytest.skip("no virtual environment with ansible-playbook (run tools/bootstrap.sh)")
    return CORES[0]


class Harness:
    """What the tests use: runs, interruptions, the secrets to look for, the schema check."""

    root = ROOT
    fixtures = FIXTURES
    secrets = SECRETS
    secret_vars = SECRET_VARS
    smtp_password = SMTP_PASSWORD

    @staticmethod
    def run(core: tuple[str, Path], root: Path, playbook: str, *args: str, inventory: str = "inventory.yml", **env: str) -> Run:
        return run_playbook(core[1], root, playbook, *args, inventory=inventory, **env)

    @staticmethod
    def interrupt(core: tuple[str, Path], root: Path, signum: int) -> Run:
        return interrupt_while_waiting(core[1], root, signum)

    @staticmethod
    def schema_errors(document: dict) -> list[str]:
        jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in requirements-dev.txt")
        schema = json.loads((ROOT / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
        return [f"{list(error.absolute_path)}: {error.message}" for error in jsonschema.Draft202012Validator(schema).iter_errors(document)]

    @staticmethod
    def statuses(document: dict) -> list[str]:
        return [entry["status"] for entry in document["activities"]]


@pytest.fixture(scope="session")
def harness() -> Harness:
    return Harness()
