"""examples/awx: the AWX objects the RPI creates are consistent with what the collection reads.

The YAML files are checked against AWX's own rules (its JSON schemas for credential types, its survey rules),
against the collection (the variables the inventory, the roles and the action plugins read), and against the
`awx.awx` modules' documentation. The survey answers are put together the way AWX does and fed to the real
instruction check, and through a real ansible-playbook run.
"""

from __future__ import annotations

import ast
import configparser
import glob
import json
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
import yaml
from jinja2 import meta

from ansible_collections.rpi.exchange.plugins.action.report_notice import ARGUMENT_SPEC as NOTICE_SPEC
from ansible_collections.rpi.exchange.plugins.action.report_validation import ARGUMENT_SPEC as VALIDATION_SPEC
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.instruction import parse_instruction
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.notice import SECURITY_MODES

ROOT = Path(__file__).resolve().parents[2]
AWX = ROOT / "examples" / "awx"
CREDENTIAL_TYPES = sorted((AWX / "credential_types").glob("*.yml"))
JOB_TEMPLATES = sorted((AWX / "job_templates").glob("*.yml"))
SURVEYS = sorted((AWX / "surveys").glob("*.yml"))

# AWX's schemas for a credential type's inputs and injectors (awx/main/fields.py, CredentialTypeInputField and
# CredentialTypeInjectorField), so that a type AWX would refuse fails here first.
INPUTS_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "required": {"type": "array", "items": {"type": "string"}},
        "fields": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "label"],
            "properties": {
                "type": {"enum": ["string", "boolean"]}, "format": {"enum": ["ssh_private_key", "url"]},
                "choices": {"type": "array", "minItems": 1, "items": {"type": "string"}, "uniqueItems": True},
                "id": {"type": "string", "pattern": "^[a-zA-Z_]+[a-zA-Z0-9_]*$"}, "label": {"type": "string"},
                "help_text": {"type": "string"}, "multiline": {"type": "boolean"}, "secret": {"type": "boolean"},
                "ask_at_runtime": {"type": "boolean"}, "default": {},
            }}},
    },
}
INJECTORS_SCHEMA = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "file": {"type": "object", "additionalProperties": False,
                 "patternProperties": {r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$": {"type": "string"}}},
        "env": {"type": "object", "additionalProperties": False, "patternProperties": {"^[a-zA-Z_]+[a-zA-Z0-9_]*$": {"type": "string"}}},
        "extra_vars": {"type": "object", "additionalProperties": False, "patternProperties": {
            r"^[a-zA-Z_\{\}]+[a-zA-Z0-9_\{\}]*$": {"anyOf": [{"type": "string"}, {"type": "array"}, {"$ref": "#/properties/extra_vars"}]}}},
    },
}
SURVEY_TYPES = {"text": str, "textarea": str, "password": str, "multiplechoice": str, "multiselect": str, "integer": int, "float": float}
SECRET_LOOKING = re.compile(r"password|secret|token|key", re.IGNORECASE)
# Variables AWX itself gives every job (awx_user_name, awx_job_id, ...).
AWX_PROVIDED = re.compile(r"^(awx|tower)_[a-z_]+$")
# The install job's artifacts (set_stats of role report_installation), which a workflow hands to the next node.
ARTIFACTS = {"rpi_exchange_report"}

ANSWERS = {
    "rpi_instruction_instructed_by": "Ing. María López, Encargada de TI",
    "rpi_instruction_reference": "MEMO-DTI-2026-041",
    "rpi_instruction_window_start": "2026-11-27T18:00",
    "rpi_instruction_window_end": "2026-11-27T23:00",
    # What users type is never rendered: a brace in a note must stay a brace.
    "rpi_instruction_notes": "Ventana acordada con {{ Operaciones }}",
    "rpi_technician_position": "Técnico de Operaciones y Seguridad Informática",
    "rpi_review_name": "Ing. María López",
    "rpi_review_decision": "Validada",
    "rpi_review_comment": "Conforme",
}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def strings(node: Any):
    """Every string of a nested structure (the templates of an injector or of extra_vars)."""
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


