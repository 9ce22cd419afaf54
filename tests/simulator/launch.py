"""Start and stop a simulated RPI server, and write the inventory that reaches it.

The tests, `make simulator` and `make demo` all start the server through `start()`, so they
exercise the same thing: a WS-Man endpoint on an ephemeral loopback port, HTTPS with a test CA
made at start-up, certificate validation on in the inventory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import credentials, presets
from .exchange.presets import EDGE_PRESETS
from .clock import Clock
from .host import SimulatedServer
from .windows.state import WindowsHost
from .wsman import WSManServer

GROUP = "rpi_exchange_servers"
INVENTORY_HOSTNAME = "rpi-exch01"
# The Mailbox server's options of the RPI's group variables: activity 2 refuses them for an Edge Transport server, which
# has no organisation and no mailbox database (issue 17, item 5).
MAILBOX_ONLY_OPTIONS = ("rpi_exchange_database", "rpi_exchange_organization_name")


@dataclass
class RunningSimulator:
    host: WindowsHost
    server: WSManServer
    workdir: Path
    inventory_path: Path
    host_vars: dict[str, Any] = field(default_factory=dict)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def inventory_document(host_vars: dict[str, Any], group_vars: dict[str, Any] | None = None) -> dict[str, Any]:
    """One inventory with the RPI server group, the simulated host and its connection settings."""
    return fleet_inventory_document({INVENTORY_HOSTNAME: host_vars}, group_vars)


def fleet_inventory_document(hosts: dict[str, dict[str, Any]], group_vars: dict[str, Any] | None = None) -> dict[str, Any]:
    """One inventory with the RPI server group holding `hosts` (inventory name -> host variables)."""
    group: dict[str, Any] = {"hosts": dict(hosts)}
    if group_vars:
        group["vars"] = group_vars
    return {"all": {"children": {GROUP: group}}}


def _yaml_file(path: Path) -> dict[str, Any]:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


def write_inventory(path: Path, host_vars: dict[str, Any], inventory_dir: Path | None = None, *, edge: bool = False) -> Path:
    """Write one self-contained inventory. With `inventory_dir` (e.g. inventories/simulated), its group and
    host variables for the RPI server are embedded, so the file works alone with `-i`. With `edge`, the server is an
    Edge Transport server: role EdgeTransport, none of the Mailbox-only options."""
    return write_fleet_inventory(path, {INVENTORY_HOSTNAME: host_vars}, inventory_dir, edge=edge)


def edge_group_vars(group_vars: dict[str, Any] | None) -> dict[str, Any]:
    """The RPI's group variables for an Edge Transport server: the Edge role, without the Mailbox-only options."""
    out = {name: value for name, value in (group_vars or {}).items() if name not in MAILBOX_ONLY_OPTIONS}
    out["rpi_exchange_role"] = "EdgeTransport"
    return out


def write_fleet_inventory(path: Path, hosts: dict[str, dict[str, Any]], inventory_dir: Path | None = None, *,
                          edge: bool = False) -> Path:
    """`write_inventory` for several simulated servers. Every server is a clone of the RPI server (same Windows host
    name and domain), so each gets the host variables `inventory_dir` has for it."""
    group_vars = None
    if inventory_dir is not None:
        group_vars = _yaml_file(inventory_dir / "group_vars" / f"{GROUP}.yml") or None
        rpi_host = _yaml_file(inventory_dir / "host_vars" / f"{INVENTORY_HOSTNAME}.yml")
        hosts = {name: {**rpi_host, **host_vars} for name, host_vars in hosts.items()}
    if edge:
        group_vars = edge_group_vars(group_vars)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = ("# Written by the simulated RPI server (tests/simulator). Test credentials of a simulated\n"
              "# domain only. Regenerated at every start: do not edit.\n")
    path.write_text(header + yaml.safe_dump(fleet_inventory_document(hosts, group_vars), sort_keys=False), encoding="utf-8")
    return path


def start(preset: str = presets.DEFAULT_PRESET, workdir: Path | str = ".", *, inventory_path: Path | str | None = None,
          speed: float = 0.0, scheme: str = "https", latency: float = 0.0, log_path: Path | str | None = None,
          inventory_dir: Path | None = None, host: WindowsHost | None = None) -> RunningSimulator:
    """Build the preset's host (or use `host`), start the endpoint, write the inventory."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    host = host if host is not None else presets.build(preset, clock=Clock(speed=speed))
    server = WSManServer(SimulatedServer(host, transport=scheme), scheme=scheme, ca_dir=workdir / "ca", latency=latency,
                         log_path=log_path).start()
    winrm_user = credentials.winrm_user(host.domain_member)
    host_vars = server.inventory_vars(winrm_user, credentials.password_of(winrm_user))
    # The account Setup.exe runs as: Setup must reach Active Directory, which the WinRM logon cannot (double hop). A
    # server outside the domain (an Edge Transport server) knows no domain account: setup runs as its local Administrator.
    setup_user = credentials.SETUP_USER if host.domain_member else winrm_user
    host_vars["rpi_exchange_setup_user"] = setup_user
    host_vars["rpi_exchange_setup_password"] = credentials.password_of(setup_user)
    inventory = write_inventory(Path(inventory_path) if inventory_path else workdir / "inventory.yml", host_vars, inventory_dir,
                                edge=preset in EDGE_PRESETS)
    return RunningSimulator(host=host, server=server, workdir=workdir, inventory_path=inventory, host_vars=host_vars)


def fleet_hostname(number: int) -> str:
    """The inventory name of the `number`-th server of a fleet (1-based): rpi-exch01, rpi-exch02, ..."""
    return f"rpi-exch{number:02d}"


@dataclass
class RunningFleet:
    """Several simulated servers (each its own host, clock and endpoint) behind one inventory."""

    servers: dict[str, RunningSimulator]  # inventory hostname -> server
    inventory_path: Path

    def stop(self) -> None:
        for running in self.servers.values():
            running.stop()

    def __enter__(self) -> RunningFleet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_fleet(preset: str, count: int, workdir: Path | str, *, inventory_path: Path | str | None = None,
                speed: float = 0.0, scheme: str = "https", latency: float = 0.0,
                inventory_dir: Path | None = None) -> RunningFleet:
    """Start `count` servers built from `preset`, each on its own port (benchmarks: many servers in one run).

    The inventory lists them as rpi-exch01 ... rpi-exchNN. Each server writes its own test CA under
    `workdir/<name>/`; what one server does never shows on another."""
    if count < 1:
        raise ValueError("a fleet needs at least one server")
    workdir = Path(workdir)
    servers: dict[str, RunningSimulator] = {}
    try:
        for number in range(1, count + 1):
            name = fleet_hostname(number)
            servers[name] = start(preset, workdir / name, speed=speed, scheme=scheme, latency=latency)
    except Exception:
        for running in servers.values():
            running.stop()
        raise
    inventory = write_fleet_inventory(Path(inventory_path) if inventory_path else workdir / "inventory.yml",
                                      {name: running.host_vars for name, running in servers.items()}, inventory_dir)
    return RunningFleet(servers=servers, inventory_path=inventory)
