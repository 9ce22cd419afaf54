# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every input of the whole run, checked before anything changes (plugins/plugin_utils/_preflight/run_inputs.py, issue 16 item 2).

The walk: every variable the roles declare (and the suboptions they declare), each given as null, as a value of the
wrong type and as an empty text, alone on an otherwise valid inventory: each is refused by activity 2's check, in
Spanish, naming the variable, and nothing else is refused.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from unittest.mock import MagicMock

import pytest
import yaml
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template

from ansible_collections.rpi.exchange.plugins.action.run_inputs import ActionModule
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import run_inputs
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import (
    EMPTY,
    INSTALL_RUN,
    MISSING,
    NULL,
    UNKNOWN_KEY,
    WRONG_TYPE,
    Declaration,
    DeclarationError,
    check_declared,
    check_run_inputs,
    declarations,
    load_declarations,
    run_inputs_evidence,
    setup_certain,
)

ROOT = Path(__file__).resolve().parents[4]
SETUP_USER, SETUP_PASSWORD = "RPI\\svc-exchange", "Contrasena-De-Prueba-9"


def _inventory() -> dict:
    """The simulated RPI inventory (inventories/simulated), with what the simulator and the instruction add."""
    values: dict = {}
    for path in ("group_vars/rpi_exchange_servers.yml", "host_vars/rpi-exch01.yml"):
        values.update(yaml.safe_load((ROOT / "inventories" / "simulated" / path).read_text(encoding="utf-8")))
    values.update(rpi_exchange_setup_user=SETUP_USER, rpi_exchange_setup_password=SETUP_PASSWORD,
                  rpi_exchange_instruction={"instructed_by": "Ing. María López", "reference": "MEMO-DTI-2026-041",
                                            "planned_date": "2026-12-05"},
                  rpi_exchange_review={"name": "Ing. María López", "decision": "validated", "comment": "Conforme"})
    return values


INVENTORY = _inventory()
FRESH = {  # activity 1's facts of a server without Exchange
    "exchange": {"installed": False, "present": False, "version": None, "roles": [], "interrupted": {}, "setup_task": {"exists": False}},
    "environment": {"program_files": "C:\\Program Files", "system_drive": "C:"},
    "volumes": [{"drive": "C", "file_system": "NTFS", "drive_type": "Fixed", "size_gb": 200.0, "free_gb": 120.0},
                {"drive": "E", "file_system": "NTFS", "drive_type": "Fixed", "size_gb": 40.0, "free_gb": 12.0}],
}
INSTALLED = dict(FRESH, exchange={"installed": True, "present": True, "version": "15.2.1748.10", "roles": ["Mailbox"],
                                  "interrupted": {}, "setup_task": {"exists": False}})
# Words only one of the two languages uses (as tests/molecule's table counts them).
SPANISH_WORDS = frozenset("el la los las del que se una un es para con por debe está vacío falta escriba use lo usa usan valor "
                          "texto número quite línea omisión indique".split())
ENGLISH_WORDS = frozenset("the is was of and with must should not value be to are this write use empty missing".split())


def is_spanish(text: str) -> bool:
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    spanish, english = sum(word in SPANISH_WORDS for word in words), sum(word in ENGLISH_WORDS for word in words)
    return spanish >= 3 and english * 3 <= spanish


def run_of(declaration: Declaration) -> tuple[int, ...]:
    """The run that uses `declaration`: the installation (activities 1 to 11), or the IT Head's review (12) alone."""
    return INSTALL_RUN if set(declaration.activities) & set(INSTALL_RUN) else (12,)


def walk() -> list[tuple[str, Declaration]]:
    """Every declared variable, and every suboption a role declares (`rpi_exchange_media.iso`)."""
    found = []
    for name, declaration in declarations().items():
        found.append((name, declaration))
        found += [(option.name, option) for option in declaration.options]
    return found


WRONG = {"str": ["una", "lista"], "path": ["una", "lista"], "bool": "quizás", "int": "diez", "float": "doce", "dict": "texto",
         "list": "texto"}