def template_names(node: Any) -> set[str]:
    environment = jinja2.Environment()
    names: set[str] = set()
    for text in strings(node):
        names |= meta.find_undeclared_variables(environment.parse(text))
    return names


def render(node: Any, context: dict[str, Any]) -> Any:
    """What AWX (credential injectors) or Ansible (extra_vars) make of the templates: plain Jinja, strings."""
    environment = jinja2.Environment(undefined=jinja2.Undefined)
    if isinstance(node, dict):
        return {key: render(value, context) for key, value in node.items()}
    if isinstance(node, list):
        return [render(value, context) for value in node]
    return environment.from_string(node).render(**context)


def documentation(path: Path) -> dict[str, Any]:
    """The DOCUMENTATION block of a plugin written in Python."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "DOCUMENTATION" for target in node.targets):
            return yaml.safe_load(node.value.value)
    raise AssertionError(f"no DOCUMENTATION in {path}")


def role_options() -> set[str]:
    """Every variable some role of the collection declares in its argument specification."""
    names: set[str] = set()
    for spec in ROOT.glob("roles/*/meta/argument_specs.yml"):
        for entry in load(spec)["argument_specs"].values():
            names |= set(entry.get("options", {}))
    return names


def inventory_variables() -> set[str]:
    """Every variable the RPI's inventory template sets (group_vars and host_vars)."""
    names: set[str] = set()
    for folder in ("group_vars", "host_vars"):
        for path in (ROOT / "inventories" / "rpi" / folder).rglob("*.yml"):
            names |= set(load(path) or {})
    return names


def documented_keys(text: str) -> set[str]:
    """The C(key) names a description lists."""
    return set(re.findall(r"C\(([a-z_]+)\)", text))


# -- credential types ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", CREDENTIAL_TYPES, ids=lambda path: path.stem)
def test_credential_types_are_valid_for_awx(path: Path):
    definition = load(path)
    assert set(definition) == {"name", "description", "inputs", "injectors"}
    jsonschema.validate(definition["inputs"], INPUTS_SCHEMA)
    jsonschema.validate(definition["injectors"], INJECTORS_SCHEMA)
    ids = [field["id"] for field in definition["inputs"]["fields"]]
    assert len(ids) == len(set(ids)) and "tower" not in ids
    assert set(definition["inputs"].get("required", [])) <= set(ids)
    for env_var in definition["injectors"].get("env", {}):
        assert not env_var.startswith("ANSIBLE_"), "AWX refuses credentials that set ANSIBLE_* variables"


@pytest.mark.parametrize("path", CREDENTIAL_TYPES, ids=lambda path: path.stem)
def test_credential_injectors_use_only_declared_inputs_and_all_of_them(path: Path):
    definition = load(path)
    fields = {field["id"]: field for field in definition["inputs"]["fields"]}
    injectors = definition["injectors"]
    used = template_names(injectors)
    assert used <= set(fields) | {"tower"}, f"undeclared inputs: {used - set(fields) - {'tower'}}"
    assert set(fields) <= used, f"inputs never injected: {set(fields) - used}"
    files = {label.split(".", 1)[1] for label in injectors.get("file", {}) if "." in label}
    for text in strings(injectors):
        for label in re.findall(r"tower\.filename\.([a-zA-Z_0-9]+)", text):
            assert label in files, f"tower.filename.{label} names no file injector"
    for field in fields.values():
        if SECRET_LOOKING.search(field["id"]):
            assert field.get("secret") is True, f"{field['id']} must be secret"
    # A file injector from an empty input writes an empty file: every input a file is made of is required.
    for text in injectors.get("file", {}).values():
        assert template_names(text) <= set(definition["inputs"].get("required", []))


