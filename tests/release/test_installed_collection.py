"""The released collection, installed the way a user installs it, runs the procedure.

The tarball is built with `ansible-galaxy collection build` and installed with `ansible-galaxy collection install
--no-deps` into an empty directory (Galaxy is unreachable from our machines: ansible.windows and community.windows
come from the virtual environment, the only thing taken from it). Then, from a directory outside the checkout and
with an ansible.cfg of its own (so nothing of the checkout's configuration or of its link in .venv/collections is
used), `ansible-playbook rpi.exchange.install_exchange --check` runs against a simulated RPI server.

Then the way the guides tell the RPI's people to work: a working folder made by `rpi.exchange.new_workspace`, the
technician's rehearsal and run, and the IT Head's review, each command taken from the guides' marked steps and run as
text against a simulated server.
"""

from __future__ import annotations

import json
import os
import re
import shutil
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


# --- a working folder, and the guides' commands as written (issue 18, item 4; issue 20, item 9) -------------------------

# The guides mark the commands a person copies and pastes, in order, with the fence's info string `bash guia-paso`. They
# are run as text; only the documented placeholders are replaced: the working folder and the example run id.
GUIDE_STEP = re.compile(r"^```bash guia-paso\n(.*?)^```$", re.MULTILINE | re.DOTALL)
WORKSPACE_PLACEHOLDER = "/srv/rpi-exchange/trabajo"
RUN_ID_PLACEHOLDER = "20261127T160000Z-3fa9c1"


def guide_steps(document: str) -> list[str]:
    return [step.strip() for step in GUIDE_STEP.findall((ROOT / "docs" / document).read_text(encoding="utf-8"))]


def test_the_guides_mark_their_steps():
    technician, it_head = guide_steps("guia-tecnico.md"), guide_steps("guia-encargado-ti.md")
    assert len(technician) == 3 and "rpi.exchange.new_workspace" in technician[0]
    assert all(WORKSPACE_PLACEHOLDER in step for step in technician + it_head)
    assert len(it_head) == 4 and all(step.startswith(f"cd {WORKSPACE_PLACEHOLDER} && ./revisar.sh") for step in it_head)
    # No flag left to guess: no inventory, no vault for the IT Head.
    assert not any(flag in step for step in it_head for flag in (" -i ", "--ask-vault-pass", "--vault"))


@pytest.mark.e2e
def test_a_working_folder_runs_install_then_review_as_the_guides_write_it(tmp_path: Path, installed_collection: Path, clean_env):
    installed = installed_collection / "ansible_collections" / "rpi" / "exchange"
    workspace = tmp_path / "trabajo"
    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    # No ANSIBLE_CONFIG: from the working folder, its own ansible.cfg is the one in use, as for the technician.
    env = dict(clean_env, ANSIBLE_COLLECTIONS_PATH=f"{installed_collection}:{dependencies_only(tmp_path / 'dependencies')}")
    run_id = RUN_ID_PLACEHOLDER

    def run(step: str) -> subprocess.CompletedProcess:
        text = step.replace(WORKSPACE_PLACEHOLDER, str(workspace)).replace(RUN_ID_PLACEHOLDER, run_id)
        # --ask-vault-pass reads the password from standard input when there is no terminal; nothing here is vaulted.
        done = subprocess.run(["bash", "-e", "-c", text], cwd=elsewhere, env=env, input="not-used\n", capture_output=True, text=True,
                              timeout=900, check=False, start_new_session=True)
        assert done.returncode == 0, f"{text}\n{done.stdout[-6000:]}{done.stderr[-3000:]}"
        return done

    new_workspace, *technician_runs = guide_steps("guia-tecnico.md")
    run(new_workspace)
    config = (workspace / "ansible.cfg").read_text(encoding="utf-8")
    assert "callbacks_enabled = rpi.exchange.procedure_report" in config and "report_dir = informes" in config
    assert (workspace / "inventario" / "group_vars" / "rpi_exchange_servers" / "exchange.yml").is_file()
    assert os.access(workspace / "revisar.sh", os.X_OK) and (workspace / "instruccion.yml").is_file() and (workspace / "revision.yml").is_file()

    # What the technician does by hand between the guide's commands: the inventory completed (here, the simulated
    # server's, in place of the production template) and the instruction written.
    shutil.rmtree(workspace / "inventario")
    simulator = launch.start("ws2022-bare", tmp_path / "simulator", inventory_path=workspace / "inventario" / "hosts.yml",
                             inventory_dir=ROOT / "inventories" / "simulated")
    instruction(workspace / "instruccion.yml")
    try:
        outputs = [run(step) for step in technician_runs]
    finally:
        simulator.stop()
    reports = workspace / "informes"
    runs = sorted(path for path in reports.iterdir() if not path.is_symlink())
    assert len(runs) == 2, "a rehearsal and the real run, each with its report in the working folder"
    real = json.loads((reports / "latest" / "report.json").read_text(encoding="utf-8"))
    assert real["run"]["status"] == "succeeded", outputs[-1].stdout[-3000:]
    assert real["run"]["playbooks"] == [str(installed / "playbooks" / "install_exchange.yml")]
    assert real["run"]["technician"]["position"] == "Técnico de Operaciones y Seguridad Informática"
    assert not (installed / "reports").exists(), "never inside the installed collection"

    # The IT Head's four steps, with the real run's id in place of the example.
    run_id = real["run"]["id"]
    listing, review, decision, later = (run(step) for step in guide_steps("guia-encargado-ti.md"))
    assert run_id in listing.stdout and "ENSAYO" in listing.stdout, listing.stdout[-3000:]
    assert f"{reports / run_id}/report.html" in review.stdout
    assert "ok=" in decision.stdout
    validated = json.loads((reports / run_id / "report.json").read_text(encoding="utf-8"))["validation"]
    assert validated["decision"] == "validated" and validated["name"] == "Ing. María López"
    assert "valid" in later.stdout
