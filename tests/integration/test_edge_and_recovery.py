"""Issue 17, items 5 and 4, end to end: an Edge Transport server in a workgroup (norm 5.1 by its primary DNS suffix),
and a lost server rebuilt with the same name (/Mode:RecoverServer only when the IT Head ordered it).

Each test checks the server through the simulator's own state, and the run report.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from simulator import credentials
from simulator.exchange.runtime import model_for
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"
TCPIP = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"
EXCHANGE_SETUP_KEY = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\Setup"
# The Mailbox server's options the simulated RPI inventory gives its group: an Edge server's inventory has none.
MAILBOX_ONLY = ("rpi_exchange_database", "rpi_exchange_organization_name")
EDGE_ROLE_KEY = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15\EdgeTransportRole"
# The Edge Transport server's services [S6 services-overview; exchange-facts §5.2].
EDGE_SERVICES = ("ADAM_MSExchange", "MSExchangeEdgeCredential", "MSExchangeTransport", "MSExchangeAntispamUpdate",
                 "MSExchangeDiagnostics", "MSExchangeHM", "MSExchangeServiceHost", "MSExchangeTransportLogSearch")


def activity_statuses(report: dict) -> dict[int, str]:
    return {activity["number"]: activity["status"] for activity in report["activities"]}


def evidence_of(report: dict, number: int) -> list[dict]:
    return next(activity for activity in report["activities"] if activity["number"] == number)["evidence"]


def edge_inventory(simulator) -> Path:
    """The simulated RPI inventory the launcher wrote for an Edge preset: role EdgeTransport, no Mailbox options, and
    setup run as the server's local Administrator (a workgroup server knows no domain account)."""
    path = Path(simulator.inventory_path)
    group = yaml.safe_load(path.read_text(encoding="utf-8"))["all"]["children"]["rpi_exchange_servers"]
    assert group["vars"]["rpi_exchange_role"] == "EdgeTransport"
    assert not any(name in group["vars"] for name in MAILBOX_ONLY), group["vars"]
    assert group["hosts"]["rpi-exch01"]["rpi_exchange_setup_user"] == credentials.LOCAL_WINRM_USER
    return path


def test_an_edge_server_is_the_rpis_by_its_dns_suffix(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-edge-workgroup")
    inventory = edge_inventory(simulator)
    host = simulator.host

    # Another organisation's suffix: refused in activity 1, before anything changes.
    host.registry.set_value(TCPIP, "NV Domain", "mineco.gob.gt")
    before = snapshot(host)
    refused = ansible_playbook(PLAYBOOK, inventory, "-e", f"@{instruction_file}")
    assert refused.rc != 0
    assert "Norma 5.1" in refused.stdout and "sufijo DNS principal" in refused.stdout and "mineco.gob.gt" in refused.stdout, \
        refused.output
    assert differences(before, snapshot(host)) == []
    assert activity_statuses(refused.latest_report())[1] == "failed"

    # The RPI's suffix: activity 1 passes by the Edge rule, activity 2 reads no AD and prepares Edge's prerequisites,
    # activity 8 installs the Edge Transport role, 9-11 verify it and report.
    host.registry.set_value(TCPIP, "NV Domain", "rpi.gob.gt")
    run = ansible_playbook(PLAYBOOK, inventory, "-e", f"@{instruction_file}")
    report = run.latest_report()
    statuses = activity_statuses(report)
    assert run.rc == 0 and all(statuses[number] == "done" for number in range(1, 12)), (statuses, run.output)
    guard = [item for item in evidence_of(report, 1) if "norm_5_1_rule" in item.get("details", {})]
    assert guard and guard[0]["details"]["norm_5_1_rule"] == "edge_dns_suffix", evidence_of(report, 1)
    assert "perimetral" in guard[0]["summary_es"]
    assert "adlds" in host.features.installed  # Edge's Windows feature (AD LDS), installed by activity 2
    model = model_for(host)
    assert "/Roles:EdgeTransport" in " ".join(model.runs[-1].run.argv), run.output
    assert host.registry.get_value(EDGE_ROLE_KEY, "ConfiguredVersion"), "the Edge role key"
    for name in EDGE_SERVICES:
        assert host.get_service(name) is not None and host.get_service(name).state == "running", name
    assert host.get_service("MSExchangeIS") is None and host.get_service("MSExchangeADTopology") is None
    # Its server object is in its own AD LDS, not in the forest; no organisation, no mailbox database.
    assert model.edge_server is not None and model.org.server(host.hostname) is None and not model.database_name
    assert report["run"]["status"] == "succeeded", report["run"]
    # Activity 9's verification: the Edge's own checks (its services, Test-ServiceHealth, its server object in the Edge
    # shell), none of the Mailbox server's web endpoints.
    verified = next(item for item in evidence_of(report, 9) if "checks" in item.get("details", {}))
    checks = {check["name"]: check for check in verified["details"]["checks"]}
    assert all(check["ok"] for check in checks.values()), checks
    assert "health_endpoints" not in checks and checks["exchange_server"]["expected"] == "EdgeTransport", checks
    assert {"services", "service_health", "component_states", "management_shell"} <= set(checks), checks


def test_a_lost_server_is_recovered_only_when_the_it_head_ordered_it(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-lost-server")
    host = simulator.host
    lost = model_for(host).org.server(host.hostname)
    assert lost is not None and not host.registry.key_exists(EXCHANGE_SETUP_KEY)

    # Without the IT Head's order: activity 2's check of activity 3's decision stops the run before any change (the
    # prerequisites come after it), saying what it found; nothing changes on the server or in AD.
    before = snapshot(host)
    refused = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert refused.rc != 0
    for words in ("en la actividad 2", "C:\\Exchange Server\\V15", "purpose: recover_server", "norma 5.6"):
        assert words in refused.stdout, refused.output
    assert differences(before, snapshot(host)) == []
    assert "is not one of" not in refused.output, "a refusal gives the report no setup mode"
    assert model_for(host).runs == [] and model_for(host).org.server(host.hostname) is lost
    statuses = activity_statuses(refused.latest_report())
    assert statuses[1] == "done" and statuses[2] == "failed", statuses

    # With it: /Mode:RecoverServer in the path AD recorded, the same verification and report, which says "recuperación".
    ordered = Path(instruction_file).with_name("instruccion-recuperacion.yml")
    instruction = yaml.safe_load(Path(instruction_file).read_text(encoding="utf-8"))
    instruction["rpi_exchange_instruction"]["purpose"] = "recover_server"
    ordered.write_text(yaml.safe_dump(instruction, allow_unicode=True), encoding="utf-8")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{ordered}")
    assert run.rc == 0, run.output
    argv = model_for(host).runs[-1].run.arguments  # as the scheduled task passed it, quotes included
    assert "/Mode:RecoverServer" in argv and '/TargetDir:"C:\\Exchange Server\\V15"' in argv, argv
    assert host.registry.key_exists(EXCHANGE_SETUP_KEY)
    assert host.get_service("MSExchangeIS").state == "running"
    report = run.latest_report()
    statuses = activity_statuses(report)
    assert all(statuses[number] == "done" for number in range(1, 12)), statuses
    assert report["target"]["mode"] == "recoverserver", report["target"]
    assert "recuperación" in (run.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