def test_the_winrm_credential_sets_the_inventorys_connection_variables():
    definition = load(AWX / "credential_types" / "winrm.yml")
    targets = set(definition["injectors"]["extra_vars"])
    connection = load(ROOT / "inventories" / "rpi" / "group_vars" / "rpi_exchange_servers" / "connection.yml")
    assert targets == {"ansible_user", "ansible_password", "ansible_winrm_ca_trust_path"}
    assert targets <= set(connection), "the credential must replace variables the RPI's inventory sets"
    assert connection["ansible_winrm_server_cert_validation"] == "validate"
    rendered = render(definition["injectors"], {"username": "u", "password": "p", "ca_certificate": "PEM",
                                                "tower": {"filename": {"ca_certificate": "/runner/env/tmpca"}}})
    assert rendered["extra_vars"]["ansible_winrm_ca_trust_path"] == "/runner/env/tmpca"
    assert rendered["file"]["template.ca_certificate"] == "PEM"


def test_the_setup_account_credential_sets_what_the_roles_read():
    targets = set(load(AWX / "credential_types" / "setup_account.yml")["injectors"]["extra_vars"])
    assert targets == {"rpi_exchange_setup_user", "rpi_exchange_setup_password"}
    assert targets <= role_options() | inventory_variables()


def test_the_smtp_credential_completes_the_notice_with_the_actions_options():
    definition = load(AWX / "credential_types" / "smtp_relay.yml")
    extra_vars = definition["injectors"]["extra_vars"]
    assert set(extra_vars) == {"rpi_exchange_notice_relay"}
    assert "rpi_exchange_notice_relay" in role_options()
    relay = extra_vars["rpi_exchange_notice_relay"]
    assert set(relay) <= set(NOTICE_SPEC), f"not options of rpi.exchange.report_notice: {set(relay) - set(NOTICE_SPEC)}"
    # The role passes each key to the option of the same name.
    tasks = (ROOT / "roles" / "report_installation" / "tasks" / "main.yml").read_text(encoding="utf-8")
    for key in relay:
        assert f"{key}: \"{{{{ report_installation_notice.{key}" in tasks
    security = next(field for field in definition["inputs"]["fields"] if field["id"] == "security")
    assert tuple(security["choices"]) == SECURITY_MODES
    assert security["default"] == NOTICE_SPEC["smtp_security"]["default"]


# -- surveys and job templates ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", SURVEYS, ids=lambda path: path.stem)
def test_surveys_follow_awxs_rules(path: Path):
    survey = load(path)
    assert survey["name"] and survey["description"] and survey["spec"]
    variables = [question["variable"] for question in survey["spec"]]
    assert len(variables) == len(set(variables))
    for question in survey["spec"]:
        assert {"type", "question_name", "variable", "required"} <= set(question)
        assert isinstance(question["required"], bool)
        assert question["type"] in SURVEY_TYPES
        assert re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", question["variable"])
        for limit in ("min", "max"):
            assert isinstance(question.get(limit, 0), int)
        if question.get("default", "") != "":
            assert isinstance(question["default"], SURVEY_TYPES[question["type"]])
        if question["type"] in ("multiplechoice", "multiselect"):
            assert question["choices"] and all(isinstance(choice, str) for choice in question["choices"])


@pytest.mark.parametrize("path", JOB_TEMPLATES, ids=lambda path: path.stem)
def test_job_templates_refer_to_files_that_exist(path: Path):
    template = load(path)
    assert (AWX / "project" / template["playbook"]).is_file()
    assert (AWX / template["survey"]).is_file()
    for credential_type in template["credential_types"]:
        assert (AWX / credential_type).is_file()
    assert template["job_type"] in ("run", "check")


@pytest.mark.parametrize("path", JOB_TEMPLATES, ids=lambda path: path.stem)
def test_job_template_extra_vars_use_every_survey_answer_and_nothing_unknown(path: Path):
    template = load(path)
    variables = {question["variable"] for question in load(AWX / template["survey"])["spec"]}
    used = template_names(template["extra_vars"])
    assert variables <= used, f"survey answers never used: {variables - used}"
    unknown = {name for name in used - variables - ARTIFACTS if not AWX_PROVIDED.match(name)}
    assert not unknown, f"extra_vars read variables nobody gives: {unknown}"
    assert set(template["extra_vars"]) <= role_options(), "extra_vars must set variables the roles read"


