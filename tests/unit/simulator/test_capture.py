"""Captures of a server (issue 14): playbooks/capture_server.yml's JSON file against the simulated server.

(a) The simulated stand-ins of the three reading modules (simulator/collection_modules/) answer, for several presets,
    in the shape of every capture under tests/fixtures/captures/ (keys and value types, recursively; null only where
    the module docs, or the read itself, say a value may be missing). A stand-in that drifts from what the real module
    returns fails here, once a real server's capture sits beside the simulated example.
(b) A capture starts the simulated server (simulator/capture.py): the probe reads back what was captured.
(c) The capture's scrub step (playbooks/files/capture_server.py) leaves no planted secret in the file.

The example capture is made by really running the playbook against the simulated server. When the probe, setup
status or health module (or a stand-in) gains a field, re-make it and commit it with the change:

    .venv/bin/python tests/fixtures/captures/regenerate.py
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import json
import os
import signal
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator import capture, collection_modules, presets
from simulator.capture_overlay import parse_time
from simulator.credentials import SETUP_USER
from simulator.windows.presets import PASSWORDS
from simulator.windows.testing import Runner

ROOT = Path(__file__).resolve().parents[3]
CAPTURES = ROOT / "tests" / "fixtures" / "captures"
EXAMPLE = CAPTURES / "simulated-ws2022-exchange-se.json"
HELPER = ROOT / "playbooks" / "files" / "capture_server.py"
PLAYBOOK = ROOT / "playbooks" / "capture_server.yml"
PROBE, STATUS, HEALTH = "win_exchange_probe", "win_exchange_setup_status", "win_exchange_health"
MODULES = (PROBE, STATUS, HEALTH)
REGENERATE = "re-make the example: .venv/bin/python tests/fixtures/captures/regenerate.py"
# Bare, prerequisites ready, Exchange installed, a failed install (interrupted), a failed upgrade (WMI left disabled).
SHAPE_PRESETS = ("ws2022-bare", "ws2022-ready", "ws2022-exchange-se", "ws2022-exchange-interrupted", "ws2022-exchange-upgrade-failed")

# --- what a shape may be ------------------------------------------------------------------------------------------------
# Maps whose keys are data (registry keys and value names, role keys, service names): each value is compared.
MAPS = {f"{module}.{path}" for module in (PROBE, STATUS) for path in (
    "exchange.setup_key", "exchange.role_keys", "exchange.role_keys.*", "exchange.uninstall_key")} | {
    f"{PROBE}.registry", f"{PROBE}.registry.*", f"{PROBE}.service_start_types"}
# Registry data: a DWORD, a string or a multi-string, whatever the value is.
ANY = {f"{module}.{path}" for module in (PROBE, STATUS) for path in (
    "exchange.setup_key.*", "exchange.role_keys.*.*", "exchange.uninstall_key.*")} | {f"{PROBE}.registry.*.*"}
# Keys only some answers have.
OPTIONAL = {
    f"{PROBE}.exchange.setup_task": {"state", "last_task_result", "last_run_time"},  # only when the task exists
    f"{STATUS}.task": {"state", "actions", "principal"},  # only when the task exists
    STATUS: {"setup_path", "warnings", "deprecations"},  # setup_path only when asked
    PROBE: {"warnings", "deprecations"},
    HEALTH: {"warnings", "deprecations"},
}
# Null where the module's RETURN documentation says so (checked below against the docs of the top-level field).
NULL_IN_DOCS = {
    f"{PROBE}.hardware", f"{PROBE}.page_files", f"{PROBE}.page_file_automatic", f"{PROBE}.network", f"{PROBE}.features",
    f"{PROBE}.os.last_boot_time", f"{PROBE}.service_start_types.*", f"{PROBE}.registry.*", f"{PROBE}.exchange.setup_task",
    f"{STATUS}.exchange.setup_processes[].executable_path",
    f"{HEALTH}.exchange_server", f"{HEALTH}.exsetup_file_version", f"{HEALTH}.install_path",
}
# Null because of what the module reads, where the docs leave it implicit: an absent key, value, service or file.
NULL_BY_READING = {
    f"{PROBE}.wmi.error": "no error while WMI answers",
    f"{PROBE}.exchange.setup_key": "an absent registry key, read like RV(registry), which documents null",
    f"{PROBE}.exchange.uninstall_key": "an absent registry key, read like RV(registry)",
    f"{PROBE}.exchange.exsetup_file_version": "no ExSetup.exe without Exchange (win_exchange_health documents null)",
    f"{PROBE}.exchange.setup_processes[].executable_path": "win_exchange_setup_status documents null",
    f"{PROBE}.exchange.setup_task.last_run_time": "a task that never ran (COM's LastRunTime before the first run)",
    f"{PROBE}.winrm.execution_policy_gpo": "no policy value",
    f"{PROBE}.winrm.remote_registry_start_mode": "no such service, as RV(service_start_types) documents",
    f"{STATUS}.exchange.setup_key": "an absent registry key",
    f"{STATUS}.exchange.uninstall_key": "an absent registry key",
    f"{STATUS}.exchange.exsetup_file_version": "no ExSetup.exe without Exchange",
    f"{STATUS}.task.state.last_run_time": "a task that never ran",
    f"{STATUS}.task.actions[].Arguments": "an action without arguments",
    f"{HEALTH}.shell.kind": "the shell was not tried (not installed, or skip_shell)",
    f"{HEALTH}.shell.error": "no error when the shell loaded",
    f"{HEALTH}.shell.server": "the shell's description: null when it did not connect",
    f"{HEALTH}.shell.target": "a remote shell's only: none for the snap-in or a shell not tried",
    f"{HEALTH}.services[].status": "a service that does not exist",
    f"{HEALTH}.services[].start_type": "a service that does not exist",
    f"{HEALTH}.health[].error": "no error when the page answered",
}


def kind(value: Any) -> str:
    """JSON types; integers and floats are one kind (PowerShell writes 0.0 as 0)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "str", list: "list", dict: "dict"}.get(type(value), type(value).__name__)


