# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Licence acceptance (plugins/plugin_utils/_setup/licence.py, plugins/action/exchange_license.py) and its record in
activity 8 (plugins/action/exchange_setup.py refuses setup without it).

The last tests run the two controller-side actions through `ansible-playbook`, once on
localhost and once in a play that targets a Windows host over WinRM that is not there:
neither action may contact the host.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest.mock import MagicMock

import pytest

from ansible_collections.rpi.exchange.plugins.action.exchange_license import ActionModule
from ansible_collections.rpi.exchange.plugins.action.exchange_setup import ActionModule as SetupAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import (
    accepted_switch,
    check_license,
    license_evidence,
    normalize_diagnostic_data,
)

CU10, CU15, SE = "15.2.922.7", "15.2.1748.10", "15.2.2562.17"
DIGEST = "A" * 64
NOW = datetime(2026, 11, 27, 9, 30, 5, tzinfo=timezone(timedelta(hours=-6)))  # Guatemala, UTC-6
VARIABLES = {"accept": "rpi_exchange_license_accept", "diagnostic_data": "rpi_exchange_license_diagnostic_data"}


def check(**changes):
    args = {"accept": True, "diagnostic_data": "OFF", "media_version": CU15, "accepted_by": "jperez", "license_sha256": DIGEST,
            "variable_names": VARIABLES, "now": NOW}
    args.update(changes)
    return check_license(**args)


def codes(problems):
    return [(problem.option, problem.code) for problem in problems]


def test_accepted_record():
    acceptance, problems = check()
    assert problems == ()
    assert acceptance.record() == {
        "accepted": True, "accepted_by": "jperez", "accepted_at": "2026-11-27T15:30:05Z", "license_sha256": "a" * 64, "media_version": CU15,
        "diagnostic_data": "OFF", "switch": "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"}
    assert check(diagnostic_data="on")[0].switch == "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
    assert check(media_version="15.02.2562.017")[0].media_version == SE


def test_legacy_media_records_the_choice_it_cannot_pass():
    acceptance = check(media_version=CU10, diagnostic_data="ON")[0]
    assert acceptance.switch == "/IAcceptExchangeServerLicenseTerms" and not acceptance.diagnostic_choice_in_switch
    evidence = license_evidence(acceptance)["evidence"][0]
    assert "anterior a CU11" in evidence["summary_es"] and evidence["details"]["diagnostic_data"] == "ON"


@pytest.mark.parametrize("value, expected", [
    ("ON", "ON"), ("off", "OFF"), (" Off ", "OFF"), (True, "ON"), (False, "OFF"), (None, None), ("", None), ("yes", None), (1, None),
])
def test_diagnostic_data_choice(value, expected):
    assert normalize_diagnostic_data(value) == expected


@pytest.mark.parametrize("accept, code", [(None, "license_not_accepted"), (False, "license_not_accepted"),
                                          ("quizás", "license_accept_not_boolean"), ("true", "license_accept_not_boolean")])
def test_without_accept_true_the_licence_is_refused(accept, code):
    acceptance, problems = check(accept=accept)
    assert acceptance is None and codes(problems) == [("accept", code)]
    message = problems[0].message()
    assert message.startswith("rpi_exchange_license_accept: ")
    assert "Defina rpi_exchange_license_accept: true en el inventario" in message
    assert "Set rpi_exchange_license_accept: true in the inventory" in problems[0].message("en")


def test_diagnostic_choice_has_no_default():
    problems = check(diagnostic_data=None)[1]
    assert codes(problems) == [("diagnostic_data", "diagnostic_data_missing")]
    assert 'rpi_exchange_license_diagnostic_data: "OFF"' in problems[0].message()
    assert codes(check(diagnostic_data="maybe")[1]) == [("diagnostic_data", "diagnostic_data_invalid")]


