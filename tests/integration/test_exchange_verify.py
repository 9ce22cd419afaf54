"""rpi.exchange.exchange_verify (activity 10) through the real WinRM path against simulator presets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.clock import Clock
from simulator.exchange import presets as exchange_presets
from simulator.exchange import startup
from simulator.exchange.faults import server_faults
from simulator.exchange.runtime import model_for
from simulator.windows import modules as module_registry
from simulator.windows.state_types import jump_clock

PLAYBOOK = "tests/integration/playbooks/exchange_verify.yml"
HEALTH_MODULE = "rpi.exchange.win_exchange_health"
CU15 = "15.2.1748.10"
SE = "15.2.2562.17"


def verify(simulator, ansible_playbook, tmp_path, *args, env=None, **variables):
    """Run the playbook; returns the registered result of the verification task and the run."""
    output = tmp_path / f"verify-{len(list(tmp_path.glob('verify-*.json')))}.json"
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, *args, extra_vars={"verify_output": str(output), **variables},
                           env=env)
    assert run.rc == 0, run.output
    return json.loads(output.read_text()), run


def verify_status(run):
    """How the verification task ended ("ok", "fatal"...); it must never report a change."""
    lines = run.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("TASK [Verify and finish the Exchange installation]"))
    return next(line.split(":", 1)[0] for line in lines[start + 1:] if line.startswith(("ok:", "changed:", "fatal:", "skipping:")))


def checks_of(result):
    return {check["name"]: check for check in result["checks"]}


@pytest.mark.parametrize("preset, version, label", [
    ("ws2022-exchange-2019-cu15", CU15, "2019 CU15"),
    ("ws2022-exchange-se", SE, "SE RTM"),
])
def test_installed_presets_verify(simulator_factory, ansible_playbook, tmp_path, preset, version, label):
    simulator = simulator_factory(preset)
    result, run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=version)
    assert result["ok"] is True and result["failed_checks"] == [] and not result.get("failed"), result["msg"]
    assert result["changed"] is False and verify_status(run) == "ok"
    assert [check["name"] for check in result["checks"]] == [
        "setup_log", "watermark", "pending_reboot", "version", "management_shell", "exchange_server", "services",
        "service_health", "component_states", "health_endpoints"]
    assert result["installed_version"] == version and result["attempts"] == 1
    assert result["exchange_server"]["server_role"] == "Mailbox"
    # The simulated server has no product key: a trial is verified with a warning, never "all checks pass" (issue 20, item 7).
    assert result["msg"].startswith("Instalación de Exchange verificada con una advertencia: Exchange funciona como edición de prueba")
    assert result["msg"].endswith("Las otras 9 comprobaciones se cumplen.")
    assert checks_of(result)["version"]["expected"] == f"{label} ({version})"
    assert result["rpi_report"]["target"]["exchange_after"] == {"installed": True, "version": version, "label": label}
    assert result["rpi_report"]["evidence"][0]["details"]["run_as"] == "RPI\\svc-exchange"
    assert simulator.server.log.summary()["executions"] == {"rpi.exchange.win_exchange_probe": 1,
                                                            "rpi.exchange.win_exchange_health": 1}


def test_right_after_setup_then_after_the_restart(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-ready")
    assert exchange_presets.run_setup(simulator.host, "2019-CU15", exchange_presets.INSTALL_ARGS) == 0

    before, run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15)
    assert before["ok"] is False and before["failed"] is True and verify_status(run) == "fatal"
    assert before["failed_checks"] == ["pending_reboot", "health_endpoints"]
    failing = checks_of(before)["health_endpoints"]["actual"]
    assert {item["path"]: item["status_code"] for item in failing} == {
        f"/{vdir}/healthcheck.htm": 503 for vdir in ("owa", "ecp", "ews", "Microsoft-Server-ActiveSync", "oab", "mapi", "rpc",
                                                     "autodiscover")}
    lines = before["msg"].splitlines()
    assert lines[0] == "La verificación de la instalación de Exchange falló: 2 de 10 comprobaciones no se cumplen."
    assert lines[2].startswith("- Directorios virtuales (healthcheck.htm): no responden 200 \"200 OK\": owa (503), ecp (503), "
                               "ews (503), Microsoft-Server-ActiveSync (503), oab (503), mapi (503), rpc (503), autodiscover (503).")
    # The pending restart is not something waiting fixes: one reading, no back-off.
    assert before["attempts"] == 1

    after, run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_reboot_first=True)
    assert after["ok"] is True, after["msg"]
    assert verify_status(run) == "ok"


def test_interrupted_setup_fails_with_clear_reasons(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-interrupted")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_retries=2)
    assert result["failed"] is True and result["ok"] is False
    assert result["failed_checks"] == ["setup_log", "watermark", "management_shell", "exchange_server", "services",
                                       "service_health", "component_states", "health_endpoints"]
    assert result["attempts"] == 1  # a failed setup does not come right by waiting
    checks = checks_of(result)
    assert checks["setup_log"]["actual"] == "failed"
    assert "MailboxRole (Install: SearchFoundationComponent___" in checks["watermark"]["message_es"]
    assert "HTTP server error status (500)" in checks["management_shell"]["message_es"]
    assert "MSExchangeIS (Stopped)" in checks["services"]["message_es"]
    message = result["msg"]
    assert message.startswith("La verificación de la instalación de Exchange falló: 8 de 10 comprobaciones no se cumplen.")
    assert "- Registro de instalación (ExchangeSetup.log): la última ejecución de setup falló" in message
    assert "- Instalación interrumpida: setup quedó a medias en MailboxRole" in message
    assert result["rpi_report"]["target"]["exchange_after"]["installed"] is False


def test_a_stopped_critical_service_is_reported_after_waiting(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    simulator.host.stop_service("MSExchangeFrontEndTransport")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_retries=2, verify_delay=0)
    assert result["failed_checks"] == ["services"]
    assert result["attempts"] == 3  # only transient checks failed: read again, twice
    assert "Servicios: detenidos: MSExchangeFrontEndTransport (Stopped)." in result["msg"]
    assert simulator.server.log.summary()["executions"]["rpi.exchange.win_exchange_health"] == 3


def test_waits_for_a_service_that_comes_up(simulator_factory, ansible_playbook, tmp_path, monkeypatch):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    simulator.host.stop_service("MSExchangeTransport")
    emulated = module_registry.REGISTRY[HEALTH_MODULE]
    readings = []

    def service_comes_up_after_the_first_reading(host, call):
        result = emulated(host, call)
        readings.append(result)
        if len(readings) == 1:
            host.start_service("MSExchangeTransport")
        return result

    monkeypatch.setitem(module_registry.REGISTRY, HEALTH_MODULE, service_comes_up_after_the_first_reading)
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_retries=4, verify_delay=1)
    assert result["ok"] is True, result["msg"]
    assert result["attempts"] == 2 == len(readings)


def test_expected_version_mismatch(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=SE, verify_language="en")
    assert result["failed_checks"] == ["version"]
    assert result["msg"] == ("Exchange installation verification failed: 1 of 10 checks do not pass.\n"
                             "- Exchange version: the server has 2019 CU15 (15.2.1748.10) but the installation media is "
                             "SE RTM (15.2.2562.17).")


def test_inactive_component_names_its_requester(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    model_for(simulator.host).org.server(simulator.host.hostname).component_states["HubTransport"] = ("Inactive", "Maintenance")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15)
    assert result["failed_checks"] == ["component_states"]
    assert "HubTransport (Inactive, solicitado por Maintenance)" in result["msg"]


def test_check_mode_gives_the_same_result(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    simulator.host.stop_service("MSExchangeFrontEndTransport")
    normal, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15)
    checked, run = verify(simulator, ansible_playbook, tmp_path, "--check", verify_expected_version=CU15)
    assert checked["checks"] == normal["checks"] and checked["msg"] == normal["msg"]
    assert checked["changed"] is False and verify_status(run) == "fatal"
    simulator.host.start_service("MSExchangeFrontEndTransport")
    passed, run = verify(simulator, ansible_playbook, tmp_path, "--check", verify_expected_version=CU15)
    assert passed["ok"] is True and verify_status(run) == "ok"


def test_without_run_as_the_shell_does_not_load(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_run_as=False)
    assert result["failed_checks"] == ["management_shell", "exchange_server", "service_health", "component_states"]
    assert "run_as_user" in checks_of(result)["management_shell"]["message_es"]
    assert "RPI\\svc-ansible" in checks_of(result)["management_shell"]["message_es"]


def test_the_run_as_password_never_appears(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    password = simulator.host_vars["rpi_exchange_setup_password"]
    simulator.host.stop_service("MSExchangeFrontEndTransport")  # a failing run prints the most
    result, run = verify(simulator, ansible_playbook, tmp_path, "-vvv", verify_expected_version=CU15)
    assert result["failed_checks"] == ["services"]
    assert password not in run.output
    assert password not in json.dumps(result)
    for path in run.report_dir.rglob("*"):
        if path.is_file():
            assert password not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_wrong_run_as_password_is_a_clear_failure(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    inventory = simulator.inventory_path
    wrong = "Not-The-Password-1!"
    output = tmp_path / "wrong.json"
    variables = {"verify_output": str(output), "rpi_exchange_setup_password": wrong}
    run = ansible_playbook(PLAYBOOK, inventory, "-vvv", extra_vars=variables)
    assert run.rc == 0, run.output
    result = json.loads(output.read_text())
    assert result["failed"] is True
    assert result["msg"].startswith("No se pudo leer la salud de Exchange como RPI\\svc-exchange:")
    assert "user name or password is incorrect" in result["msg"]
    assert wrong not in run.output and wrong not in json.dumps(result)


def test_wrong_options_are_refused_before_reading_the_server(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version="CU15", verify_retries=-1)
    assert result["failed"] is True
    assert result["msg"] == ("Opciones de exchange_verify no válidas:\n"
                             "- expected_version: 'CU15' no es una versión de Exchange (por ejemplo 15.2.1748.10).\n"
                             "- retries: debe ser 0 o mayor.")
    assert simulator.server.log.summary()["executions"] == {}


# ------------------------------------------------------------------------------------------------ issue 14, defect 8
def test_a_slow_health_page_is_waited_for_not_fatal(simulator_factory, ansible_playbook, tmp_path, monkeypatch):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    faults = server_faults(simulator.host)
    faults.health_body_faults["owa"] = "timeout"  # OWA's headers come, its body never does
    emulated = module_registry.REGISTRY[HEALTH_MODULE]
    readings = []

    def owa_answers_from_the_third_reading(host, call):
        result = emulated(host, call)
        readings.append(result)
        if len(readings) == 2:
            faults.health_body_faults.clear()
        return result

    monkeypatch.setitem(module_registry.REGISTRY, HEALTH_MODULE, owa_answers_from_the_third_reading)
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_retries=4, verify_delay=0)
    assert not result.get("failed") and result["ok"] is True, result["msg"]
    assert result["attempts"] == 3 == len(readings)
    assert readings[0]["health"][0]["error"] == "The operation has timed out."


# ------------------------------------------------------------------------------------------------ issue 14, defect 5
def test_a_broken_local_powershell_endpoint_is_not_hidden_by_another_server(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15-site-peer")
    server_faults(simulator.host).powershell_endpoint_broken = True
    result, _run = verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15)
    assert result["failed"] is True and result["ok"] is False
    assert result["failed_checks"] == ["management_shell", "exchange_server", "service_health", "component_states"]
    message = checks_of(result)["management_shell"]["message_es"]
    assert "RPI-EXCH01.rpi.gob.gt" in message and "HTTP server error status (500)" in message
    assert "RPI-EXCH02" not in json.dumps(result)


# ------------------------------------------------------------------------------------------------ issue 14, defect 2
TIMEWARP = Path(__file__).resolve().parent / "timewarp"


def relay_controller_time(host, ledger):
    """Move the simulated server's clock by the seconds the time-warped controller skipped (timewarp/sitecustomize.py),
    read at every poll of the host, before anything else looks at the time (the slow start's listener among them)."""
    consumed = [0]

    def relay(polled):
        if not ledger.exists():
            return
        text = ledger.read_text(encoding="ascii")
        complete = text[:text.rfind("\n") + 1]
        fresh, consumed[0] = complete[consumed[0]:], len(complete)
        for line in fresh.split():
            jump_clock(polled.clock, float(line))

    host.poll_listeners.insert(0, relay)


def test_activity_9_waits_for_services_slower_than_the_old_500_seconds(simulator_factory, ansible_playbook, tmp_path):
    # Exchange's services run 600 simulated seconds after the restart: more than the ~500 s of the old six waits.
    host = exchange_presets.slow_start(exchange_presets.exchange_2019_cu15(2022, Clock()), 600)
    simulator = simulator_factory("ws2022-exchange-2019-cu15-slow-start", host=host)
    ledger = tmp_path / "timewarp.ledger"
    relay_controller_time(simulator.host, ledger)
    env = {"PYTHONPATH": str(TIMEWARP), "RPI_TEST_TIMEWARP_LEDGER": str(ledger), "RPI_TEST_TIMEWARP_FACTOR": "100"}
    up_at = startup.pending_until(simulator.host)
    # What activity 9 passes (roles/await_installation): the time to wait, with the option's own delay.
    result, run = verify(simulator, ansible_playbook, tmp_path, env=env, verify_expected_version=CU15, verify_timeout=1800,
                         verify_delay=20)
    assert not result.get("failed") and result["ok"] is True, result["msg"]
    assert verify_status(run) == "ok"
    assert startup.pending_until(simulator.host) is None and simulator.host.now() >= up_at
    assert 600 <= result["elapsed_seconds"] <= 700 and result["attempts"] > 7
    assert result["msg"].startswith("Instalación de Exchange verificada con una advertencia tras ")
    waits = [float(line) for line in ledger.read_text(encoding="ascii").split()]
    assert len(waits) == result["attempts"] - 1 and max(waits) < 30


# ------------------------------------------------------------------------------------------------ issue 16, item 8
INSTALL_LINE = "E:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox"


def after_the_restart(simulator, ansible_playbook, tmp_path):
    """Activity 9's way: restart, then wait with the one start of the automatic services the boot left stopped."""
    return verify(simulator, ansible_playbook, tmp_path, verify_expected_version=CU15, verify_reboot_first=True,
                  verify_start_stopped=True, verify_setup_command_line=INSTALL_LINE, verify_retries=3, verify_delay=0)


def test_a_service_left_stopped_by_the_restart_is_started_once_and_verified(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    startup.arm_stopped_after_boot(simulator.host, "MSExchangeIS")  # stays Stopped after the boot, starts when asked
    result, run = after_the_restart(simulator, ansible_playbook, tmp_path)
    assert result["ok"] is True and not result.get("failed"), result["msg"]
    assert verify_status(run) == "changed" and result["started_services"] == ["MSExchangeIS"]
    assert simulator.host.get_service("MSExchangeIS").state == "running"
    assert simulator.server.log.summary()["executions"]["ansible.windows.win_service"] == 1
    assert result["msg"].splitlines()[-1] == ("Se inició una vez el servicio de inicio automático que seguía detenido después "
                                              "del reinicio: MSExchangeIS.")
    assert [item["details"] for item in result["rpi_report"]["evidence"] if item["kind"] == "change"] == [
        {"service": "MSExchangeIS", "action": "started"}]


def test_a_service_that_still_fails_is_named_with_the_error_windows_gave(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-exchange-2019-cu15")
    error = startup.cannot_start(simulator.host, "MSExchangeTransport")
    startup.arm_stopped_after_boot(simulator.host, "MSExchangeTransport", error)
    result, run = after_the_restart(simulator, ansible_playbook, tmp_path)
    assert result["failed"] is True and verify_status(run) == "fatal"
    assert result["services_not_started"] == {"MSExchangeTransport": error}
    assert ("- Servicios: MSExchangeTransport no arrancó al iniciarlo una vez después del reinicio; Windows respondió: "
            "Service 'Microsoft Exchange Transport (MSExchangeTransport)' cannot be started due to the following error: "
            "Cannot start service MSExchangeTransport on computer '.'.") in result["msg"]
    # Started once, judged at once: no reading after it waits for what will not come.
    assert simulator.server.log.summary()["executions"]["ansible.windows.win_service"] == 1
    assert result["attempts"] == 2