def shape_problems(answer: Any, captured: Any, pattern: str, where: str) -> list[str]:
    """How `answer` (a stand-in's) differs in shape from `captured` (a capture's); `pattern` names the field for the
    tables above (map keys as *, list items as [])."""
    if pattern in ANY:
        return []
    if answer is None or captured is None:
        # A null tells nothing about the other side's type; it must only be a documented null.
        nullable = pattern in NULL_IN_DOCS or pattern in NULL_BY_READING
        return [f"{where}: null in the {side}, and neither the module docs nor its reads say it may be null"
                for side, value in (("stand-in", answer), ("capture", captured)) if value is None and not nullable]
    if kind(answer) != kind(captured):
        return [f"{where}: the stand-in returns {kind(answer)}, the capture has {kind(captured)}"]
    if isinstance(answer, list):
        # Items in the same place are alike (one model, one order); past the capture's end, its last item.
        return [problem for index, item in enumerate(answer) if captured
                for problem in shape_problems(item, captured[min(index, len(captured) - 1)], pattern + "[]", f"{where}[{index}]")]
    if not isinstance(answer, dict):
        return []
    problems = []
    if pattern in MAPS:
        samples = list(captured.values())
        for key, value in answer.items():
            if key in captured or samples:
                problems += shape_problems(value, captured.get(key, samples[0] if samples else None), pattern + ".*", f"{where}.{key}")
        return problems
    optional = OPTIONAL.get(pattern, set())
    problems += [f"{where}.{key}: returned by the stand-in, absent from the capture" for key in sorted(set(answer) - set(captured) - optional)]
    problems += [f"{where}.{key}: in the capture, not returned by the stand-in" for key in sorted(set(captured) - set(answer) - optional)]
    for key in sorted(set(answer) & set(captured)):
        problems += shape_problems(answer[key], captured[key], f"{pattern}.{key}", f"{where}.{key}")
    return problems


# --- fixtures and helpers -------------------------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