BAD = {"null": (None, NULL), "wrong_type": (None, WRONG_TYPE), "empty": ("", EMPTY)}


# Optional dictionaries the simulated inventory leaves out: a valid value, so that each suboption can be walked.
SAMPLES = {"rpi_exchange_security_update": {"path": "\\\\rpi-fs01\\instaladores\\Exchange\\ExchangeSE-KB5121573-x64-en.exe",
                                            "sha256": "E" * 64}}


def given(name: str, value: object) -> dict:
    values = copy.deepcopy(INVENTORY)
    parent, _dot, key = name.partition(".")
    if key:
        values.setdefault(parent, copy.deepcopy(SAMPLES.get(parent, {})))
        values[parent][key] = value
    else:
        values[name] = value
    return values


# --- the declarations ------------------------------------------------------------------------------------------------

def test_every_role_of_the_manual_declares_its_variables_once_and_consistently():
    found = declarations()
    activities = {activity for declaration in found.values() for activity in declaration.activities}
    assert activities == set(range(1, 13)), "every activity's role has argument specs with 'Activity <n>:'"
    assert len(found) >= 40
    # Declared by several roles, one declaration: the same type, choices and default everywhere.
    assert found["rpi_exchange_role"].activities == (1, 2, 3, 5, 7, 9, 10, 12)  # activity 8 takes activity 7's result whole
    assert found["rpi_exchange_setup_user"].required_by == (8, 9, 10)
    assert found["rpi_exchange_diagnostic_data"].choices == ("ON", "OFF")
    assert [option.name for option in found["rpi_exchange_media"].options] == ["rpi_exchange_media.iso", "rpi_exchange_media.sha256"]


def test_the_roles_own_tunables_are_declared_with_their_defaults():
    found = declarations()
    for role in ("instruct_installation", "prepare_server", "run_setup_program", "start_installation", "await_installation",
                 "verify_installation"):
        defaults = yaml.safe_load((ROOT / "roles" / role / "defaults" / "main.yml").read_text(encoding="utf-8")) or {}
        for name, value in defaults.items():
            assert name in found, f"{role}: {name} is read but not declared in meta/argument_specs.yml"
            assert found[name].default == value, name


def test_two_roles_declaring_one_variable_differently_is_an_error(tmp_path):
    for role, activity, kind in (("one", 3, "int"), ("two", 4, "str")):
        meta = tmp_path / role / "meta"
        meta.mkdir(parents=True)
        (meta / "argument_specs.yml").write_text(yaml.safe_dump({"argument_specs": {"main": {
            "short_description": f"Activity {activity}: x", "options": {"rpi_exchange_x": {"type": kind}}}}}), encoding="utf-8")
    with pytest.raises(DeclarationError, match="rpi_exchange_x: roles one, two declare a different type"):
        load_declarations(tmp_path)


def test_a_role_without_its_activity_in_the_title_is_an_error(tmp_path):
    meta = tmp_path / "odd" / "meta"
    meta.mkdir(parents=True)
    (meta / "argument_specs.yml").write_text("argument_specs: {main: {short_description: Something, options: {}}}\n", encoding="utf-8")
    with pytest.raises(DeclarationError, match="odd: .*Activity <n>:"):
        load_declarations(tmp_path)


# --- the walk: every variable x (null, wrong type, empty) ------------------------------------------------------------

def test_the_simulated_inventory_is_valid_on_a_new_server_and_on_an_installed_one():
    for facts in (FRESH, INSTALLED):
        outcome = check_run_inputs(INVENTORY, facts=facts)
        assert outcome.ok, outcome.message()
    assert check_run_inputs(INVENTORY, facts=FRESH).setup_certain and not check_run_inputs(INVENTORY, facts=INSTALLED).setup_certain
    assert check_run_inputs(INVENTORY, activities=(12,)).ok


WALK = walk()