def test_every_problem_is_collected_and_named():
    acceptance, problems = check_license(accept=False, diagnostic_data=None, media_version="15.1.2507.6", accepted_by=" ",
                                         license_sha256="abc")
    assert acceptance is None
    assert codes(problems) == [("accept", "license_not_accepted"), ("diagnostic_data", "diagnostic_data_missing"),
                               ("media_version", "media_not_supported"), ("license_sha256", "license_sha256_invalid"),
                               ("accepted_by", "accepted_by_missing")]
    assert problems[0].message().startswith("accept: El valor es false. Defina accept: true")
    assert codes(check(media_version="CU15")[1]) == [("media_version", "media_version_invalid")]
    assert codes(check(media_version=None)[1]) == [("media_version", "media_version_missing")]
    assert check(license_sha256=None)[0].license_sha256 is None


def test_refusal_evidence():
    problems = check(accept=False)[1]
    evidence = license_evidence(None, problems)["evidence"][0]
    assert evidence["kind"] == "check" and evidence["details"]["status"] == "refused" and evidence["level"] == "error"
    assert license_evidence(check()[0])["evidence"][0]["level"] == "ok"
    assert evidence["summary_es"].startswith("Licencia de Microsoft Exchange no aceptada: rpi_exchange_license_accept:")
    assert evidence["details"]["problems"][0]["code"] == "license_not_accepted"


# --- the action plugin -------------------------------------------------------------------------------------------------


def run_action(args, check_mode=False):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "rpi.exchange.exchange_license"
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = ActionModule(task, connection, play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    result = action.run(task_vars={})
    connection.exec_command.assert_not_called()
    return result


@pytest.mark.parametrize("check_mode", [False, True])
def test_action_accepts_and_records(check_mode):
    result = run_action({"accept": "yes", "diagnostic_data": False, "media_version": SE, "license_sha256": DIGEST,
                         "accepted_by": "Técnico de Operaciones"}, check_mode=check_mode)
    assert not result.get("failed") and result["changed"] is False
    assert result["switch"] == "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
    assert result["record"]["accepted_by"] == "Técnico de Operaciones"
    assert result["record"]["accepted_at"].endswith("Z")
    assert result["rpi_report"]["evidence"][0]["kind"] == "check"
    assert result["msg"].startswith("Licencia de Microsoft Exchange aceptada por Técnico de Operaciones")


def test_action_defaults_to_the_controller_user(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "tecnico1")
    result = run_action({"accept": True, "diagnostic_data": "ON", "media_version": CU15})
    assert result["record"]["accepted_by"] == "tecnico1" and result["record"]["license_sha256"] is None


def test_action_refuses_in_spanish_naming_the_variable():
    result = run_action({"media_version": CU15, "variable_names": VARIABLES})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Licencia no aceptada (2):\n- rpi_exchange_license_accept: Falta la aceptación explícita. "
                                    "Defina rpi_exchange_license_accept: true en el inventario")
    assert "- rpi_exchange_license_diagnostic_data: Falta la elección de datos de diagnóstico." in result["msg"]
    assert [problem["code"] for problem in result["problems"]] == ["license_not_accepted", "diagnostic_data_missing"]
    english = run_action({"accept": False, "diagnostic_data": "OFF", "media_version": CU15, "language": "en"})
    assert english["msg"] == ("Licence not accepted: accept: The value is false. Set accept: true in the inventory after reading the "
                              "Microsoft Exchange licence terms on the installation media, if the RPI accepts them (activity 6 of "
                              "manual ME-VAR-RPI-MNP-15).")


# --- activity 8 takes the record whole -----------------------------------------------------------------------------------


def test_the_record_gives_activity_8_its_switch_as_it_is():
    record = check()[0].record()
    assert accepted_switch(record, CU15) == ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", ())
    assert accepted_switch(record, "15.02.1748.010", DIGEST.lower()) == ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", ())
    legacy = check(media_version=CU10, diagnostic_data="ON")[0].record()
    assert accepted_switch(legacy, CU10) == ("/IAcceptExchangeServerLicenseTerms", ())


