"""The released collection, installed the way a user installs it, runs the procedure.

The tarball is built with `ansible-galaxy collection build` and installed with `ansible-galaxy collection install
--no-deps` into an empty directory (Galaxy is unreachable from our machines: ansible.windows and community.windows
come from the virtual environment, the only thing taken from it). Then, from a directory outside the checkout and
with an ansible.cfg of its own (so nothing of the checkout's configuration or of its link in .venv/collections is
used), `ansible-playbook rpi.exchange.install_exchange --check` runs against a simulated RPI server.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from simulator import launch
from simulator.snapshot import differences, snapshot

ROOT = Path(__file__).resolve().parents[2]
VENV_COLLECTIONS = Path(sys.prefix) / "collections" / "ansible_collections"


def dependencies_only(where: Path) -> Path:
    """A collections directory with ansible.windows and community.windows only: not the link to this checkout."""
    for namespace, name in (("ansible", "windows"), ("community", "windows")):
        source = VENV_COLLECTIONS / namespace / name
        if not source.is_dir():
            pytest.skip(f"{namespace}.{name} is not in {VENV_COLLECTIONS} (tools/bootstrap.sh puts it there)")
        (where / "ansible_collections" / namespace).mkdir(parents=True, exist_ok=True)
        (where / "ansible_collections" / namespace / name).symlink_to(source, target_is_directory=True)
    return where


def instruction(path: Path) -> Path:
    """Activity 1's instruction, with a window around now (Guatemala time)."""
    now = datetime.now(timezone(timedelta(hours=-6)))
    path.write_text(yaml.safe_dump({"rpi_exchange_instruction": {
        "instructed_by": "Ing. María López, Encargada de TI",
        "reference": "MEMO-DTI-2026-041",
        "window_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "window_end": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.e2e
def test_the_installed_tarball_runs_the_procedure_in_check_mode(tmp_path: Path, installed_collection: Path, tool, clean_env, custom_stats):
    installed = installed_collection / "ansible_collections" / "rpi" / "exchange"
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))["version"]
    work = tmp_path / "outside-the-checkout"
    work.mkdir()
    reports = tmp_path / "reports"
    collections_path = f"{installed_collection}:{dependencies_only(tmp_path / 'dependencies')}"
    assert str(ROOT) not in collections_path and not str(work).startswith(str(ROOT))
    # The report folder through the callback's ini option, as the AWX project's ansible.cfg sets it.
    config = work / "ansible.cfg"
    config.write_text("[defaults]\ncallbacks_enabled = rpi.exchange.procedure_report\ninterpreter_python = auto_silent\n"
                      f"[rpi_exchange]\nreport_dir = {reports}\n", encoding="utf-8")
    env = dict(clean_env, ANSIBLE_CONFIG=str(config), ANSIBLE_COLLECTIONS_PATH=collections_path, ANSIBLE_SHOW_CUSTOM_STATS="1")

    listed = subprocess.run([str(tool("ansible-galaxy")), "collection", "list", "rpi.exchange", "--format", "json"], cwd=work, env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == {str(installed.parent.parent): {"rpi.exchange": {"version": version}}}

    simulator = launch.start("ws2022-bare", tmp_path / "simulator", inventory_dir=ROOT / "inventories" / "simulated")
    try:
        before = snapshot(simulator.host)
        done = subprocess.run([str(tool("ansible-playbook")), "rpi.exchange.install_exchange", "--check", "-i", str(simulator.inventory_path),
                               "-e", f"@{instruction(tmp_path / 'instruccion.yml')}"], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        after = snapshot(simulator.host)
    finally:
        simulator.stop()
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-3000:]
    assert differences(before, after) == []

    report = json.loads((reports / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["status"] == "check" and report["run"]["finalized"]
    # The playbook that ran is the installed one, not the checkout's.
    assert report["run"]["playbooks"] == [str(installed / "playbooks" / "install_exchange.yml")]

    summary = custom_stats(done.stdout)["rpi_exchange_report"]
    assert summary["status"] == "check" and summary["check_mode"] is True
    assert Path(summary["report_dir"]) == (reports / "latest").resolve()
    assert summary["hosts"][launch.INVENTORY_HOSTNAME]["mode"] == report["target"]["mode"] == "install"
