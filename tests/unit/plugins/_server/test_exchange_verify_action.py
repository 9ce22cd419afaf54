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
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import clean_text, interpret, probe_arguments
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from simulator import collection_modules, presets
from simulator.exchange import presets as exchange_presets
from simulator.exchange import startup
from simulator.windows.presets import PASSWORDS
from simulator.windows.state_types import jump_clock
from simulator.windows.testing import Runner

ROOT = Path(__file__).resolve().parents[4]
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


def run_action(host, args: dict, check_mode: bool = False, calls: list | None = None) -> dict:
    """Run the plugin; `calls` (when given) collects each module it runs, as (module name, its arguments)."""
    collection_modules.register_all()
    task = types.SimpleNamespace(args=dict(args), async_val=0, check_mode=check_mode, action="rpi.exchange.exchange_verify")
    action = exchange_verify.ActionModule(task, Connection(), None, None, None)
    runner = Runner(host)

    def execute_module(module_name, module_args, task_vars=None, **_kwargs):
        if calls is not None:
            calls.append((module_name, dict(module_args)))
        become = action._connection.become  # pylint: disable=protected-access
        user = become.get_option("become_user") if become is not None else ""
        password = become.get_option("become_pass") if become is not None else None
        return runner.module(module_name, module_args, check=check_mode, become_user=user, become_password=password)

    action._execute_module = execute_module  # pylint: disable=protected-access
    return action.run(task_vars={})


def verify_options(role: Path) -> dict:
    """The options a role gives rpi.exchange.exchange_verify, as written in its tasks."""
    tasks = yaml.safe_load((role / "tasks" / "main.yml").read_text(encoding="utf-8"))
    return next(task["rpi.exchange.exchange_verify"] for task in tasks if "rpi.exchange.exchange_verify" in task)


def await_installation_wait_arguments() -> dict:
    """The wait options activity 9 gives exchange_verify (roles/await_installation), its defaults filled in."""
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    options = verify_options(ROLE)
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


# ------------------------------------------------------------------------------------------------ issue 16, item 8
START = "ansible.windows.win_service"
TRANSPORT_REFUSED = ("Service 'Microsoft Exchange Transport (MSExchangeTransport)' cannot be started due to the following "
                     "error: Cannot start service MSExchangeTransport on computer '.'.")


def restarted_with(stopped: dict[str, bool]):
    """2019 CU15, restarted once with the named services left Stopped by the boot (True: a start asked later fails)."""
    host = presets.build("ws2022-exchange-2019-cu15")
    for name, refused in stopped.items():
        startup.arm_stopped_after_boot(host, name, startup.cannot_start(host, name) if refused else None)
    exchange_presets.restart(host)
    assert all(host.get_service(name).state == "stopped" for name in stopped)
    return host


def activity_9(host, monkeypatch, check_mode=False, **options):
    monkeypatch.setattr(exchange_verify, "time", SimulatedTime(host))
    calls: list = []
    args = {"expected_version": CU15, "run_as_user": ADMIN, "run_as_password": PASSWORDS[ADMIN], "timeout": 1800,
            "start_stopped_services": True, "setup_command_line": "E:\\Setup.exe /Mode:Install /Roles:Mailbox", **options}
    result = run_action(host, args, check_mode=check_mode, calls=calls)
    return result, [arguments for name, arguments in calls if name == START]


def test_the_simulated_server_can_leave_a_service_stopped_after_the_restart():
    host = restarted_with({"MSExchangeIS": False, "MSExchangeTransport": True})
    runner = Runner(host)
    assert runner.module(START, {"name": "MSExchangeIS", "state": "started"})["state"] == "running"
    refused = runner.module(START, {"name": "MSExchangeTransport", "state": "started"})
    assert refused["failed"] is True and refused["msg"] == f"Unhandled exception while executing module: {TRANSPORT_REFUSED}"
    assert host.get_service("MSExchangeTransport").state == "stopped"


def test_activity_9_starts_an_automatic_service_left_stopped_once_then_verifies(monkeypatch):
    host = restarted_with({"MSExchangeIS": False})
    result, starts = activity_9(host, monkeypatch)
    assert not result.get("failed") and result["ok"] is True, result["msg"]
    assert starts == [{"name": "MSExchangeIS", "state": "started"}]  # once, through the standard module
    assert result["changed"] is True and result["started_services"] == ["MSExchangeIS"]
    assert result["attempts"] == 2 and result["elapsed_seconds"] < 5  # read, started, read again at once
    assert result["msg"].splitlines()[-1] == ("Se inició una vez el servicio de inicio automático que seguía detenido después "
                                              "del reinicio: MSExchangeIS.")
    changes = [item for item in result["rpi_report"]["evidence"] if item["kind"] == "change"]
    assert [item["details"] for item in changes] == [{"service": "MSExchangeIS", "action": "started"}]