@pytest.mark.parametrize("record, code", [
    # No record: a diagnostic-data choice alone is no acceptance (it once made the licence switch by itself).
    (None, "license_record_missing"),
    ({}, "license_record_missing"),
    ({"diagnostic_data": "OFF"}, "license_record_not_accepted"),
    ("/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF", "license_record_missing"),
    ({"accepted": "yes", "media_version": CU15, "diagnostic_data": "OFF",
      "switch": "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"}, "license_record_not_accepted"),
])
def test_setup_without_an_acceptance_record_is_refused(record, code):
    switch, problems = accepted_switch(record, CU15)
    assert switch is None and [problem.code for problem in problems] == [code]
    assert problems[0].message("es").startswith("license_record: ") and "actividad 6" in problems[0].message("es")


def test_a_record_for_other_media_or_another_licence_text_is_refused():
    record = check()[0].record()
    switch, problems = accepted_switch(record, SE)
    assert switch is None and codes(problems) == [("license_record", "license_record_other_media")]
    assert f"La licencia se aceptó para el medio {CU15}, no para {SE}." in problems[0].message("es")
    assert codes(accepted_switch(record, CU15, "b" * 64)[1]) == [("license_record", "license_record_other_text")]
    # A media whose licence text was not found cannot be compared: the version decides.
    assert accepted_switch(dict(record, license_sha256=None), CU15, "b" * 64)[1] == ()


@pytest.mark.parametrize("changes", [
    {"switch": "/IAcceptExchangeServerLicenseTerms_DiagnosticDataON"},  # contradicts the record's choice
    {"switch": "/Mode:Install"},
    {"switch": None},
    {"diagnostic_data": None},
])
def test_a_record_that_contradicts_itself_is_refused(changes):
    record = dict(check()[0].record(), **changes)
    assert codes(accepted_switch(record, CU15)[1]) == [("license_record", "license_record_switch")]


# --- through ansible-playbook ------------------------------------------------------------------------------------------

PLAYBOOK = """
- name: Activities 5 to 7 on the controller, for a host reached over {connection}
  hosts: target
  gather_facts: false
  tasks:
    - name: Accept the licence
      rpi.exchange.exchange_license:
        accept: "{{{{ rpi_exchange_license_accept }}}}"
        diagnostic_data: OFF
        media_version: "{cu15}"
        accepted_by: jperez
      register: license

    - name: Choose role and options
      rpi.exchange.exchange_setup_options:
        media_version: "{cu15}"
        target_dir: E:\\Exchange Server\\V15
        server_facts: {facts}
      register: roles

    - name: Refuse a licence that is not accepted
      rpi.exchange.exchange_license:
        accept: false
        diagnostic_data: "OFF"
        media_version: "{cu15}"
        variable_names: {{accept: rpi_exchange_license_accept}}
      register: refused
      ignore_errors: true

    - name: Check what came back
      ansible.builtin.assert:
        that:
          - license.switch == '/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF'
          - license.record.diagnostic_data == 'OFF'
          - license is not changed
          - roles.switches == ['/Roles:Mailbox', '/TargetDir:"E:\\\\Exchange Server\\\\V15"']
          - refused is failed
          - refused.msg is search('rpi_exchange_license_accept. true')
"""


def _inventory(connection: str) -> str:
    if connection == "local":
        return "target:\n  hosts:\n    rpi-exch01:\n      ansible_connection: local\n      ansible_python_interpreter: " \
               f"{sys.executable}\n      rpi_exchange_license_accept: true\n"
    # A Windows host over WinRM on a port where nothing listens: any connection attempt fails the play.
    return ("target:\n  hosts:\n    rpi-exch01:\n      ansible_host: 127.0.0.1\n      ansible_port: 9\n"
            "      ansible_connection: winrm\n      ansible_user: RPI\\\\tecnico\n      ansible_password: not-used\n"
            "      ansible_winrm_transport: ntlm\n      ansible_winrm_scheme: http\n      rpi_exchange_license_accept: true\n")