@lru_cache(maxsize=1)
def helper():
    """playbooks/files/capture_server.py, imported by path as the playbook runs it."""
    spec = importlib.util.spec_from_file_location("capture_server_helper", HELPER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def capture_files() -> list[Path]:
    return sorted(CAPTURES.glob("*.json"))


def arguments_of(document: dict[str, Any]) -> dict[str, Any]:
    """A capture's module arguments; the example's where the capture did not run a module."""
    example = read(EXAMPLE)["arguments"]
    return {module: (document.get("arguments") or {}).get(module) or example[module] for module in MODULES}


def stand_in_answers(host, arguments: dict[str, Any]) -> dict[str, Any]:
    """The three stand-ins' answers, without what Ansible adds (as the capture keeps them); health as the setup account."""
    runner = Runner(host)
    answers = {PROBE: runner.module(f"rpi.exchange.{PROBE}", arguments[PROBE]),
               STATUS: runner.module(f"rpi.exchange.{STATUS}", arguments[STATUS]),
               HEALTH: runner.module(f"rpi.exchange.{HEALTH}", arguments[HEALTH], become_user=SETUP_USER,
                                     become_password=PASSWORDS[SETUP_USER])}
    return {module: helper().raw_result(answer) for module, answer in answers.items()}


def simulated_capture(preset: str) -> dict[str, Any]:
    """A capture document of `preset`, made in-process from the stand-ins with the example's arguments."""
    arguments = arguments_of({})
    return {"schema_version": capture.SCHEMA_VERSION, "arguments": arguments,
            "results": stand_in_answers(presets.build(preset), arguments)}


def documented_returns(module: str) -> dict[str, Any]:
    """RETURN of plugins/modules/<module>.py, parsed without importing it."""
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text(encoding="utf-8"))
    text = next(node.value.value for node in tree.body
                if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "RETURN" for target in node.targets))
    return yaml.safe_load(text)


MISSING = object()


