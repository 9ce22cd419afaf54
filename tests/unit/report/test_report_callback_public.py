"""The report callback reads the run's variables through ansible-core's public interfaces only (issue 15, item 4).

No `manager._inventory` or other private attribute of ansible-core's variable and inventory machinery: the hosts come from
`v2_runner_on_start(host, task)`, their variables from `play.get_variable_manager().get_vars(...)`, and only the values of
the secret names (the roles' `no_log` variables, ansible-core's connection and become passwords, the scrubber's name
patterns), the technician and the report language are made plain (decrypted); never a whole scope.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.callback import procedure_report
from ansible_collections.rpi.exchange.plugins.callback.procedure_report import CallbackModule
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import MASK

SOURCE = Path(procedure_report.__file__)
# The task's and the playbook's own identity and place, which ansible-core's callbacks read the same way (its default
# callback keys its banners on `task._uuid`) and for which ansible-core 2.19-2.21 offer no public accessor. Nothing about
# variables, hosts or the inventory.
TASK_IDENTITY = frozenset(("_uuid", "_role", "_parent", "_file_name"))


def _private_reads(tree: ast.AST) -> set[str]:
    """Underscore attributes the module reads from objects other than itself (`x._y`, `getattr(x, "_y")`)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            found.add(node.attr)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("getattr", "hasattr", "setattr"):
            if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) and str(node.args[1].value).startswith("_"):
                found.add(str(node.args[1].value))
    return found


def test_the_callback_reads_no_private_attribute_of_ansible_core():
    found = _private_reads(ast.parse(SOURCE.read_text(encoding="utf-8")))
    assert "_inventory" not in found
    assert found <= TASK_IDENTITY, f"private ansible-core attributes read: {sorted(found - TASK_IDENTITY)}"


def test_the_scan_finds_what_it_looks_for():
    code = 'inventory = getattr(manager, "_inventory", None)\nhosts = manager._inventory.hosts\nself._x = 1\n'
    assert _private_reads(ast.parse(code)) == {"_inventory"}


# --- a run, with ansible-core's objects reduced to their public interface -------------------------------------------------


class PublicOnly:
    """Any underscore attribute read on it fails, as it would on an ansible-core without it."""

    def __getattr__(self, name):
        raise AssertionError(f"the callback read the private attribute {name!r}")


class Vaulted(PublicOnly):
    """A vaulted value: it becomes text only through transform_to_native_types."""

    def __init__(self, plain: str) -> None:
        self.plain = plain


class Host(PublicOnly):
    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self):
        return self.name


class Manager(PublicOnly):
    def __init__(self, play_vars: dict, host_vars: dict[str, dict]) -> None:
        self.play_vars, self.host_vars, self.calls = play_vars, host_vars, []

    def get_vars(self, play=None, host=None, include_hostvars=True):
        self.calls.append((host.get_name() if host else None, include_hostvars))
        names = {"ansible_play_hosts_all": list(self.host_vars)}
        return {**names, **self.play_vars} if host is None else {**names, **self.play_vars, **self.host_vars[host.get_name()]}


class Role(PublicOnly):
    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self):
        return self.name

    def get_parents(self):
        return []


class Play(PublicOnly):
    def __init__(self, manager: Manager, roles: list[str]) -> None:
        self.manager, self.roles = manager, [Role(name) for name in roles]

    def get_variable_manager(self):
        return self.manager

    def get_roles(self):
        return list(self.roles)


class Display:
    def __init__(self) -> None:
        self.warnings: list[str] = []

    def warning(self, message):
        self.warnings.append(message)

    def vv(self, message):
        pass

    def display(self, *args, **kwargs):
        pass


@pytest.fixture(name="natives")
def fixture_natives(monkeypatch):
    """What the callback makes plain (decrypts), value by value."""
    seen: list[object] = []

    def transform(value, redact=True):
        seen.append(value)
        assert redact is False
        if isinstance(value, Vaulted):
            return value.plain
        if isinstance(value, dict):
            return {key: transform(item, redact) for key, item in value.items()}
        return value

    monkeypatch.setattr(procedure_report, "transform_to_native_types", transform)
    return seen


