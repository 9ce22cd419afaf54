"""Refusals say the real problem (issue 16, item 5).

Two roles that can't share a server are refused as such, not as "an unknown role" (plugin_utils/_setup/options.py, the
exchange_facts action of activity 1, the exchange_setup_options action of activities 5 and 7); a hardware minimum that fails
names the setting that set it, the RPI's threshold variable or Microsoft's minimum with its source
(plugin_utils/_server/readiness.py, the prepare_server role's task).
"""

from __future__ import annotations

import copy
from pathlib import Path
from unittest.mock import MagicMock

import pytest
import yaml

from ansible_collections.rpi.exchange.plugins.action.exchange_facts import ActionModule as FactsAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import name_variables
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import (
    RoleRequest,
    choose_role,
    requested_roles,
    role_problem,
    select_role_options,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import Thresholds, blocking_failures, evaluate

ROOT = Path(__file__).resolve().parents[3]
SE = "15.2.2562.17"


# --- roles ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    ["Mailbox", "EdgeTransport"], ("EdgeTransport", "Mailbox"), "Mailbox,EdgeTransport", "mb, et", "Mailbox y Edge Transport",
    "Mailbox and EdgeTransport", "Mailbox + Edge", "['Mailbox', 'EdgeTransport']", ["Mailbox", "EdgeTransport", "ManagementTools"],
])
def test_mailbox_with_edge_transport_is_refused_as_two_roles_that_cannot_share_a_server(value):
    problem = role_problem(value)
    assert problem is not None and problem.code == "roles_incompatible"
    named = name_variables([problem], {"role": "rpi_exchange_role"})[0]
    message = named.message("es")
    assert message.startswith("rpi_exchange_role: Mailbox y EdgeTransport no se pueden instalar juntos en el mismo servidor")
    assert "no es un rol" not in message and "Elija uno en rpi_exchange_role" in message
    assert named.message("en").startswith("rpi_exchange_role: Mailbox and EdgeTransport can't be installed together on the same server")
    assert choose_role(value) is None


@pytest.mark.parametrize("value, role", [
    ("Mailbox", "Mailbox"), ("mb", "Mailbox"), (["EdgeTransport"], "EdgeTransport"), ("Mailbox, Mailbox", "Mailbox"),
    (" Edge Transport ", "EdgeTransport"), ("ManagementTools", "ManagementTools"),
])
def test_one_role_however_written_is_accepted(value, role):
    assert role_problem(value) is None and choose_role(value) == role


@pytest.mark.parametrize("value, code, words", [
    ("Mailbox, ManagementTools", "roles_redundant", "Mailbox ya instala las herramientas de administración"),
    (["EdgeTransport", "mt"], "roles_redundant", "EdgeTransport ya instala las herramientas de administración"),
    ("ClientAccess", "role_unknown", "'ClientAccess' no es un rol de Exchange."),
    (["Mailbox", "Hub"], "role_unknown", "'Hub' no es un rol de Exchange."),
    ("Hub, CAS", "role_unknown", "'Hub', 'CAS' no son roles de Exchange."),
    (None, "role_missing", "no indica ningún rol de Exchange"),
    ("", "role_missing", "no indica ningún rol de Exchange"),
    ([], "role_missing", "no indica ningún rol de Exchange"),
])
def test_every_other_refusal_says_its_own_problem(value, code, words):
    problem = role_problem(value)
    assert problem is not None and problem.code == code
    assert words.lower() in problem.message("es").lower()


def test_requested_roles_keeps_the_order_and_the_unknown_words():
    assert requested_roles("et, Mailbox, et, Foo") == (["EdgeTransport", "Mailbox"], ["Foo"])


def test_activities_5_and_7_refuse_the_pair_the_same_way():
    facts = {"os": {"build": 20348}, "volumes": [{"drive": "C", "file_system": "NTFS", "drive_type": "Fixed", "free_gb": 60.0}],
             "exchange": {"installed": False, "roles": []}}
    selection = select_role_options(RoleRequest(role=["Mailbox", "EdgeTransport"], mode="install", media_version=SE), facts,
                                    variable_names={"role": "rpi_exchange_role"})
    assert [problem.code for problem in selection.problems] == ["roles_incompatible"]
    assert selection.problems[0].message("es").startswith("rpi_exchange_role: Mailbox y EdgeTransport no se pueden instalar juntos")