@pytest.mark.parametrize("bad", sorted(BAD))
@pytest.mark.parametrize("name, declaration", WALK, ids=[name for name, _declaration in WALK])
def test_every_declared_variable_given_null_the_wrong_type_or_empty_is_refused_in_spanish_naming_it(name, declaration, bad):
    value, code = BAD[bad]
    if bad == "wrong_type":
        value = WRONG[declaration.type]
    outcome = check_run_inputs(given(name, value), facts=FRESH, activities=run_of(declaration))
    assert not outcome.ok, f"{name} = {value!r} was accepted"
    problem = next((item for item in outcome.problems if item.name == name), None)
    assert problem is not None, [item.name for item in outcome.problems]
    assert problem.code == code, problem
    # Only that variable is refused, and the message starts with its name, in Spanish (English on request).
    assert [item.name for item in outcome.problems] == [name], outcome.message()
    message = outcome.message()
    assert f"- {name}: " in message or f": {name}: " in message, message
    assert is_spanish(problem.message("es")), problem.message("es")
    assert problem.message("en").startswith(f"{name}: ") and not is_spanish(problem.message("en"))
    assert SETUP_PASSWORD not in message  # nor any secret's value


def test_the_walk_covers_every_declared_variable_and_suboption():
    names = {name for name, _declaration in WALK}
    assert names == set(declarations()) | {option.name for item in declarations().values() for option in item.options}
    assert len(WALK) * len(BAD) >= 126


# --- the declared checks in detail -----------------------------------------------------------------------------------

def test_a_null_is_never_taken_as_not_given():
    outcome = check_run_inputs(given("rpi_exchange_organization_name", None), facts=FRESH)
    assert [(item.name, item.code) for item in outcome.problems] == [("rpi_exchange_organization_name", NULL)]
    message = outcome.message()
    assert message == (
        "Datos de la ejecución no válidos; no se instaló ni se cambió nada en el servidor: rpi_exchange_organization_name: "
        "Está vacío: null o ~ en YAML (actividad 7). Escriba un texto. El primer servidor Exchange de la organización "
        "(rpi_exchange_first_server: true) se instala con su nombre; si la organización ya existe, defina "
        "rpi_exchange_first_server: false.\n"  # a first Mailbox server needs it: not "remove the line"
        "Un valor vacío (null, ~ o nada después de los dos puntos) no equivale a «no indicado». Corríjalos en el inventario "
        "(group_vars o host_vars) o en -e y vuelva a ejecutar la instalación.")


def test_a_null_with_a_default_says_how_to_take_the_default():
    outcome = check_run_inputs(given("rpi_exchange_reboot_timeout", None), facts=FRESH)
    assert outcome.problems[0].message("es") == (
        "rpi_exchange_reboot_timeout: Está vacío: null o ~ en YAML (actividad 9). Escriba un número entero, o quite la línea "
        "para usar el valor por omisión (3600).")
    assert outcome.problems[0].message("en") == (
        "rpi_exchange_reboot_timeout: Is empty: null or ~ in YAML (activity 9). Write a whole number, or remove the line to use "
        "the default (3600).")


def test_conversions_follow_ansible_core():
    timeout = declarations()["rpi_exchange_reboot_timeout"]
    assert check_declared(timeout, "3600") == ([], 3600)
    assert check_declared(timeout, 3600.0) == ([], 3600)
    assert check_declared(timeout, True)[0][0].code == WRONG_TYPE
    first = declarations()["rpi_exchange_first_server"]
    assert check_declared(first, "yes") == ([], True)
    name = declarations()["rpi_exchange_organization_name"]
    assert check_declared(name, 2026) == ([], "2026")
    assert check_declared(name, {"a": 1})[0][0].code == WRONG_TYPE


def test_an_unquoted_on_or_off_is_explained():
    outcome = check_run_inputs(given("rpi_exchange_diagnostic_data", False), facts=FRESH)
    message = outcome.problems[0].message("es")
    assert message == ("rpi_exchange_diagnostic_data: Es un valor true o false; se espera un texto (actividad 6). Escriba ON "
                       "u OFF. Sin comillas, YAML lee yes, no, on y off como true o false: escríbalo entre comillas, por ejemplo \"OFF\".")


