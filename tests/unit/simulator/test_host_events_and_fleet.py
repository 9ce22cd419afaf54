"""What the benchmarks (benchmarks/run.py) need from the simulator: host events with real timestamps, and many servers."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from simulator import launch, presets

ROOT = Path(__file__).resolve().parents[3]


def test_process_start_and_exit_are_events_with_the_wall_clock():
    host = presets.build("ws2022-bare")
    before = time.time()
    proc = host.start_process("Setup.exe", "E:\\Setup.exe /Mode:Install", duration=0.0)
    host.poll()  # speed 0: a timed process ends at the next look
    kinds = [(event.kind, event.name, event.detail) for event in host.events if event.time >= before]
    assert ("process_start", "Setup.exe", "") in kinds and ("process_exit", "Setup.exe", "rc=0") in kinds
    assert proc.pid not in host.processes
    assert all(before <= event.time <= time.time() for event in host.events if event.time >= before)


def test_a_restart_is_a_down_and_an_up_event():
    host = presets.build("ws2022-bare")
    host.reboot(0, "bench: restart")
    host.poll()
    events = [(event.kind, event.name, event.detail) for event in host.events if event.name in ("reboot", "winrm")]
    assert events[-2:] == [("down", "reboot", "bench: restart"), ("up", "reboot", "bench: restart")]
    host.restart_winrm(0)
    host.poll()
    assert [(event.kind, event.name) for event in host.events[-2:]] == [("down", "winrm"), ("up", "winrm")]


def test_a_fleet_is_one_inventory_of_separate_servers(tmp_path):
    with launch.start_fleet("ws2022-bare", 3, tmp_path, latency=0.001, inventory_dir=ROOT / "inventories" / "simulated") as fleet:
        assert list(fleet.servers) == ["rpi-exch01", "rpi-exch02", "rpi-exch03"]
        document = yaml.safe_load(fleet.inventory_path.read_text(encoding="utf-8"))
        group = document["all"]["children"][launch.GROUP]
        assert list(group["hosts"]) == list(fleet.servers)
        ports = {name: host_vars["ansible_port"] for name, host_vars in group["hosts"].items()}
        assert len(set(ports.values())) == 3
        assert all(fleet.servers[name].server.port == port for name, port in ports.items())
        # Every server is a clone of the RPI server: the RPI's host variables apply to each.
        assert all(host_vars["rpi_exchange_server_hostname"] == "RPI-EXCH01" for host_vars in group["hosts"].values())
        assert group["vars"]["rpi_exchange_rpi_domain"] == "rpi.gob.gt"
        hosts = [running.host for running in fleet.servers.values()]
        hosts[0].reboot(0, "only this one")
        hosts[0].poll()
        assert hosts[0].reboot_count == 1 and hosts[1].reboot_count == 0  # separate models
        assert all(running.server.latency == 0.001 for running in fleet.servers.values())
    assert all(not running.server.listening for running in fleet.servers.values())


def test_a_single_server_inventory_is_unchanged(tmp_path):
    with launch.start("ws2022-bare", tmp_path) as running:
        group = yaml.safe_load(running.inventory_path.read_text(encoding="utf-8"))["all"]["children"][launch.GROUP]
        assert list(group["hosts"]) == [launch.INVENTORY_HOSTNAME] and "vars" not in group


def test_an_edge_preset_gets_an_edge_inventory(tmp_path):
    """Issue 17, item 5: the Edge presets' inventory has the Edge role, none of the Mailbox-only options (activity 2
    refuses them for Edge), and setup runs as the workgroup server's local Administrator."""
    with launch.start("ws2022-edge-workgroup", tmp_path, inventory_dir=ROOT / "inventories" / "simulated") as running:
        group = yaml.safe_load(running.inventory_path.read_text(encoding="utf-8"))["all"]["children"][launch.GROUP]
        assert group["vars"]["rpi_exchange_role"] == "EdgeTransport"
        assert not set(launch.MAILBOX_ONLY_OPTIONS) & set(group["vars"]), group["vars"]
        assert group["vars"]["rpi_exchange_rpi_domain"] == "rpi.gob.gt"  # the RPI's other options stay
        host_vars = group["hosts"][launch.INVENTORY_HOSTNAME]
        assert host_vars["rpi_exchange_setup_user"] == host_vars["ansible_user"]