@pytest.mark.parametrize("connection", ["local", "winrm"])
def test_playbook_runs_on_the_controller(tmp_path: Path, repo_root: Path, connection: str):
    facts = {"volumes": [{"drive": "E", "file_system": "NTFS", "drive_type": "Fixed", "free_gb": 100.0}], "exchange": {}}
    (tmp_path / "play.yml").write_text(PLAYBOOK.format(connection=connection, cu15=CU15, facts=json.dumps(facts)), encoding="utf-8")
    (tmp_path / "hosts.yml").write_text(_inventory(connection), encoding="utf-8")
    # The procedure report callback is not under test here: only a stdout callback, which is skipped, is "enabled".
    env = dict(os.environ, ANSIBLE_CONFIG=str(repo_root / "ansible.cfg"), ANSIBLE_CALLBACKS_ENABLED="ansible.builtin.minimal", ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"), ANSIBLE_HOME=str(tmp_path / "home"))
    ansible_playbook = Path(sys.executable).parent / "ansible-playbook"
    run = subprocess.run([str(ansible_playbook), "-i", str(tmp_path / "hosts.yml"), str(tmp_path / "play.yml")], env=env,
                         cwd=str(repo_root), capture_output=True, text=True, timeout=300, check=False)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "unreachable=0" in output and "failed=0" in output and "ignored=1" in output, output
    assert "Licencia no aceptada: rpi_exchange_license_accept: El valor es false." in output


# --- activity 8 refuses setup without activity 6's record ---------------------------------------------------------------

SETUP_ARGS = {"setup_path": "E:\\Setup.exe", "media_version": CU15, "run_as_user": "RPI\\svc-exchange", "run_as_password": "x"}
OPTIONS = {"role": "Mailbox", "mode": "Install", "switch_values": [], "problems": []}


def run_setup_action(args):
    """exchange_setup with `args`; it must refuse before contacting the server (any module call fails the test)."""
    task = MagicMock()
    task.args = dict(SETUP_ARGS, **args)
    task.async_val = 0
    task.check_mode = True
    task.action = "rpi.exchange.exchange_setup"
    action = SetupAction(task, MagicMock(), play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = MagicMock(side_effect=AssertionError("the server was contacted"))  # pylint: disable=protected-access
    return action.run(task_vars={})


def test_a_diagnostic_data_choice_alone_is_no_licence_acceptance():
    # Before 0.2 `diagnostic_data: OFF` alone put /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF on the command line.
    result = run_setup_action({"diagnostic_data": "OFF"})
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("Opciones retiradas: diagnostic_data. La licencia se acepta solo con el registro de la actividad 6")
    assert "IAccept" not in json.dumps(result)


def test_setup_without_a_record_is_refused_in_spanish_naming_activity_6():
    result = run_setup_action({"setup_options": OPTIONS})
    assert result["failed"] is True and [problem["code"] for problem in result["problems"]] == ["license_record_missing"]
    assert result["msg"].startswith("No se inicia la instalación: license_record: Falta el registro de aceptación de la licencia "
                                    "de la actividad 6.")
    english = run_setup_action({"license_record": {"diagnostic_data": "OFF"}, "language": "en"})
    assert [problem["code"] for problem in english["problems"]] == ["license_record_not_accepted", "setup_options_missing"]
    assert english["msg"].startswith("Setup is not started (2):\n- license_record: The record does not say the licence was accepted")


def test_setup_with_a_record_for_other_media_is_refused():
    record = check(media_version=SE)[0].record()
    result = run_setup_action({"license_record": record, "setup_options": OPTIONS})
    assert [problem["code"] for problem in result["problems"]] == ["license_record_other_media"]
    assert f"La licencia se aceptó para el medio {SE}, no para {CU15}." in result["msg"]