def test_the_instruction_survey_makes_the_instruction_activity_1_accepts():
    template = load(AWX / "job_templates" / "install_exchange.yml")
    instruction = render(template["extra_vars"], ANSWERS)["rpi_exchange_instruction"]
    accepted = documented_keys(" ".join(documentation(ROOT / "plugins" / "modules" / "instruction.py")["options"]["instruction"]["description"]))
    assert set(instruction) <= accepted, f"keys the instruction check does not read: {set(instruction) - accepted}"
    parsed = parse_instruction(instruction)
    assert not parsed.problems, [problem.message("en") for problem in parsed.problems]
    assert (parsed.instructed_by, parsed.reference, parsed.notes) == (
        ANSWERS["rpi_instruction_instructed_by"], ANSWERS["rpi_instruction_reference"], ANSWERS["rpi_instruction_notes"])
    assert parsed.window_start.isoformat() == "2026-11-27T18:00:00-06:00"


@pytest.mark.parametrize("choice", load(AWX / "surveys" / "review.yml")["spec"][1]["choices"])
def test_each_review_choice_becomes_a_decision_activity_12_accepts(choice: str):
    template = load(AWX / "job_templates" / "review_installation.yml")
    review = render(template["extra_vars"], {**ANSWERS, "rpi_review_decision": choice})["rpi_exchange_review"]
    assert review["decision"] in VALIDATION_SPEC["decision"]["choices"]
    described = load(ROOT / "roles" / "review_installation" / "meta" / "argument_specs.yml")
    accepted = documented_keys(" ".join(described["argument_specs"]["main"]["options"]["rpi_exchange_review"]["description"]))
    assert set(review) <= accepted
    assert review["report_dir"] == "" and review["run_id"] == "", "launched alone with no run id, the review lists the runs"
    chosen = render(template["extra_vars"], {**ANSWERS, "rpi_review_run_id": "20261206T150000Z-a1b2c3"})["rpi_exchange_review"]
    assert chosen["run_id"] == "20261206T150000Z-a1b2c3"
    assert not template["credential_types"], "the IT Head's review needs no secret (issue 20, item 8)"
    after_install = render(template["extra_vars"], {**ANSWERS, "rpi_exchange_report": {"report_dir": "/reports/run-1"}})
    assert after_install["rpi_exchange_review"]["report_dir"] == "/reports/run-1"


