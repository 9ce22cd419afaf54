"""rpi.exchange.exchange_verify's wait, run in-process against the simulated server (issue 14, defect 2).

The action plugin runs here as ansible-core would run it, except that its two modules are answered by the simulated
server's stand-ins without WinRM (simulator.windows.testing.Runner, `become` as the task's run_as user) and that its
clock is the simulated server's: each `time.sleep` of the plugin moves simulated time forward instead of waiting, so a
twenty-minute wait takes a fraction of a second and the services see exactly the time the plugin waited.
"""

from __future__ import annotations

import re
import types
from pathlib import Path

import yaml

from ansible_collections.rpi.exchange.plugins.action import exchange_verify
from simulator import collection_modules, presets
from simulator.exchange import startup
from simulator.windows.presets import PASSWORDS
from simulator.windows.state_types import jump_clock
from simulator.windows.testing import Runner

ROOT = Path(__file__).resolve().parents[3]
ROLE = ROOT / "roles" / "await_installation"
ADMIN = "RPI\\svc-exchange"
CU15 = "15.2.1748.10"


class SimulatedTime:
    """`time` for the plugin: monotonic() is the simulated clock, sleep() moves it forward (and records the wait)."""

    def __init__(self, host) -> None:
        self.host = host
        self.waits: list[float] = []

    def monotonic(self) -> float:
        return self.host.now().timestamp()

    def time(self) -> float:
        return self.host.now().timestamp()

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        jump_clock(self.host.clock, seconds)


class Connection:
    """What the plugin touches of its connection: the remote temp dir and the become plugin it swaps for run_as_user."""

    def __init__(self) -> None:
        self._shell = types.SimpleNamespace(tmpdir="C:\\Windows\\Temp\\ansible-tmp")
        self.become = None

    def set_become_plugin(self, plugin) -> None:
        self.become = plugin


def run_action(host, args: dict) -> dict:
    collection_modules.register_all()
    task = types.SimpleNamespace(args=dict(args), async_val=0, check_mode=False, action="rpi.exchange.exchange_verify")
    action = exchange_verify.ActionModule(task, Connection(), None, None, None)
    runner = Runner(host)

    def execute_module(module_name, module_args, task_vars=None, **_kwargs):
        become = action._connection.become  # pylint: disable=protected-access
        user = become.get_option("become_user") if become is not None else ""
        password = become.get_option("become_pass") if become is not None else None
        return runner.module(module_name, module_args, become_user=user, become_password=password)

    action._execute_module = execute_module  # pylint: disable=protected-access
    return action.run(task_vars={})


def await_installation_wait_arguments() -> dict:
    """The wait options activity 9 gives exchange_verify (roles/await_installation), its defaults filled in."""
    tasks = yaml.safe_load((ROLE / "tasks" / "main.yml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    options = next(task["rpi.exchange.exchange_verify"] for task in tasks if "rpi.exchange.exchange_verify" in task)
    waits = {}
    for name in ("retries", "delay", "timeout"):
        if name in options:
            value = str(options[name])
            variable = re.fullmatch(r"\{\{\s*(\w+)\s*\}\}", value)
            waits[name] = int(defaults[variable.group(1)] if variable else value)
    return waits


def test_activity_9_waits_for_services_that_take_twenty_minutes(monkeypatch):
    host = presets.build("ws2022-exchange-2019-cu15-slow-start")  # restarted; Exchange's services run 1200 s later
    clock = SimulatedTime(host)
    monkeypatch.setattr(exchange_verify, "time", clock)
    waits = await_installation_wait_arguments()
    assert waits == {"timeout": 1800}  # the role gives the time to wait, nothing else
    up_at = startup.pending_until(host)
    result = run_action(host, {"expected_version": CU15, "run_as_user": ADMIN, "run_as_password": PASSWORDS[ADMIN],
                               **waits})
    assert not result.get("failed") and result["ok"] is True, result["msg"]
    assert startup.pending_until(host) is None and host.now() >= up_at
    # It read the server until the services ran, never more than 30 s apart, well within its 1800 s.
    assert 1200 <= sum(clock.waits) <= 1230 and max(clock.waits) <= 30
    assert result["attempts"] == len(clock.waits) + 1


def test_the_wait_ends_on_its_deadline_with_the_reason(monkeypatch):
    host = presets.build("ws2022-exchange-2019-cu15-slow-start")
    clock = SimulatedTime(host)
    monkeypatch.setattr(exchange_verify, "time", clock)
    result = run_action(host, {"expected_version": CU15, "run_as_user": ADMIN, "run_as_password": PASSWORDS[ADMIN],
                               "timeout": 600, "language": "en"})
    assert result["failed"] is True and result["ok"] is False
    assert "services" in result["failed_checks"] and "health_endpoints" in result["failed_checks"]
    assert "MSExchangeIS (StartPending)" in result["msg"]
    # Waits and readings together fill the 600 s (the readings take a little real, hence simulated, time).
    assert 590 <= sum(clock.waits) <= 600 and max(clock.waits) <= 30
    assert result["elapsed_seconds"] == 600
    assert result["msg"].splitlines()[-1] == (f"The server was read {result['attempts']} times over 600 s; the above did "
                                              "not come right by waiting.")
