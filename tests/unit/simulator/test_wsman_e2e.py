"""Real ansible-playbook -> winrm plugin -> pywinrm -> HTTPS (validated) -> simulator.wsman, per ansible-core line."""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path

import pytest

from simulator.invocation import CommandResult, Invocation
from simulator.payload import raw_result
from simulator.wsman import WSManServer, generate_tls
from simulator.wsman.ansible_run import run_playbook, write_inventory
from simulator.wsman.stub_backend import StubBackend

ROOT = Path(__file__).resolve().parents[3]
LINES = {".venv": "2.19", ".venv-core221": "2.21"}

PLAYBOOK = """
- hosts: win
  gather_facts: false
  tasks:
    - name: raw
      ansible.builtin.raw: Get-Service WinRM
      register: raw_out
    - name: ping
      ansible.windows.win_ping:
        data: e2e
      register: ping_out
    - ansible.builtin.assert:
        that:
          - "raw_out.stdout_lines == ['raw: Get-Service WinRM']"
          - "ping_out.ping == 'e2e'"
"""

pytestmark = pytest.mark.e2e


@pytest.fixture(name="venv", params=sorted(LINES))
def fixture_venv(request) -> Path:
    venv = ROOT / request.param
    if not (venv / "bin" / "ansible-playbook").exists():
        pytest.skip(f"{request.param} is absent (create it with tools/bootstrap.sh) - ansible-core {LINES[request.param]} not tested")
    return venv


def test_raw_and_win_ping_over_validated_https(venv: Path, tmp_path: Path) -> None:
    backend = StubBackend()
    with WSManServer(backend, scheme="https", ca_dir=tmp_path / "ca") as server:
        inventory = write_inventory(tmp_path, server, "administrator", "Passw0rd!")
        (tmp_path / "site.yml").write_text(PLAYBOOK, encoding="utf-8")
        proc = run_playbook(venv, tmp_path, tmp_path / "site.yml", inventory)
        summary = server.log.summary()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok=3" in proc.stdout and "failed=0" in proc.stdout
    kinds = [(i.kind, i.module_name, i.core_version.rsplit(".", 1)[0] if i.core_version else "") for i in backend.invocations]
    assert kinds == [("raw", "", ""), ("module", "ansible.windows.win_ping", LINES[venv.name])]
    assert summary["commands"] == 2 and summary["executions"] == {"raw": 1, "ansible.windows.win_ping": 1}


def test_untrusted_certificate_makes_the_host_unreachable(venv: Path, tmp_path: Path) -> None:
    with WSManServer(StubBackend(), scheme="https", ca_dir=tmp_path / "ca") as server:
        other_ca = generate_tls(tmp_path / "other-ca").ca_path
        inventory = write_inventory(tmp_path, server, "administrator", "Passw0rd!", ansible_winrm_ca_trust_path=str(other_ca))
        (tmp_path / "site.yml").write_text(PLAYBOOK, encoding="utf-8")
        proc = run_playbook(venv, tmp_path, tmp_path / "site.yml", inventory)
        served = server.log.summary()["requests"]
    assert proc.returncode != 0
    assert "UNREACHABLE" in proc.stdout and "CERTIFICATE_VERIFY_FAILED" in proc.stdout
    assert served == 0


def test_wrong_password_is_reported_as_rejected_credentials(venv: Path, tmp_path: Path) -> None:
    with WSManServer(StubBackend()) as server:
        inventory = write_inventory(tmp_path, server, "administrator", "not-the-password")
        (tmp_path / "site.yml").write_text(PLAYBOOK, encoding="utf-8")
        proc = run_playbook(venv, tmp_path, tmp_path / "site.yml", inventory)
    assert proc.returncode != 0
    assert "basic: the specified credentials were rejected by the server" in proc.stdout


class _RebootingStub(StubBackend):
    """Answers win_reboot's one-liners; shutdown.exe starts a short outage that ends on a new boot id."""

    def _do_raw(self, inv: Invocation) -> CommandResult:
        if "LastBootUpTime" in inv.script:
            return raw_result(str(133_000_000_000_000_000 + self.boot))
        if "shutdown.exe" in inv.script.lower():
            threading.Thread(target=self._outage, daemon=True).start()
            return raw_result(json.dumps({"stdout": "", "stderr": "", "rc": 0}))
        marker = re.search(r"'(success-[0-9a-f-]+)'", inv.script)
        return raw_result(marker.group(1)) if marker else super()._do_raw(inv)

    def _outage(self) -> None:
        time.sleep(0.2)
        self.reboot(down=True)
        time.sleep(1.0)
        self.reboot(down=False)


def test_win_reboot_rides_out_the_outage(tmp_path: Path) -> None:
    """ansible.windows.win_reboot sees refused connections, reconnects and finds a new boot (2.19 line only: ~8 s)."""
    venv = ROOT / ".venv"
    backend = _RebootingStub()
    playbook = "- hosts: win\n  gather_facts: false\n  tasks:\n    - ansible.windows.win_reboot:\n        pre_reboot_delay: 0\n" \
               "        reboot_timeout: 60\n    - ansible.windows.win_ping:\n"
    with WSManServer(backend) as server:
        inventory = write_inventory(tmp_path, server, "administrator", "Passw0rd!")
        (tmp_path / "site.yml").write_text(playbook, encoding="utf-8")
        proc = run_playbook(venv, tmp_path, tmp_path / "site.yml", inventory)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok=2" in proc.stdout and "changed=1" in proc.stdout and "failed=0" in proc.stdout
    assert backend.boot == 2
    assert backend.invocations[-1].module_name == "ansible.windows.win_ping"