@pytest.fixture(name="callback")
def fixture_callback(monkeypatch, tmp_path):
    callback = CallbackModule()
    callback._display = Display()
    options = {"enabled": True, "report_dir": str(tmp_path / "reports"), "timezone": "UTC", "language": "es"}
    monkeypatch.setattr(callback, "get_option", lambda name: options[name])
    monkeypatch.setattr(callback, "get_option_and_origin", lambda name: (options[name], "default"))
    monkeypatch.setattr(procedure_report.atexit, "register", lambda function: None)
    monkeypatch.delenv(v.RUN_DIR_ENV, raising=False)
    return callback


HOST_VARS = {
    "rpi-exch01": {
        "ansible_password": Vaulted("WinRM-Secret-1207"),  # a connection password
        "rpi_exchange_setup_password": Vaulted("Setup-Secret-3388"),  # declared no_log by the roles
        "fixture_api_token": "Token-Secret-5150",  # secret by the scrubber's name patterns
        "rpi_exchange_notice": {"smtp_host": "relay.rpi.gob.gt", "smtp_password": Vaulted("Smtp-Secret-6023")},  # nested
        "rpi_exchange_media": {"iso": Vaulted("not-a-secret-path.iso")},  # not secret: never decrypted
        "rpi_exchange_technician": {"name": "Téc. Ana Gómez", "position": "Técnica de Operaciones"},
        "rpi_exchange_report_language": "en",
    },
}
SECRETS = ("WinRM-Secret-1207", "Setup-Secret-3388", "Token-Secret-5150", "Smtp-Secret-6023")


def test_the_hosts_come_from_ansible_core_and_only_secret_values_are_made_plain(callback, natives):
    manager = Manager({"rpi_exchange_release": "SE-RTM"}, HOST_VARS)
    play = Play(manager, ["prepare_server"])
    host = Host("rpi-exch01")
    callback.v2_playbook_on_play_start(play)
    assert manager.calls == [(None, False)], "the play's variables; no host is known yet"
    callback.v2_runner_on_start(host, PublicOnly())
    assert manager.calls[-1] == ("rpi-exch01", False)
    for secret in SECRETS:
        assert callback._scrubber.text(f"uses {secret}") == f"uses {MASK}", "learnt"
    made_plain = {value.plain if isinstance(value, Vaulted) else value for value in natives if not isinstance(value, (dict, list))}
    assert "not-a-secret-path.iso" not in made_plain and "SE-RTM" not in made_plain and "relay.rpi.gob.gt" not in made_plain
    assert not any(isinstance(value, dict) and "rpi_exchange_media" in value for value in natives), "never a whole scope"


def test_the_report_follows_the_technician_and_language_of_the_hosts_and_masks_their_secrets(callback, natives, tmp_path):
    manager = Manager({}, HOST_VARS)
    play = Play(manager, ["prepare_server"])
    callback.v2_playbook_on_play_start(play)
    report = next((tmp_path / "reports").glob("*/report.json"))
    assert json.loads(report.read_text(encoding="utf-8"))["presentation"]["language"] == "es", "before any host is reached"
    task = PublicOnly()
    callback._recorder.task_started(procedure_report.TaskInfo(uuid="t1", name="Sign in with WinRM-Secret-1207", action="debug",
                                                              activity=2, in_role=True), procedure_report.utc_now())
    callback._write_due = True
    callback.v2_runner_on_start(Host("rpi-exch01"), task)
    text = report.read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["presentation"]["language"] == "en"
    assert document["run"]["technician"] == {"name": "Téc. Ana Gómez", "position": "Técnica de Operaciones", "source": "variable"}
    assert not any(secret in text for secret in SECRETS)
    assert f"Sign in with {MASK}" in text
    assert callback._display.warnings == []


def test_a_later_play_does_not_change_the_report_language(callback, natives, tmp_path):
    callback.v2_playbook_on_play_start(Play(Manager({}, HOST_VARS), ["prepare_server"]))
    callback.v2_runner_on_start(Host("rpi-exch01"), PublicOnly())
    other = {"rpi-exch02": {"rpi_exchange_report_language": "es"}}
    callback.v2_playbook_on_play_start(Play(Manager({}, other), ["verify_installation"]))
    callback.v2_runner_on_start(Host("rpi-exch02"), PublicOnly())
    assert callback._recorder.document(procedure_report.utc_now())["presentation"]["language"] == "en"


def test_the_declared_secrets_are_the_roles_no_log_variables_and_the_connection_passwords():
    names = procedure_report._declared_secrets()
    assert {"rpi_exchange_setup_password", "ansible_password", "ansible_become_password", "ansible_become_pass",
            "ansible_winrm_password"} <= names
    assert "rpi_exchange_media" not in names