def at(document: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        if not isinstance(document, dict) or part not in document:
            return MISSING
        document = document[part]
    return document


# --- (a) the stand-ins keep the real modules' shape ---------------------------------------------------------------------
@pytest.mark.parametrize("capture_file", capture_files(), ids=lambda path: path.name)
@pytest.mark.parametrize("preset", SHAPE_PRESETS)
def test_the_stand_ins_answer_in_the_captures_shape(capture_file: Path, preset: str) -> None:
    document = read(capture_file)
    answers = stand_in_answers(presets.build(preset), arguments_of(document))
    problems = []
    for module in MODULES:
        captured = document["results"].get(module)
        if captured is not None:
            problems += shape_problems(answers[module], captured, module, module)
    assert not problems, (f"{preset} vs {capture_file.name}: the stand-ins and the capture differ; fix the stand-in, or if the "
                          f"module really changed, {REGENERATE}:\n- " + "\n- ".join(problems))


def test_the_shape_check_catches_a_drifting_stand_in() -> None:
    captured = read(EXAMPLE)["results"][PROBE]
    drifted = copy.deepcopy(captured)
    drifted["hardware"]["memory_bytes"] = "128 GB"
    drifted["os"].pop("build")
    drifted["new_field"] = 1
    drifted["environment"] = None
    problems = shape_problems(drifted, captured, PROBE, PROBE)
    assert len(problems) == 4, problems
    assert shape_problems(copy.deepcopy(captured), captured, PROBE, PROBE) == []


@pytest.mark.parametrize("capture_file", capture_files(), ids=lambda path: path.name)
def test_a_capture_has_every_documented_result_and_nothing_else(capture_file: Path) -> None:
    document = read(capture_file)
    for module in MODULES:
        result = document["results"].get(module)
        if result is None:
            assert module in document["not_run"], f"{module}: neither an answer nor the reason it did not run"
            continue
        returns = documented_returns(module)
        always = {name for name, doc in returns.items() if doc.get("returned") == "always"}
        assert always <= set(result), f"{module}: documented but not captured {sorted(always - set(result))}; {REGENERATE}"
        assert set(result) - {"changed"} <= set(returns), f"{module}: captured but not documented {sorted(set(result) - set(returns))}"


def test_the_null_fields_taken_from_the_docs_say_null_there() -> None:
    for pattern in NULL_IN_DOCS:
        module, field = pattern.split(".")[0], pattern.split(".")[1].split("[")[0]
        description = documented_returns(module)[field]["description"]
        text = " ".join(description) if isinstance(description, list) else description
        assert "null" in text, f"{pattern}: the documentation of {module}'s {field} never says null"


# --- (b) a capture starts the simulated server ----------------------------------------------------------------------------
def probe_again(state: capture.CaptureState) -> dict[str, Any]:
    return stand_in_answers(state.host, arguments_of(state.document))[PROBE]


def assert_reads_back(state: capture.CaptureState) -> None:
    captured, answer = capture.probe_of(state.document), probe_again(state)
    for path in state.mapped:
        want, got = at(captured, path), at(answer, path)
        if path == ("os", "last_boot_time"):
            want, got = parse_time(want), parse_time(got)
        assert got == want, f"{capture.field_name(path)}: captured {want!r}, the simulated probe reads {got!r}"


def test_the_example_capture_starts_the_server_it_was_made_from() -> None:
    state = capture.build(read(EXAMPLE))
    assert state.preset == "ws2022-exchange-se"
    assert_reads_back(state)
    sections = {path[0] for path in state.mapped}
    assert {"os", "computer", "hardware", "volumes", "registry", "features", "pending_reboot", "exchange", "setup_log"} <= sections
    assert [why for path, why in state.unmapped if path[0].startswith("results.")], "the unused answers are listed"


def test_a_capture_unlike_any_preset_reads_back_as_captured() -> None:
    document = read(EXAMPLE)
    probe = document["results"][PROBE]
    probe["computer"].update(hostname="EXCH-PRUEBA", dns_hostname="EXCH-PRUEBA")
    probe["hardware"].update(sockets=1, cores=4, logical_processors=4, memory_bytes=32 * 1024**3)
    probe["page_file_automatic"], probe["page_files"] = True, []
    probe["volumes"] = [probe["volumes"][0], {"drive_letter": "F", "label": "Datos", "file_system": "NTFS",
                                              "drive_type": "Fixed", "size_bytes": 100 * 1024**3, "free_bytes": 90 * 1024**3}]
    probe["network"] = [{"description": "Microsoft Hyper-V Network Adapter", "ipv4": ["192.168.50.7"], "dhcp_enabled": True}]
    probe["features"][0]["installed"] = False
    probe["pending_reboot"]["windows_update"] = True
    keys = list(probe["registry"])
    probe["registry"][keys[0]] = None
    probe["uninstall_entries"] = [{"key": "{A749D8E6-B613-3BE3-8F5F-045C84EBA29B}", "registry_view": "64",
                                   "display_name": "Microsoft Visual C++ 2013 x64 Minimum Runtime - 12.0.40664",
                                   "display_version": "12.0.40664", "version": 201367256, "install_date": "20251014"}]
    probe["service_start_types"]["pla"] = "Disabled"
    probe["exchange"]["exsetup_file_version"] = "15.02.2562.027"
    probe["winrm"].update(updated_config_present=False, execution_policy_gpo="RemoteSigned")
    for key, values in probe["registry"].items():  # a real capture says the same thing in both places
        if key.endswith("\\WSMAN") and values:
            values.pop("UpdatedConfig", None)
    line = "[12/01/2026 10:00:00.0000] [0] End of Setup\r\n"
    wanted = document["arguments"][PROBE]["setup_log_tail_bytes"]
    probe["setup_log"].update(tail=(line * (wanted // len(line) + 1))[-wanted:], size_bytes=2_000_000)
    state = capture.build(document)
    assert state.preset == "ws2022-exchange-se"
    assert not [path for path, _why in state.unmapped if not path[0].startswith("results.")], state.summary()
    assert_reads_back(state)
    assert state.host.fqdn == "EXCH-PRUEBA.rpi.gob.gt"


def test_what_a_capture_cannot_give_is_listed() -> None:
    document = read(EXAMPLE)
    probe = document["results"][PROBE]
    probe["volumes"].append({"drive_letter": "E", "label": "EXCHANGESERVERSE", "file_system": "UDF", "drive_type": "CDROM",
                             "size_bytes": 6_000_000_000, "free_bytes": 0})
    probe["wmi"] = {"available": False, "error": "The service cannot be started ... (Exception from HRESULT: 0x80070422)"}
    probe["hardware"] = probe["network"] = probe["features"] = None
    probe["service_start_types"]["Winmgmt"] = "Disabled"
    probe["exchange"]["setup_processes"] = [{"name": "ExSetup.exe", "pid": 4242, "executable_path": None}]
    probe["a_future_section"] = {"x": 1}
    state = capture.build(document)
    unmapped = {capture.field_name(path): why for path, why in state.unmapped}
    for name in ("volumes", "hardware", "network", "features", "exchange.setup_processes", "a_future_section", "wmi.error"):
        assert name in unmapped, (name, unmapped)
    assert "CDROM" in unmapped["volumes"] and "does not know" in unmapped["a_future_section"]
    assert probe_again(state)["wmi"]["available"] is False  # Winmgmt disabled, as the capture's WMI was
    text = state.summary()
    assert "ws2022-exchange-se" in text and "a_future_section" in text


@pytest.mark.parametrize("preset, expected", [
    ("ws2022-bare", "ws2022-bare"), ("ws2022-ready", "ws2022-ready"), ("ws2019-core-ready", "ws2019-core-ready"),
    ("ws2025-ready", "ws2025-ready"), ("ws2022-ready-workgroup", "ws2022-ready-workgroup"),
    ("ws2022-exchange-ready", "ws2022-ready"), ("ws2022-exchange-2019-cu15", "ws2022-exchange-2019-cu15"),
    ("ws2019-exchange-se", "ws2019-exchange-se"), ("ws2022-exchange-interrupted", "ws2022-exchange-interrupted"),
    ("ws2022-exchange-upgrade-failed", "ws2022-exchange-upgrade-failed"),
])
def test_the_closest_preset_is_the_one_the_capture_was_made_from(preset: str, expected: str) -> None:
    state = capture.build(simulated_capture(preset))
    assert state.preset == expected
    assert_reads_back(state)


def test_make_simulator_starts_from_a_capture(tmp_path: Path) -> None:
    """`make simulator CAPTURE=<file>` runs `python -m simulator --capture <file>`: it says what it mapped and listens."""
    command = [sys.executable, "-m", "simulator", "--capture", str(EXAMPLE), "--speed", "0", "--workdir", str(tmp_path / "work"),
               "--inventory", str(tmp_path / "inventory.yml"), "--inventory-dir", str(ROOT / "inventories" / "simulated")]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests"))
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "listening on" in line:
                break
        process.send_signal(signal.SIGTERM)
        lines += process.stdout.readlines()
        assert process.wait(timeout=30) == 0, "".join(lines)
    output = "".join(lines)
    assert "started from preset ws2022-exchange-se" in output and "(ws2022-exchange-se) listening on https://127.0.0.1:" in output
    assert (tmp_path / "inventory.yml").is_file()
    refused = subprocess.run(command[:3] + ["--capture", str(PLAYBOOK)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
                             check=False)
    assert refused.returncode == 2 and "not a readable JSON file" in refused.stderr


# --- (c) the scrub step -------------------------------------------------------------------------------------------------------
PLANTED_PASSWORD = "Planted-Setup-Pass-7781"
PLANTED_KEY = "PLNTD-7KEY1-ABCDE-FGHIJ-KLMN2"
PLANTED_TASK_PASSWORD = "Planted-Task-Pass-4410"
PLANTED_TEXT = "Planted-Text-Pass-9931"


def planted_input() -> dict[str, Any]:
    """What the playbook hands the scrub step, with secrets where a real server could echo them."""
    document = read(EXAMPLE)
    results = copy.deepcopy(document["results"])
    results[PROBE]["invocation"] = {"module_args": {"setup_log_tail_bytes": 10, "password": PLANTED_PASSWORD}}
    results[PROBE]["failed"] = False
    results[PROBE]["setup_log"]["tail"] += f"[0] Command line: Setup.exe /Mode:Install /PK:{PLANTED_KEY} as {PLANTED_PASSWORD}\r\n"
    results[STATUS]["task"] = {"task_exists": True, "state": {"status": "TASK_STATE_READY", "last_task_result": 0, "last_run_time": None},
                               "actions": [{"Path": "E:\\Setup.exe", "Arguments": f"/Mode:Upgrade /ProductKey:{PLANTED_KEY}"}],
                               "principal": {"user_id": "RPI\\svc-exchange", "password": PLANTED_TASK_PASSWORD}}
    results[HEALTH]["shell"]["messages"] = [f"Connecting failed: password={PLANTED_TEXT}"]
    return {"captured_at": "2026-12-05T10:00:00Z", "ansible_core": "2.19.14", "role": "Mailbox", "check_mode": False,
            "arguments": document["arguments"], "results": results, "not_run": {}, "secrets": [PLANTED_PASSWORD, "", "abc"]}


def test_the_scrub_step_removes_planted_secrets_and_says_where() -> None:
    document = helper().capture_document(planted_input())
    text = json.dumps(document)
    for secret in (PLANTED_PASSWORD, PLANTED_KEY, PLANTED_TASK_PASSWORD, PLANTED_TEXT):
        assert secret not in text
    fields = {item["field"]: item["why"] for item in document["scrubbed"]["fields"]}
    assert fields == {
        f"results.{PROBE}.setup_log.tail": "product key or password= text",
        f"results.{STATUS}.task.actions[0].Arguments": "product key or password= text",
        f"results.{STATUS}.task.principal.password": "secret name",
        f"results.{HEALTH}.shell.messages[0]": "product key or password= text",
    }
    assert document["scrubbed"]["rules"]
    probe = document["results"][PROBE]
    assert "invocation" not in probe and "failed" not in probe  # what Ansible adds is not the module's answer
    # Registry keys and value names that only look secret are data the product reads.
    assert probe["exchange"]["setup_key"]["MsiBuildMajor"] and probe["uninstall_entries"] == read(EXAMPLE)["results"][PROBE]["uninstall_entries"]


def test_the_scrub_step_removes_an_inventory_password_found_anywhere() -> None:
    data = planted_input()
    data["results"][HEALTH]["errors"] = [{"source": "Get-ExchangeServer", "message": f"logon as svc-exchange {PLANTED_PASSWORD} failed"}]
    document = helper().capture_document(data)
    assert PLANTED_PASSWORD not in json.dumps(document)
    assert {"field": f"results.{HEALTH}.errors[0].message", "why": "inventory secret"} in document["scrubbed"]["fields"]


def test_a_flag_under_a_secret_looking_name_is_kept() -> None:
    data = planted_input()
    data["results"][PROBE]["registry"]["HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa"] = {"LimitBlankPasswordUse": 1}
    document = helper().capture_document(data)
    assert document["results"][PROBE]["registry"]["HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa"] == {"LimitBlankPasswordUse": 1}


def test_the_scrub_step_runs_as_the_playbook_runs_it() -> None:
    """`capture_server.py document` with the registered results on stdin, in a Python that has not imported the collection."""
    done = subprocess.run([sys.executable, str(HELPER), "document"], input=json.dumps(planted_input()), capture_output=True,
                          text=True, timeout=60, check=True)
    document = json.loads(done.stdout)
    assert PLANTED_KEY not in done.stdout and PLANTED_PASSWORD not in done.stdout
    assert document["schema_version"] == capture.SCHEMA_VERSION and document["host"] == {"name": "RPI-EXCH01"}


def test_the_example_holds_no_password_of_the_simulated_domain() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert not [user for user, password in PASSWORDS.items() if password in text]


# --- the playbook asks what the product asks, and only reads ------------------------------------------------------------
def playbook_tasks() -> list[dict[str, Any]]:
    return yaml.safe_load(PLAYBOOK.read_text(encoding="utf-8"))[0]["tasks"]


def test_the_playbook_passes_every_argument_the_product_gives() -> None:
    done = subprocess.run([sys.executable, str(HELPER), "arguments", "--role", "Mailbox"], capture_output=True, text=True,
                          timeout=60, check=True)
    product = json.loads(done.stdout)
    for module in MODULES:
        task = next(task for task in playbook_tasks() if f"rpi.exchange.{module}" in task)
        assert set(task[f"rpi.exchange.{module}"]) == set(product[module]), module
    assert product[STATUS]["wait_seconds"] == 0


def test_the_playbook_only_reads_the_server() -> None:
    reads = {f"rpi.exchange.{module}" for module in MODULES}
    for task in playbook_tasks():
        action = next(key for key in task if "." in key and key.split(".")[0] in ("rpi", "ansible"))
        if action in reads or action in ("ansible.builtin.set_fact", "ansible.builtin.debug"):
            continue
        assert action in ("ansible.builtin.command", "ansible.builtin.copy") and task["delegate_to"] == "localhost", task["name"]
    secret_tasks = [task for task in playbook_tasks() if "secrets" in json.dumps(task) or task.get("become")]
    assert secret_tasks and all(task.get("no_log") is True for task in secret_tasks)