def test_a_choice_is_exact_as_ansible_core_checks_it():
    outcome = check_run_inputs(given("rpi_exchange_extended_protection", "Enable"), facts=FRESH)
    assert outcome.problems[0].message("es") == (
        "rpi_exchange_extended_protection: 'Enable' no es una de sus opciones: enable, skip, skip_front_end_ews (actividad 7). "
        "Escriba enable, skip o skip_front_end_ews.")
    assert check_run_inputs(given("rpi_exchange_report_language", "fr"), facts=FRESH).problems[0].name == "rpi_exchange_report_language"


def test_a_dictionarys_declared_keys_are_checked():
    outcome = check_run_inputs(given("rpi_exchange_media", {"iso": "\\\\rpi-fs01\\x.iso"}), facts=FRESH)
    assert [(item.name, item.code) for item in outcome.problems] == [("rpi_exchange_media.sha256", MISSING)]
    outcome = check_run_inputs(given("rpi_exchange_media", dict(INVENTORY["rpi_exchange_media"], sha265="x")), facts=FRESH)
    assert [(item.name, item.code) for item in outcome.problems] == [("rpi_exchange_media.sha265", UNKNOWN_KEY)]
    assert "rpi_exchange_media lleva: iso, sha256" in outcome.message()


def test_a_required_variable_that_is_missing_is_named():
    values = dict(INVENTORY)
    del values["rpi_exchange_setup_user"]
    outcome = check_run_inputs(values, facts=INSTALLED)
    assert [(item.name, item.code) for item in outcome.problems] == [("rpi_exchange_setup_user", MISSING)]
    assert outcome.problems[0].message("es") == "rpi_exchange_setup_user: Falta (actividades 8, 9 y 10). Escriba un texto."


def test_activities_5_to_8_are_required_only_when_setup_certainly_runs():
    values = {name: value for name, value in INVENTORY.items() if name not in ("rpi_exchange_license_accept", "rpi_exchange_diagnostic_data")}
    assert check_run_inputs(values, facts=INSTALLED).ok  # an upgrade or nothing to do: activity 2 checks them with the media
    outcome = check_run_inputs(values, facts=FRESH)
    assert [(item.name, item.code) for item in outcome.problems] == [
        ("rpi_exchange_diagnostic_data", "diagnostic_data_missing"), ("rpi_exchange_license_accept", "license_not_accepted")]


def test_a_template_that_cannot_be_evaluated_is_named():
    outcome = check_run_inputs(INVENTORY, facts=FRESH, not_evaluable={"rpi_exchange_technician": "'awx_user_name' is undefined"})
    assert outcome.problems[0].message("es") == (
        "rpi_exchange_technician: No se pudo evaluar su plantilla: 'awx_user_name' is undefined (actividades 1 y 6). "
        "Corrija la expresión {{ ... }} de su valor.")


# --- the rules (the modules' own checks, before anything changes) ----------------------------------------------------

def codes(values: dict, facts: dict | None = None) -> list[tuple[str, str]]:
    """The (variable, code) of every problem, on a server without Exchange unless `facts` says otherwise."""
    return [(item.name, item.code) for item in check_run_inputs(values, facts=FRESH if facts is None else facts).problems]


def test_the_issues_example_first_server_with_a_null_organisation_name():
    assert codes(dict(INVENTORY, rpi_exchange_first_server=True, rpi_exchange_organization_name=None)) == [
        ("rpi_exchange_organization_name", NULL)]


def test_a_first_mailbox_server_without_an_organisation_name_is_refused_before_setup_would():
    values = {name: value for name, value in INVENTORY.items() if name != "rpi_exchange_organization_name"}
    assert codes(values) == [("rpi_exchange_organization_name", "organization_name_required")]
    assert "rpi_exchange_first_server: false si la organización ya existe" in check_run_inputs(values, facts=FRESH).message()
    assert codes(dict(values, rpi_exchange_first_server=False)) == []
    tools = {name: value for name, value in values.items() if name != "rpi_exchange_database"}  # a Mailbox option
    assert codes(dict(tools, rpi_exchange_role="ManagementTools")) == []
    assert codes(values, INSTALLED) == []  # an upgrade takes it from the organisation