def test_the_survey_answers_reach_the_instruction_check_through_ansible(tmp_path: Path, clean_env):
    """The job's variables as AWX passes them (answers marked unsafe), through ansible-core and rpi.exchange.instruction."""
    install = load(AWX / "job_templates" / "install_exchange.yml")["extra_vars"]
    review = load(AWX / "job_templates" / "review_installation.yml")["extra_vars"]
    answers = "".join(f"{name}: !unsafe {json.dumps(value, ensure_ascii=False)}\n" for name, value in ANSWERS.items())
    extra_vars = tmp_path / "extravars.yml"
    extra_vars.write_text(yaml.safe_dump({**install, **review}, allow_unicode=True) + answers
                          + "awx_user_name: mlopez\nawx_user_first_name: María\nawx_user_last_name: López\n", encoding="utf-8")
    playbook = tmp_path / "job.yml"
    # In a role named after activity 1, so that the report callback writes this run's report (activity 1 refuses otherwise).
    role = tmp_path / "roles" / "instruct_installation" / "tasks"
    role.mkdir(parents=True)
    (role / "main.yml").write_text(yaml.safe_dump([
        {"name": "Check the instruction", "rpi.exchange.instruction": {
            "instruction": "{{ rpi_exchange_instruction }}", "technician": "{{ rpi_exchange_technician }}",
            "now": "2026-11-27T19:00:00-06:00"}, "register": "checked"},
        {"name": "Compare", "ansible.builtin.assert": {"that": [
            "checked.instruction.notes == rpi_instruction_notes",
            "checked.within_window",
            "checked.technician == {'name': 'María López', 'position': 'Técnico de Operaciones y Seguridad Informática'}",
            "rpi_exchange_review.decision == 'validated'",
            "rpi_exchange_review.report_dir == ''",
        ]}},
    ], allow_unicode=True), encoding="utf-8")
    playbook.write_text(yaml.safe_dump([{
        "name": "The job's variables", "hosts": "localhost", "gather_facts": False, "roles": ["instruct_installation"]}],
        allow_unicode=True), encoding="utf-8")
    config = tmp_path / "ansible.cfg"
    config.write_text(f"[defaults]\ncallbacks_enabled = rpi.exchange.procedure_report\n[rpi_exchange]\nreport_dir = {tmp_path / 'reports'}\n",
                      encoding="utf-8")
    env = dict(clean_env, ANSIBLE_CONFIG=str(config), ANSIBLE_COLLECTIONS_PATH=str(Path(sys.prefix) / "collections"))
    done = subprocess.run([str(Path(sys.executable).with_name("ansible-playbook")), "-i", "localhost,", "-c", "local", str(playbook),
                           "-e", f"@{extra_vars}"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


class Mailbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.envelopes.append(envelope)
        return "250 OK"


def test_the_smtp_credential_and_the_inventory_send_one_notice(tmp_path: Path, clean_env, custom_stats):
    """Activity 11 with the relay injected as AWX does and the rest of the notice from the inventory."""
    controller_module = pytest.importorskip("aiosmtpd.controller", reason="aiosmtpd is in requirements-dev.txt")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    mailbox = Mailbox()
    relay = controller_module.Controller(mailbox, hostname="127.0.0.1", port=port)
    relay.start()
    try:
        # Inputs left empty are absent from AWX's namespace: they render as empty strings.
        injected = render(load(AWX / "credential_types" / "smtp_relay.yml")["injectors"]["extra_vars"],
                          {"host": "127.0.0.1", "port": str(port), "security": "none"})
        extra_vars = tmp_path / "credential.yml"
        extra_vars.write_text(yaml.safe_dump(injected), encoding="utf-8")
        playbook = tmp_path / "activity-11.yml"
        playbook.write_text(yaml.safe_dump([{
            "name": "Activity 11 alone", "hosts": "localhost", "gather_facts": False,
            "vars": {"rpi_exchange_notice": {"enabled": True, "sender": "instalador@rpi.gob.gt", "recipients": ["encargado.ti@rpi.gob.gt"]}},
            "roles": ["rpi.exchange.report_installation"]}]), encoding="utf-8")
        config = tmp_path / "ansible.cfg"
        config.write_text(f"[defaults]\ncallbacks_enabled = rpi.exchange.procedure_report\n[rpi_exchange]\nreport_dir = {tmp_path / 'reports'}\n",
                          encoding="utf-8")
        env = dict(clean_env, ANSIBLE_CONFIG=str(config), ANSIBLE_COLLECTIONS_PATH=str(Path(sys.prefix) / "collections"),
                   ANSIBLE_SHOW_CUSTOM_STATS="1")
        done = subprocess.run([str(Path(sys.executable).with_name("ansible-playbook")), "-i", "localhost,", "-c", "local", str(playbook),
                               "-e", f"@{extra_vars}"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    finally:
        relay.stop()
    assert done.returncode == 0, done.stdout + done.stderr
    assert [(envelope.mail_from, envelope.rcpt_tos) for envelope in mailbox.envelopes] == [("instalador@rpi.gob.gt", ["encargado.ti@rpi.gob.gt"])]
    summary = custom_stats(done.stdout)["rpi_exchange_report"]
    assert summary["hosts"]["localhost"]["notice_sent"] is True
    # Only activity 11 ran: the run closes as partial, and the summary says so before it closes.
    assert summary["status"] == "partial"
    report = json.loads((tmp_path / "reports" / "latest" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["status"] == "partial" and Path(summary["report_dir"]) == (tmp_path / "reports" / "latest").resolve()


# -- configure_awx.yml, the project, the report folder -----------------------------------------------------------


def awx_collection(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """Where awx.awx is: the virtual environment's collections, else extracted from the `ansible` wheel bootstrap keeps."""
    installed = Path(sys.prefix) / "collections"
    if (installed / "ansible_collections" / "awx" / "awx").is_dir():
        return installed
    wheels = glob.glob(str(Path(sys.prefix) / "cache" / "ansible-*.whl"))
    if not wheels:
        return None
    target = tmp_path_factory.mktemp("awx-collection")
    with zipfile.ZipFile(wheels[0]) as archive:
        for name in archive.namelist():
            if name.startswith("ansible_collections/awx/awx/"):
                archive.extract(name, target)
    return target


def test_configure_awx_uses_only_options_the_awx_modules_have(tmp_path_factory: pytest.TempPathFactory, clean_env):
    collections = awx_collection(tmp_path_factory)
    if collections is None:
        pytest.skip("awx.awx is neither in the virtual environment nor in its cached `ansible` wheel (tools/bootstrap.sh)")
    play = load(AWX / "configure_awx.yml")[0]
    tasks = [(name, task[name]) for task in play["tasks"] for name in task if name.startswith("awx.awx.")]
    modules = sorted({name for name, arguments in tasks})
    done = subprocess.run([str(Path(sys.executable).with_name("ansible-doc")), "-t", "module", "--json", *modules],
                          env=dict(clean_env, ANSIBLE_COLLECTIONS_PATH=str(collections)), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout)
    for name, arguments in tasks:
        options = docs[name]["doc"]["options"]
        known = set(options) | {alias for option in options.values() for alias in option.get("aliases", [])}
        assert set(arguments) <= known, f"{name}: unknown options {set(arguments) - known}"
        for option, value in arguments.items():
            choices = options.get(option, {}).get("choices")
            if choices and isinstance(value, (str, int)) and "{{" not in str(value):
                assert value in choices, f"{name}: {option}={value!r} not in {choices}"
    for reference in re.findall(r"'((?:credential_types|job_templates|surveys|container_group)/[^']+)'",
                                (AWX / "configure_awx.yml").read_text(encoding="utf-8")):
        assert (AWX / reference).is_file(), reference


def test_the_project_installs_this_release_and_runs_the_collections_playbooks():
    galaxy = load(ROOT / "galaxy.yml")
    wanted = load(AWX / "project" / "collections" / "requirements.yml")["collections"]
    own = [item for item in wanted if "rpi.exchange" in item["name"]]
    assert len(own) == 1 and str(own[0]["version"]) == str(galaxy["version"]), "pin the project to this release"
    assert {item["name"]: item["version"] for item in wanted if item not in own} == galaxy["dependencies"]
    for playbook in ("install_exchange", "review_installation"):
        imported = load(AWX / "project" / f"{playbook}.yml")[0]["ansible.builtin.import_playbook"]
        assert imported == f"rpi.exchange.{playbook}" and (ROOT / "playbooks" / f"{playbook}.yml").is_file()


def test_the_projects_report_settings_are_options_of_the_report_callback():
    config = configparser.ConfigParser()
    config.read(AWX / "project" / "ansible.cfg", encoding="utf-8")
    assert "rpi.exchange.procedure_report" in config["defaults"]["callbacks_enabled"]
    options = documentation(ROOT / "plugins" / "callback" / "procedure_report.py")["options"]
    ini_keys = {entry["key"] for option in options.values() for entry in option.get("ini", []) if entry["section"] == "rpi_exchange"}
    assert set(config["rpi_exchange"]) <= ini_keys
    site = load(AWX / "vars" / "site.yml")
    assert config["rpi_exchange"]["report_dir"] == site["rpi_awx_report_dir"], "the persistent folder is where reports are written"
    assert site["rpi_awx_report_storage"] in ("host_path", "container_group")
    pod = (AWX / "container_group" / "pod_spec.yml.j2").read_text(encoding="utf-8")
    assert "mountPath: {{ rpi_awx_report_dir }}" in pod
    assert "claimName: " + load(AWX / "container_group" / "pvc.yml")["metadata"]["name"] in pod