def test_a_service_that_will_not_start_is_named_with_the_error_windows_gave(monkeypatch):
    host = restarted_with({"MSExchangeIS": False, "MSExchangeTransport": True})
    result, starts = activity_9(host, monkeypatch)
    assert result["failed"] is True and result["ok"] is False
    assert [item["name"] for item in starts] == ["MSExchangeIS", "MSExchangeTransport"]  # each once, never again
    assert result["started_services"] == ["MSExchangeIS"]
    assert result["services_not_started"] == {"MSExchangeTransport": TRANSPORT_REFUSED}
    assert "services" in result["failed_checks"]
    assert ("- Servicios: MSExchangeTransport no arrancó al iniciarlo una vez después del reinicio; Windows respondió: "
            f"{TRANSPORT_REFUSED}") in result["msg"]
    # Waiting does not start it: judged at once, not after the 1800 s.
    assert result["elapsed_seconds"] < 60
    failed = [item for item in result["rpi_report"]["evidence"] if item["kind"] == "change" and item["level"] == "error"]
    assert [item["details"]["service"] for item in failed] == ["MSExchangeTransport"]


def test_check_mode_only_says_what_would_be_started(monkeypatch):
    host = restarted_with({"MSExchangeIS": False})
    result, starts = activity_9(host, monkeypatch, check_mode=True)
    assert starts == [] and host.get_service("MSExchangeIS").state == "stopped"
    assert result["changed"] is False and result["failed"] is True
    assert result["services_to_start"] == ["MSExchangeIS"]
    assert "Modo de verificación: se iniciaría una vez el servicio detenido después del reinicio: MSExchangeIS." in result["msg"]
    assert [item["details"] for item in result["rpi_report"]["evidence"] if item["kind"] == "plan"] == [
        {"service": "MSExchangeIS", "action": "would_start"}]
    assert result["elapsed_seconds"] < 60  # nothing will start it by waiting


def test_transport_services_stay_stopped_after_do_not_start_transport(monkeypatch):
    host = restarted_with({"MSExchangeTransport": False, "MSExchangeIS": False})
    result, starts = activity_9(host, monkeypatch, timeout=60,
                                setup_command_line="E:\\Setup.exe /Mode:Install /Roles:Mailbox /DoNotStartTransport")
    assert starts == [{"name": "MSExchangeIS", "state": "started"}]
    assert host.get_service("MSExchangeTransport").state == "stopped"
    assert "MSExchangeTransport (Stopped): no se inició porque setup se ejecutó con /DoNotStartTransport" in result["msg"]


def test_a_service_stopped_by_the_administrator_on_purpose_is_never_started(monkeypatch):
    host = restarted_with({})
    host.get_service("MSExchangeEdgeSync").start_mode = "disabled"
    host.stop_service("MSExchangeEdgeSync")
    result, starts = activity_9(host, monkeypatch, timeout=30)
    assert starts == [] and host.get_service("MSExchangeEdgeSync").state == "stopped"
    assert "deshabilitados: MSExchangeEdgeSync" in result["msg"]


def test_only_activity_9_starts_services_and_with_the_setup_command_line():
    wait = verify_options(ROLE)
    assert wait["start_stopped_services"] is True
    assert wait["setup_command_line"] == "{{ begin_installation_setup.command_line | default(omit) }}"
    verify = verify_options(ROOT / "roles" / "verify_installation")
    assert "start_stopped_services" not in verify  # activity 10 judges; the one start belongs to activity 9


def test_activity_10_judges_the_reading_it_is_given_without_probing_again(monkeypatch):
    """Issue 19: activity 10's first task read the server; the verification reuses that reading (version, setup log,
    pending restart) and reads only the services, components and endpoints. The verdict is the one a probe gives."""
    host = presets.build("ws2022-exchange-2019-cu15")
    monkeypatch.setattr(exchange_verify, "time", SimulatedTime(host))
    args = {"expected_version": CU15, "run_as_user": ADMIN, "run_as_password": PASSWORDS[ADMIN], "retries": 0}
    probing: list = []
    probed = run_action(host, args, calls=probing)
    assert probed["probed"] is True and "rpi.exchange.win_exchange_probe" in [name for name, _args in probing]
    # The reading exchange_facts publishes: interpret() of the same probe.
    facts = interpret(Runner(host).module("rpi.exchange.win_exchange_probe", probe_arguments("Mailbox", 262144)), "Mailbox")
    tail = clean_text(facts["setup_log"].pop("tail", "") or "")
    facts["setup_log"]["last_run"] = triage(tail) if tail else None
    given: list = []
    reused = run_action(host, dict(args, facts=facts), calls=given)
    assert reused["probed"] is False and "rpi.exchange.win_exchange_probe" not in [name for name, _args in given]
    assert reused["ok"] == probed["ok"] and reused["failed_checks"] == probed["failed_checks"]