def test_the_licence_must_be_accepted_when_setup_will_install():
    assert codes(dict(INVENTORY, rpi_exchange_license_accept=False)) == [("rpi_exchange_license_accept", "license_not_accepted")]
    assert codes(dict(INVENTORY, rpi_exchange_license_accept=False), INSTALLED) == []  # activity 2 decides with the media


def test_the_install_folder_and_options_are_checked_against_the_servers_drives():
    assert codes(dict(INVENTORY, rpi_exchange_target_dir="C:\\")) == [("rpi_exchange_target_dir", "target_dir_root")]
    assert codes(dict(INVENTORY, rpi_exchange_target_dir="E:\\Exchange Server\\V15")) == [("rpi_exchange_target_dir", "not_enough_space")]
    assert codes(dict(INVENTORY, rpi_exchange_target_dir="Q:\\Exchange")) == [("rpi_exchange_target_dir", "drive_missing")]
    assert codes(dict(INVENTORY, rpi_exchange_organization_name="RPI.gob.gt")) == [
        ("rpi_exchange_organization_name", "organization_name_characters")]
    assert codes(dict(INVENTORY, rpi_exchange_database={"name": "RPI-DB01", "edb_path": "C:\\Bases"})) == [
        ("rpi_exchange_database.edb_path", "path_suffix")]


def test_the_media_and_the_thresholds_as_their_modules_read_them():
    media = dict(INVENTORY["rpi_exchange_media"], sha256="abc")
    assert codes(dict(INVENTORY, rpi_exchange_media=media)) == [("rpi_exchange_media.sha256", "sha256_invalid")]
    media = dict(INVENTORY["rpi_exchange_media"], iso="ExchangeServerSE-x64.iso")
    assert codes(dict(INVENTORY, rpi_exchange_media=media)) == [("rpi_exchange_media.iso", "iso_not_absolute")]
    thresholds = {"min_cores": 0, "min_memory": 16, "require_static_ip": "quizás"}
    assert codes(dict(INVENTORY, rpi_exchange_thresholds=thresholds)) == [
        ("rpi_exchange_thresholds.min_cores", "input_not_positive"), ("rpi_exchange_thresholds.min_memory", UNKNOWN_KEY),
        ("rpi_exchange_thresholds.require_static_ip", WRONG_TYPE)]


def test_timeouts_are_above_zero():
    assert codes(dict(INVENTORY, rpi_exchange_setup_timeout=0, prepare_server_reboot_timeout=-5)) == [
        ("prepare_server_reboot_timeout", "input_not_positive"), ("rpi_exchange_setup_timeout", "input_not_positive")]


def test_an_enabled_notice_needs_its_relay_sender_and_recipients_and_the_relay_completes_it():
    notice = {"enabled": True, "sender": "exchange@rpi.gob.gt", "recipients": ["ti@rpi.gob.gt"]}
    assert codes(dict(INVENTORY, rpi_exchange_notice=notice)) == [("rpi_exchange_notice.smtp_host", MISSING)]
    relay = {"smtp_host": "smtp.rpi.gob.gt", "smtp_port": "", "smtp_security": "starttls", "smtp_username": "", "smtp_password": ""}
    assert codes(dict(INVENTORY, rpi_exchange_notice=notice, rpi_exchange_notice_relay=relay)) == []
    relay = dict(relay, smtp_port="quinientos", smtp_security="ssl")
    assert codes(dict(INVENTORY, rpi_exchange_notice=notice, rpi_exchange_notice_relay=relay)) == [
        ("rpi_exchange_notice_relay.smtp_port", WRONG_TYPE), ("rpi_exchange_notice_relay.smtp_security", "input_not_a_choice")]
    assert codes(dict(INVENTORY, rpi_exchange_notice={"enabled": False})) == []