def run_facts_action(args):
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = False
    task.action = "rpi.exchange.exchange_facts"
    connection = MagicMock()
    connection._shell.tmpdir = None
    action = FactsAction(task, connection, play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    action._execute_module = MagicMock(side_effect=AssertionError("the server must not be read"))
    return action.run(task_vars={})


@pytest.mark.parametrize("role", [["Mailbox", "EdgeTransport"], "Mailbox,EdgeTransport"])
def test_activity_1_refuses_the_pair_before_reading_the_server(role):
    result = run_facts_action({"role": role})
    assert result["failed"] is True and result["changed"] is False and result["role_problem"] == "roles_incompatible"
    assert result["msg"].startswith("rpi_exchange_role: Mailbox y EdgeTransport no se pueden instalar juntos en el mismo servidor")
    assert result["msg"].endswith("No se cambió nada en el servidor.")
    english = run_facts_action({"role": role, "language": "en"})
    assert english["msg"].startswith("rpi_exchange_role: Mailbox and EdgeTransport can't be installed together")


def test_activity_1_still_names_an_unknown_role():
    result = run_facts_action({"role": "ClientAccess"})
    assert result["role_problem"] == "role_unknown" and result["msg"].startswith("rpi_exchange_role: 'ClientAccess' no es un rol")


# --- hardware minimums ------------------------------------------------------------------------------------------------

FACTS = {
    "os": {"name": "Windows Server 2022", "build": 20348, "edition": "Standard"},
    "computer": {"domain": "rpi.gob.gt", "domain_joined": True, "is_domain_controller": False},
    "hardware": {"cores": 8, "memory_gb": 128.0},
    "page_file": {"automatic": False, "total_maximum_mb": 32768, "recommended_mb": 32768},
    "volumes": [{"drive": "C", "file_system": "NTFS", "free_gb": 150.0}],
    "network": {"static_ip": True},
}
PREPARE_SERVER_NAMES = {"media_version": "rpi_exchange_media", "target_dir": "rpi_exchange_target_dir",
                        "thresholds": "rpi_exchange_thresholds"}


def checks_of(hardware=None, volumes=None, **kwargs):
    facts = copy.deepcopy(FACTS)
    facts["hardware"].update(hardware or {})
    if volumes is not None:
        facts["volumes"] = volumes
    return {check.name: check for check in evaluate(facts, media_version=SE, **kwargs)}


def test_too_little_memory_names_the_rpi_threshold_that_set_the_minimum():
    check = checks_of({"memory_gb": 8.0}, variable_names=PREPARE_SERVER_NAMES)["memory"]
    assert not check.ok and check.blocking
    assert check.message_es.startswith("rpi_exchange_thresholds.min_memory_gb: Memoria: 8 GB (mínimo del RPI: 16 GB).")
    assert "Asigne más memoria a la máquina virtual" in check.message_es and "Encargado de TI" in check.message_es
    assert check.message_en.startswith("rpi_exchange_thresholds.min_memory_gb: Memory: 8 GB (RPI minimum: 16 GB).")


def test_too_few_cores_names_the_rpi_threshold_and_a_raised_minimum_too():
    check = checks_of({"cores": 8}, thresholds=Thresholds(min_cores=12), variable_names=PREPARE_SERVER_NAMES)["cores"]
    assert check.message_es.startswith("rpi_exchange_thresholds.min_cores: Núcleos de CPU: 8 (mínimo del RPI: 12).")


def test_without_variable_names_the_threshold_is_named_by_the_task_option():
    checks = checks_of({"memory_gb": 8.0, "cores": 2})
    assert checks["memory"].message_es.startswith("thresholds.min_memory_gb: ")
    assert checks["cores"].message_es.startswith("thresholds.min_cores: ")


def test_a_minimum_met_says_nothing_more():
    checks = checks_of(variable_names=PREPARE_SERVER_NAMES)
    assert checks["memory"].message_es == "Memoria: 128 GB (mínimo del RPI: 16 GB)."
    assert checks["install_drive_free"].message_es == "Espacio libre en C: 150 GB (se requieren 30 GB)."


def test_microsofts_disk_minimum_gives_its_source():
    check = checks_of(volumes=[{"drive": "C", "file_system": "NTFS", "free_gb": 12.0}], variable_names=PREPARE_SERVER_NAMES)[
        "install_drive_free"]
    assert not check.ok and check.blocking
    assert "(se requieren 30 GB). Es el mínimo de Microsoft (fuente: Microsoft Learn, Exchange Server documentation" in check.message_es
    assert "[S1])" in check.message_es and "It is Microsoft's minimum (source: Microsoft Learn" in check.message_en


def test_microsofts_recommended_memory_gives_its_source():
    check = checks_of({"memory_gb": 64.0})["memory_recommended"]
    assert not check.ok and not check.blocking
    assert "mínimo recomendado de Microsoft, fuente: Microsoft Learn, Exchange Server documentation" in check.message_es


def test_activity_2_refuses_in_spanish_naming_the_threshold():
    failures = blocking_failures(list(checks_of({"memory_gb": 8.0}, variable_names=PREPARE_SERVER_NAMES).values()))
    assert [check.name for check in failures] == ["memory"]


def test_the_prepare_server_role_names_its_thresholds_variable():
    tasks = yaml.safe_load((ROOT / "roles" / "prepare_server" / "tasks" / "main.yml").read_text(encoding="utf-8"))
    readiness = next(task for task in tasks if "rpi.exchange.server_readiness" in task)
    arguments = readiness["rpi.exchange.server_readiness"]
    assert "rpi_exchange_thresholds" in arguments["thresholds"]
    assert arguments["variable_names"]["thresholds"] == "rpi_exchange_thresholds"
