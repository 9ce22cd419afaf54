"""rpi.exchange.exchange_facts through the real WinRM path against simulator presets."""

from __future__ import annotations

import json

import pytest

PLAYBOOK = "tests/integration/playbooks/exchange_facts.yml"


def probe_status(run):
    """How the probe task ended ("ok", "changed", "failed"...): it must never report a change."""
    lines = run.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("TASK [Probe the server]"))
    return next(line.split(":", 1)[0] for line in lines[start + 1:] if line.strip())


def read_facts(simulator_factory, ansible_playbook, tmp_path, preset, *args):
    simulator = simulator_factory(preset)
    output = tmp_path / "facts.json"
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, *args, extra_vars={"facts_output": str(output)})
    assert run.rc == 0, run.output
    return json.loads(output.read_text()), simulator, run


def test_fresh_server_lacking_prerequisites(simulator_factory, ansible_playbook, tmp_path):
    facts, simulator, run = read_facts(simulator_factory, ansible_playbook, tmp_path, "ws2022-bare")
    assert facts["os"]["key"] == "WS2022"
    assert facts["os"]["installation_type"] == "DesktopExperience"
    assert facts["computer"]["domain"] == "rpi.gob.gt"
    assert facts["computer"]["is_domain_controller"] is False
    assert facts["exchange"]["installed"] is False
    assert "Server-Media-Foundation" in facts["features"]["missing"]
    assert not facts["prerequisites"]["ucma4"]["installed"]
    # One module call: the probe is a single WinRM command.
    assert simulator.server.log.summary()["executions"] == {"rpi.exchange.win_exchange_probe": 1}
    assert probe_status(run) == "ok"


def test_ready_server_core_2019(simulator_factory, ansible_playbook, tmp_path):
    facts = read_facts(simulator_factory, ansible_playbook, tmp_path, "ws2019-core-ready")[0]
    assert facts["os"]["key"] == "WS2019"
    assert facts["os"]["installation_type"] == "ServerCore"
    assert all(item["installed"] for item in facts["prerequisites"].values()), facts["prerequisites"]
    assert facts["features"]["missing"] == []
    assert facts["dotnet"]["version"] == "4.8"


@pytest.mark.parametrize("preset, label", [
    ("ws2022-exchange-2019-cu14", "2019 CU14"),
    ("ws2022-exchange-2019-cu15", "2019 CU15"),
    ("ws2022-exchange-se", "SE RTM"),
])
def test_installed_exchange(simulator_factory, ansible_playbook, tmp_path, preset, label):
    facts = read_facts(simulator_factory, ansible_playbook, tmp_path, preset)[0]
    assert facts["exchange"]["installed"] is True
    assert facts["exchange"]["label"] == label
    assert "Mailbox" in facts["exchange"]["roles"]
    assert facts["setup_log"]["last_run"]["outcome"] == "succeeded"


def test_interrupted_setup_and_triage(simulator_factory, ansible_playbook, tmp_path):
    facts = read_facts(simulator_factory, ansible_playbook, tmp_path, "ws2022-exchange-interrupted")[0]
    assert facts["exchange"]["installed"] is False
    assert facts["exchange"]["interrupted"], facts["exchange"]
    assert facts["setup_log"]["last_run"]["outcome"] in ("failed", "incomplete")


@pytest.mark.parametrize("preset, check", [
    ("ws2022-ready-pending-reboot-cbs", lambda f: f["pending_reboot"]["sources"] == ["component_based_servicing"]),
    ("ws2022-ready-pending-reboot-pfro", lambda f: f["pending_reboot"]["sources"] == ["session_manager"]),
    ("ws2022-ready-low-ram", lambda f: f["hardware"]["memory_gb"] == 8.0),
    ("ws2022-ready-workgroup", lambda f: f["computer"]["domain_joined"] is False),
    ("ws2022-ready-domain-controller", lambda f: f["computer"]["is_domain_controller"] is True),
])
def test_presets_are_read_right(simulator_factory, ansible_playbook, tmp_path, preset, check):
    facts = read_facts(simulator_factory, ansible_playbook, tmp_path, preset)[0]
    assert check(facts), json.dumps(facts, indent=1)


def test_check_mode_reads_the_same(simulator_factory, ansible_playbook, tmp_path):
    facts, _simulator, run = read_facts(simulator_factory, ansible_playbook, tmp_path, "ws2022-exchange-2019-cu15", "--check")
    assert facts["exchange"]["label"] == "2019 CU15"
    assert probe_status(run) == "ok"