def test_every_problem_is_reported_at_once_and_in_english_on_request():
    values = dict(INVENTORY, rpi_exchange_organization_name=None, rpi_exchange_reboot_timeout="diez", rpi_exchange_target_dir="",
                  rpi_exchange_license_accept=False, rpi_exchange_setup_password=["a"])
    outcome = check_run_inputs(values, facts=FRESH)
    assert [item.name for item in outcome.problems] == [
        "rpi_exchange_target_dir", "rpi_exchange_license_accept", "rpi_exchange_organization_name", "rpi_exchange_setup_password",
        "rpi_exchange_reboot_timeout"]
    spanish, english = outcome.message("es"), outcome.message("en")
    assert spanish.startswith("Datos de la ejecución no válidos; no se instaló ni se cambió nada en el servidor (5):\n- ")
    assert spanish.endswith("vuelva a ejecutar la instalación.")
    assert english.startswith("Invalid run inputs; nothing was installed or changed on the server (5):\n- ")
    evidence = run_inputs_evidence(outcome)["evidence"][0]
    assert evidence["kind"] == "check" and evidence["level"] == "error" and evidence["details"]["status"] == "refused"
    assert len(evidence["details"]["problems"]) == 5 and evidence["details"]["activity"] == 2


def test_setup_is_certain_only_on_a_server_without_any_exchange():
    assert setup_certain(FRESH) and not setup_certain(INSTALLED) and not setup_certain(None)
    assert not setup_certain(dict(FRESH, exchange=dict(FRESH["exchange"], interrupted={"MailboxRole": {"watermark": "x"}})))
    assert not setup_certain(dict(FRESH, exchange=dict(FRESH["exchange"], setup_task={"exists": True})))


# --- nothing accepted here is refused later by a role's own argument validation --------------------------------------

CANDIDATES = (None, "", "texto", "yes", "ON", "OFF", "es", "enable", "10", "1.5", 10, 0, 1.5, True, False, {}, {"a": 1}, ["a"],
              {"iso": "\\\\rpi-fs01\\x.iso", "sha256": "A" * 64}, {"iso": None, "sha256": "A" * 64})


def role_specs() -> list[tuple[str, str, dict]]:
    found = []
    for path in sorted((ROOT / "roles").glob("*/meta/argument_specs.yml")):
        options = yaml.safe_load(path.read_text(encoding="utf-8"))["argument_specs"]["main"]["options"]
        found += [(path.parent.parent.name, name, spec) for name, spec in options.items()]
    return found


@pytest.mark.parametrize("role, name, spec", role_specs(), ids=[f"{role}-{name}" for role, name, _spec in role_specs()])
def test_what_the_check_accepts_the_roles_own_validation_accepts_too(role, name, spec):
    declaration = declarations()[name]
    for value in CANDIDATES:
        problems, _converted = check_declared(declaration, value)
        if problems:
            continue
        validated = ArgumentSpecValidator({name: spec}).validate({name: copy.deepcopy(value)})
        assert not validated.error_messages, (role, name, value, validated.error_messages)


# --- the action --------------------------------------------------------------------------------------------------------

def run_action(task_vars: dict, args: dict | None = None, check_mode: bool = False) -> dict:
    task = MagicMock()
    task.args = args or {}
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "rpi.exchange.run_inputs"
    connection = MagicMock()
    connection._shell.tmpdir = None
    templar = Templar(loader=DataLoader(), variables=task_vars)
    action = ActionModule(task, connection, play_context=MagicMock(), loader=None, templar=templar, shared_loader_obj=None)
    result = action.run(task_vars=task_vars)
    connection.exec_command.assert_not_called()
    connection.put_file.assert_not_called()
    return result


def test_the_action_reads_the_runs_variables_templated_and_activity_1s_facts():
    task_vars = dict(INVENTORY, ansible_facts={"rpi_exchange": FRESH}, awx_user_name="jperez",
                     rpi_exchange_technician={"name": trust_as_template("{{ awx_user_name }}"), "position": "Técnico"},
                     unrelated_variable=None)
    result = run_action(task_vars, check_mode=True)
    assert not result.get("failed") and result["changed"] is False, result["msg"]
    assert result["setup_certain"] is True and "rpi_exchange_technician" in result["given"]
    assert "unrelated_variable" not in result["checked"]
    assert result["rpi_report"]["evidence"][0]["level"] == "ok"


