"""No run without its report (norm 5.2; issue 18, item 4), with a real ansible-playbook.

Activity 1 refuses to start unless the report callback writes this run's report: the callback publishes a marker (the id
of the ansible-playbook process that writes the report) that the forked workers see. Three runs of the real
install_exchange.yml, no simulated server needed: the refusal comes before the first byte is sent, and with the report
enabled activity 1's instruction check passes and the run stops later, at the (absent) server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLAYBOOK = ROOT / "playbooks" / "install_exchange.yml"
# The simulated inventory's options without a server: nothing listens on port 9, and nothing must be sent before the refusal.
INVENTORY = ("rpi_exchange_servers:\n  hosts:\n    rpi-exch01:\n      ansible_host: 127.0.0.1\n      ansible_port: 9\n"
             "      ansible_connection: winrm\n      ansible_user: tecnico\n      ansible_password: not-used\n"
             "      ansible_winrm_transport: ntlm\n      ansible_winrm_scheme: https\n")


def _inventory(tmp_path: Path) -> Path:
    folder = tmp_path / "inventory"
    (folder / "group_vars").mkdir(parents=True)
    (folder / "hosts.yml").write_text(INVENTORY, encoding="utf-8")
    (folder / "group_vars" / "rpi_exchange_servers.yml").write_text(
        (ROOT / "inventories" / "simulated" / "group_vars" / "rpi_exchange_servers.yml").read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.mark.parametrize("setting", ["not_enabled", "disabled"])
def test_a_run_without_its_report_is_refused_in_activity_1_saying_how_to_enable_it(
        setting, tmp_path, ansible_playbook, instruction_file):
    env = {"RPI_EXCHANGE_REPORT_ENABLED": "false"}
    if setting == "not_enabled":
        # As an installed collection run without the checkout's ansible.cfg: no callbacks_enabled.
        config = tmp_path / "ansible.cfg"
        config.write_text(f"[defaults]\ncollections_path = {Path(sys.prefix) / 'collections'}\ninterpreter_python = auto_silent\n",
                          encoding="utf-8")
        env = {"ANSIBLE_CONFIG": str(config)}
    run = ansible_playbook(PLAYBOOK, _inventory(tmp_path), "-e", f"@{instruction_file}", env=env)
    assert run.rc != 0
    assert "ninguna ejecución sin su informe (norma 5.2)" in run.output, run.output
    assert "No se cambia nada en el servidor" in run.output
    if setting == "not_enabled":
        assert "callbacks_enabled = rpi.exchange.procedure_report" in run.output and "rpi.exchange.new_workspace" in run.output
    else:
        assert "RPI_EXCHANGE_REPORT_ENABLED" in run.output
    assert "Refuse an insecure connection" not in run.output, "nothing after activity 1's first check ran"
    assert not (run.report_dir / "latest").exists()


def test_with_its_report_activity_1_goes_on_and_names_the_technician(tmp_path, ansible_playbook, instruction_file):
    run = ansible_playbook(PLAYBOOK, _inventory(tmp_path), "-e", f"@{instruction_file}")
    assert "ninguna ejecución sin su informe" not in run.output, run.output
    report = run.latest_report()
    assert report is not None, run.output
    assert report["run"]["technician"]["name"] == "Ing. Juan Pérez"
    assert report["run"]["technician"]["position"] == "Técnico de Operaciones y Seguridad Informática"
    assert report["run"]["controller"]["user"], "the controller's login stays as a technical detail"
    activity = next(item for item in report["activities"] if item["number"] == 1)
    evidence = [item for item in activity["evidence"] if item["kind"] == "instruction"]
    assert evidence and evidence[0]["level"] == "ok", activity


@pytest.mark.parametrize("section", ["", "[rpi_exchange]\nreport_dir = informes\n"], ids=["default", "report_dir"])
def test_the_review_finds_the_reports_where_the_report_callback_writes_them(section, tmp_path, ansible_playbook):
    """The review's reports folder follows the callback's setting, relative to the ansible.cfg in use (issue 18, item 4)."""
    config = tmp_path / "ansible.cfg"
    config.write_text(f"[defaults]\ncollections_path = {Path(sys.prefix) / 'collections'}\n{section}", encoding="utf-8")
    run = ansible_playbook(ROOT / "playbooks" / "review_installation.yml", "localhost,", "-e",
                           '{"rpi_exchange_review": {"list_only": true}}',
                           env={"ANSIBLE_CONFIG": str(config), "RPI_EXCHANGE_REPORT_DIR": ""})
    assert run.rc == 0, run.output
    assert f"No hay ejecuciones en {tmp_path / ('informes' if section else 'reports')}." in run.output, run.output