def test_the_action_fails_naming_every_variable_in_the_runs_language():
    task_vars = dict(INVENTORY, ansible_facts={"rpi_exchange": FRESH}, rpi_exchange_organization_name=None, rpi_exchange_setup_timeout="",
                     rpi_exchange_technician=trust_as_template("{{ awx_user_nam }}"))  # the whole mapping a template
    result = run_action(task_vars, {"language": "en"})
    assert result["failed"] is True
    assert [item["variable"] for item in result["problems"]] == [
        "rpi_exchange_technician", "rpi_exchange_organization_name", "rpi_exchange_setup_timeout"]
    assert result["msg"].startswith("Invalid run inputs; nothing was installed or changed on the server (3):")
    assert "awx_user_nam" in result["msg"]
    assert run_action(dict(task_vars, rpi_exchange_report_language="fr"), {"language": "fr"})["msg"].startswith("Datos de la ejecución")


def test_a_secrets_value_is_never_in_the_result():
    secret = "No-Lo-Muestre-42"
    result = run_action(dict(INVENTORY, ansible_facts={"rpi_exchange": FRESH}, rpi_exchange_setup_password={"valor": secret}))
    assert result["failed"] and secret not in repr(result)


def test_the_checks_are_extended_by_declaring_a_variable(tmp_path):
    """A future input (the product key, for example) needs only its declaration."""
    meta = tmp_path / "begin_installation" / "meta"
    meta.mkdir(parents=True)
    (meta / "argument_specs.yml").write_text(yaml.safe_dump({"argument_specs": {"main": {
        "short_description": "Activity 8: x",
        "options": {"rpi_exchange_product_key": {"type": "str", "required": True, "no_log": True}}}}}), encoding="utf-8")
    declared = load_declarations(tmp_path)

    def found(values, facts):
        return [(item.name, item.code) for item in check_run_inputs(values, facts=facts, declared=declared, rules=()).problems]

    assert found({}, FRESH) == [("rpi_exchange_product_key", MISSING)]
    assert found({}, INSTALLED) == []  # activity 8 runs only when setup runs, which is not known yet on this server
    assert found({"rpi_exchange_product_key": None}, INSTALLED) == [("rpi_exchange_product_key", NULL)]
    assert found({"rpi_exchange_product_key": ["x"]}, INSTALLED) == [("rpi_exchange_product_key", WRONG_TYPE)]
    assert run_inputs.RULES  # the rules a declaration cannot say


def test_out_of_the_unit_tests_a_disagreement_between_roles_does_not_stop_every_run(tmp_path):
    for role, activity, kind in (("one", 3, "int"), ("two", 4, "str")):
        meta = tmp_path / role / "meta"
        meta.mkdir(parents=True)
        (meta / "argument_specs.yml").write_text(yaml.safe_dump({"argument_specs": {"main": {
            "short_description": f"Activity {activity}: x", "options": {"rpi_exchange_x": {"type": kind}}}}}), encoding="utf-8")
    declared = load_declarations(tmp_path, strict=False)
    assert declared["rpi_exchange_x"].type == "raw"
    assert [item.code for item in check_run_inputs({"rpi_exchange_x": None}, declared=declared, rules=()).problems] == [NULL]


def test_the_ad_preparation_is_with_setup_or_separate():
    # Issue 17, item 3: declared with its choices (roles/begin_installation), checked in activity 2 before any change.
    assert not check_run_inputs(given("rpi_exchange_ad_preparation", "separate"), facts=FRESH).problems
    problem = check_run_inputs(given("rpi_exchange_ad_preparation", "before"), facts=FRESH).problems[0]
    assert problem.name == "rpi_exchange_ad_preparation" and "with_setup" in problem.message("es")
