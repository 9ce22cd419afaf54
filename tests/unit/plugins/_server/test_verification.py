"""Activity 10's decisions (plugins/plugin_utils/_server/verification.py) and the service lists (catalogue/services.py)."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import verification as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import services as catalogue_services
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import normalize_payload

MAILBOX_SERVICES = v.default_services("Mailbox", "15.2.1748.10")

FACTS = {
    "exchange": {"installed": True, "version": "15.2.1748.10", "interrupted": {}},
    "pending_reboot": {"pending": False, "sources": []},
    "setup_log": {"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": True,
                  "last_run": {"outcome": "succeeded", "operation": "install", "error": None, "advice": {"es": "", "en": ""}}},
}

COMPONENTS = ("ServerWideOffline", "HubTransport", "FrontendTransport", "Monitoring", "RecoveryActionsEnabled", "OwaProxy",
              "ForwardSyncDaemon", "ProvisioningRps")

HEALTH = {
    "shell": {"requested": True, "loaded": True, "kind": "remote", "error": None, "messages": [], "user": "RPI\\svc-exchange"},
    "exchange_server": {"name": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt", "admin_display_version": "Version 15.2 (Build 1748.10)",
                        "edition": "Standard", "is_trial": False, "server_role": "Mailbox"},
    "component_states": [{"component": name, "state": "Inactive" if name in ("ForwardSyncDaemon", "ProvisioningRps") else "Active",
                          "requesters": [{"requester": "Functional", "state": "Active"}]} for name in COMPONENTS],
    "service_health": [{"role": role, "required_services_running": True, "services_not_running": []}
                       for role in ("Mailbox Server Role", "Client Access Server Role", "Hub Transport Server Role")],
    "services": [{"name": name, "exists": True, "status": "Running", "start_type": "Automatic"} for name in MAILBOX_SERVICES],
    "health": [{"path": v.health_url_path(vdir), "url": "https://localhost" + v.health_url_path(vdir), "status_code": 200,
                "body": "200 OK<br/>RPI-EXCH01.rpi.gob.gt<br/>15.2.1748.10", "error": None} for vdir in v.DEFAULT_HEALTH_VDIRS],
    "exsetup_file_version": "15.02.1748.010",
    "install_path": "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\",
    "errors": [],
}


def evaluate(facts=None, health=None, **options):
    options.setdefault("expected_version", "15.2.1748.10")
    options.setdefault("required_services", MAILBOX_SERVICES)
    options.setdefault("health_paths", v.DEFAULT_HEALTH_VDIRS)
    return v.evaluate(facts if facts is not None else FACTS, health if health is not None else HEALTH, **options)


def by_name(checks):
    return {check.name: check for check in checks}


def changed(base, **updates):
    data = copy.deepcopy(base)
    data.update(updates)
    return data


# ------------------------------------------------------------------------------------------------ service lists
def test_mailbox_services_cu15_are_the_automatic_ones():
    names = set(MAILBOX_SERVICES)
    assert {"MSExchangeADTopology", "MSExchangeIS", "MSExchangeTransport", "MSExchangeFrontEndTransport", "HostControllerService",
            "MSExchangeMitigation", "MSExchangeFlighting", "W3Svc", "IISAdmin", "WinMgmt", "EventLog"} <= names
    # Manual ones (IMAP4/POP3, back ends, Windows Server Backup, BITS, Pla) are never required to run.
    assert not names & {"MSExchangeIMAP4", "MSExchangeIMAP4BE", "MSExchangePOP3", "MSExchangePOP3BE", "WSBExchange", "BITS", "Pla"}
    # HealthChecker's Windows plumbing stays out of the default list.
    assert not names & {"MpsSvc", "RpcEptMapper"}
    assert not names & {"ADAM_MSExchange", "MSExchangeEdgeCredential"}


@pytest.mark.parametrize("version, flighting, mitigation", [
    ("15.2.1748.10", True, True),     # CU15
    ("15.2.1748.8", True, True),      # CU15 as Install-Exchange15 reads ExSetup
    ("15.2.2562.17", True, True),     # SE RTM
    ("15.2.1544.4", False, True),     # CU14: no Flighting service yet
    ("15.2.922.7", False, False),     # CU10: no Emergency Mitigation service yet
    (None, True, True),               # unknown build: everything a current build has
])
def test_mailbox_services_follow_the_build(version, flighting, mitigation):
    names = v.default_services("Mailbox", version)
    assert ("MSExchangeFlighting" in names) is flighting
    assert ("MSExchangeMitigation" in names) is mitigation


def test_edge_and_management_tools_services():
    edge = set(v.default_services("EdgeTransport", "15.2.1748.10"))
    assert {"ADAM_MSExchange", "MSExchangeEdgeCredential", "MSExchangeTransport", "MSExchangeServiceHost", "WinMgmt"} <= edge
    assert not edge & {"MSExchangeIS", "MSExchangeADTopology", "W3Svc", "IISAdmin", "MSExchangeFlighting"}
    assert v.default_services("ManagementTools") == ()
    assert v.default_services("mb", "15.2.1748.10") == MAILBOX_SERVICES


def test_catalogue_entries_carry_sources_and_start_types():
    for service in catalogue_services.SERVICES:
        assert service.source in ("S1", "S2", "S6"), service
        assert service.start_type in (catalogue_services.AUTOMATIC, catalogue_services.MANUAL), service
    assert catalogue_services.service_info("msexchangeimap4").start_type == catalogue_services.MANUAL
    assert catalogue_services.service_info("nope") is None
    assert catalogue_services.COMPONENTS_INACTIVE_ON_PREMISES == ("ForwardSyncDaemon", "ProvisioningRps")


# ------------------------------------------------------------------------------------------------ what to ask
def test_health_paths_and_module_arguments():
    assert v.default_health_paths("Mailbox") == ("owa", "ecp", "ews", "Microsoft-Server-ActiveSync", "oab", "mapi", "rpc",
                                                 "autodiscover")
    assert v.default_health_paths("EdgeTransport") == () == v.default_health_paths("ManagementTools")
    assert v.health_url_path("owa") == "/owa/healthcheck.htm"
    assert v.health_url_path("/Microsoft-Server-ActiveSync/") == "/Microsoft-Server-ActiveSync/healthcheck.htm"
    assert v.health_url_path("/owa/healthcheck.htm") == "/owa/healthcheck.htm"
    args = v.health_arguments("Mailbox", ["MSExchangeIS"], ["owa"], 15)
    assert args == {"service_names": ["MSExchangeIS"], "health_paths": ["/owa/healthcheck.htm"], "timeout_seconds": 15,
                    "skip_shell": False}
    assert v.health_arguments("ManagementTools", [], [], 30)["skip_shell"] is True


@pytest.mark.parametrize("bad", ["", "/", "../etc", "https://evil/owa", "owa?x=1", "a\\b"])
def test_health_path_refuses_what_is_not_a_vdir(bad):
    with pytest.raises(ValueError):
        v.health_url_path(bad)


@pytest.mark.parametrize("timeout, delay, retries, expected", [
    (100, 20, None, [20, 30, 30, 20]),        # grows half as long again up to 30 s; the last wait ends on the deadline
    (60, 10, None, [10, 15, 22.5, 12.5]),
    (900, 20, 3, [20, 30, 30]),               # retries, when given, limits the new readings
    (900, 0, 3, [0, 1, 1.5]),                 # from 0: at once, then 1 s, growing
    (900, 20, 0, []),
    (0, 20, None, []),                        # no time to wait: one reading
])
def test_wait_schedule(timeout, delay, retries, expected):
    assert v.wait_schedule(timeout, delay, retries) == pytest.approx(expected)


@pytest.mark.parametrize("timeout", [600, 900, 1800, 3600])
def test_the_wait_uses_its_whole_timeout_every_30_seconds_at_most(timeout):
    # issue 14, defect 2: with no retries the wait lasts its whole timeout (6 doubling waits used to stop at ~500 s).
    waits = v.wait_schedule(timeout, 20)
    assert sum(waits) == pytest.approx(timeout)
    assert waits[0] == 20 and max(waits) <= v.MAX_WAIT_INTERVAL
    assert all(wait >= v.MIN_GROWING_WAIT for wait in waits)


def test_next_wait_follows_the_clock_not_a_count():
    assert v.next_wait(1, 1000, 20) == 20
    assert v.next_wait(40, 1000, 20) == 30           # as many readings as fit in the time
    assert v.next_wait(40, 12.5, 20) == 12.5         # the last wait ends on the deadline...
    assert v.next_wait(41, 0, 20) is None            # ...where the last reading is
    assert v.next_wait(4, 1000, 20, retries=3) is None


# ------------------------------------------------------------------------------------------------ a healthy server
def test_a_healthy_cu15_server_passes_every_check():
    checks = evaluate()
    assert [check.name for check in checks] == list(v.CHECK_NAMES)
    assert all(check.ok for check in checks), [check.message_en for check in checks if not check.ok]
    assert not v.worth_waiting(checks)
    assert v.summary(checks) == "Instalación de Exchange verificada: las 10 comprobaciones se cumplen."
    assert v.summary(checks, "en") == "Exchange installation verified: all 10 checks pass."
    assert v.installed_version(checks) == "15.2.1748.10"
    component = by_name(checks)["component_states"]
    assert "ForwardSyncDaemon" in component.message_es and "6 componentes" in component.message_es


# ------------------------------------------------------------------------------------------------ each check failing
@pytest.mark.parametrize("last_run, actual, words", [
    ({"outcome": "failed", "error": "The service 'MSExchangeTransport' failed to start.", "category": "service",
      "advice": {"es": "Revise el servicio.", "en": "Check the service."}}, "failed", "falló: The service 'MSExchangeTransport'"),
    ({"outcome": "incomplete", "error": None}, "incomplete", "no terminó"),
    ({"outcome": "unknown"}, "unknown", "no se pudo determinar"),
    (None, "unknown", "no se pudo leer"),
])
def test_setup_log_check_fails_unless_the_last_run_succeeded(last_run, actual, words):
    facts = changed(FACTS, setup_log={"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": True, "last_run": last_run})
    check = by_name(evaluate(facts))["setup_log"]
    assert not check.ok and check.actual == actual and words in check.message_es
    assert not check.transient


def test_setup_log_check_without_a_log():
    check = v.check_setup_log({"path": "C:\\ExchangeSetupLogs\\ExchangeSetup.log", "exists": False})
    assert not check.ok and check.actual == "missing" and "no existe" in check.message_es


def test_failed_setup_log_carries_the_advice():
    last_run = {"outcome": "failed", "error": "boom", "advice": {"es": "Haga X.", "en": "Do X."}}
    check = v.check_setup_log({"exists": True, "last_run": last_run})
    assert check.message_es.endswith("Haga X.") and check.message_en.endswith("Do X.")


def test_watermark_check():
    facts = changed(FACTS, exchange={"installed": False, "version": "15.2.1748.10", "interrupted": {
        "MailboxRole": {"action": "Install", "watermark": "SearchFoundationComponent___e8534bdbf7485c118f6507e394c63ef0"}}})
    check = by_name(evaluate(facts))["watermark"]
    assert not check.ok and check.actual == ["MailboxRole"]
    assert "MailboxRole (Install: SearchFoundationComponent___" in check.message_es
    assert "no borre la marca de agua" in check.message_es


def test_pending_reboot_check():
    facts = changed(FACTS, pending_reboot={"pending": True, "sources": ["session_manager"]})
    check = by_name(evaluate(facts))["pending_reboot"]
    assert not check.ok and check.actual is True and "session_manager" in check.message_es
    assert not check.transient


@pytest.mark.parametrize("exsetup, expected, admin, ok", [
    ("15.02.1748.010", "15.2.1748.10", "Version 15.2 (Build 1748.10)", True),
    ("15.2.1748.10", "15.2.1748.8", None, True),          # Install-Exchange15's CU15 constant: same CU family
    ("15.2.1748.8", "15.2.1748.10", None, True),          # the other way round
    ("15.2.1748.49", "15.2.1748.10", "Version 15.2 (Build 1748.10)", True),  # Aug26SU on CU15: AdminDisplayVersion shows the CU
    ("15.2.2562.17", "15.2.2562.17", "Version 15.2 (Build 2562.17)", True),  # SE RTM
    ("15.2.2562.46", "15.2.2562.17", None, True),         # SE with an SU
    ("15.2.1544.4", "15.2.1748.10", None, False),         # CU14 left, CU15 media
    ("15.2.2562.17", "15.2.1748.10", None, False),        # SE installed, CU15 media
    ("15.2.1748.10", "15.2.2562.17", None, False),        # CU15 installed, SE media
    ("15.2.1748.10", "15.2.1748.10", "Version 15.2 (Build 1544.4)", False),  # AD object still at CU14
    (None, "15.2.1748.10", None, False),                  # no ExSetup.exe
    ("15.2.1748.10", None, None, True),                   # nothing to compare with: reported only
])
def test_version_families(exsetup, expected, admin, ok):
    check = v.check_version(expected, exsetup, admin)
    assert check.ok is ok, check.message_en


def test_version_mismatch_names_both_builds():
    check = v.check_version("15.2.2562.17", "15.2.1748.10")
    assert check.message_es == ("Versión de Exchange: el servidor tiene 2019 CU15 (15.2.1748.10), pero el medio de instalación es "
                                "SE RTM (15.2.2562.17).")
    assert check.expected == "SE RTM (15.2.2562.17)"
    assert check.actual == {"exsetup": "15.2.1748.10", "admin_display_version": None}


def test_version_falls_back_to_the_registry_version():
    health = changed(HEALTH, exsetup_file_version=None)
    assert by_name(evaluate(health=health))["version"].ok


def test_shell_not_loaded_fails_the_shell_checks_with_one_reason():
    health = changed(HEALTH, exchange_server=None, component_states=[], service_health=[], shell={
        "requested": True, "loaded": False, "kind": "remote", "user": "RPI\\svc-ansible",
        "error": "The Exchange Management Shell did not load: Get-ExchangeServer is not available.",
        "messages": ["Connecting to remote server RPI-EXCH01.rpi.gob.gt failed with the following error message : WinRM cannot "
                     "process the request. ... errorcode 0x8009030e ...", "Failed to connect to an Exchange server in the current site."]})
    checks = by_name(evaluate(health=health))
    shell = checks["management_shell"]
    assert not shell.ok and "0x8009030e" in shell.message_es and "run_as_user" in shell.message_es
    assert "RPI\\svc-ansible" in shell.message_es
    for name in v.SHELL_CHECKS:
        assert not checks[name].ok and "el shell de Exchange no cargó" in checks[name].message_es
    assert checks["services"].ok and checks["health_endpoints"].ok
    assert v.worth_waiting(list(checks.values())) is False  # component_states is not transient


def test_a_failed_cmdlet_is_reported_on_its_check():
    health = changed(HEALTH, exchange_server=None, errors=[{"source": "Get-ExchangeServer",
                                                            "message": "The operation couldn't be performed because object "
                                                                       "'RPI-EXCH01' couldn't be found on 'RPI-DC01'."}])
    check = by_name(evaluate(health=health))["exchange_server"]
    assert not check.ok and "couldn't be found" in check.message_es


def test_exchange_server_role_mismatch():
    health = changed(HEALTH, exchange_server=dict(HEALTH["exchange_server"], server_role="Edge"))
    check = by_name(evaluate(health=health))["exchange_server"]
    assert not check.ok and "'Edge', no Mailbox" in check.message_es
    assert v.check_exchange_server(health, "EdgeTransport").ok


def test_services_check():
    reported = [
        {"name": "MSExchangeIS", "exists": True, "status": "Running", "start_type": "Automatic"},
        {"name": "MSExchangeTransport", "exists": True, "status": "Stopped", "start_type": "Automatic"},
        {"name": "MSExchangeIMAP4", "exists": True, "status": "Stopped", "start_type": "Manual"},
        {"name": "MSExchangeFrontEndTransport", "exists": True, "status": "Stopped", "start_type": "Disabled"},
        {"name": "MSExchangeFlighting", "exists": False, "status": None, "start_type": None},
    ]
    check = v.check_services(reported, ["MSExchangeIS", "MSExchangeTransport", "MSExchangeIMAP4", "MSExchangeFrontEndTransport",
                                        "MSExchangeFlighting", "MSExchangeRepl"])
    assert not check.ok and check.transient
    assert check.actual == {"running": ["MSExchangeIS"], "stopped": ["MSExchangeTransport (Stopped)"],
                            "disabled": ["MSExchangeFrontEndTransport"], "missing": ["MSExchangeFlighting", "MSExchangeRepl"],
                            "manual_not_required": ["MSExchangeIMAP4"]}
    assert check.message_es == ("Servicios: detenidos: MSExchangeTransport (Stopped); deshabilitados: MSExchangeFrontEndTransport; "
                                "no existen: MSExchangeFlighting, MSExchangeRepl.")


def test_manual_services_are_not_required_to_run():
    check = v.check_services([{"name": "MSExchangePOP3", "exists": True, "status": "Stopped", "start_type": "Manual"},
                              {"name": "MSExchangeIS", "exists": True, "status": "Running", "start_type": "Automatic"}],
                             ["MSExchangePOP3", "MSExchangeIS"])
    assert check.ok and "1 de inicio manual no se exigen" in check.message_es


def test_a_stopped_critical_service_fails_and_is_worth_waiting_for():
    health = copy.deepcopy(HEALTH)
    for item in health["services"]:
        if item["name"] == "MSExchangeFrontEndTransport":
            item["status"] = "Stopped"
    checks = evaluate(health=health)
    assert [check.name for check in v.failed_checks(checks)] == ["services"]
    assert v.worth_waiting(checks)
    assert "MSExchangeFrontEndTransport (Stopped)" in v.summary(checks)


def test_service_health_check():
    health = changed(HEALTH, service_health=[
        {"role": "Mailbox Server Role", "required_services_running": False, "services_not_running": ["MSExchangeIS", "MSExchangeRepl"]},
        {"role": "Hub Transport Server Role", "required_services_running": True, "services_not_running": []}])
    check = by_name(evaluate(health=health))["service_health"]
    assert not check.ok and "Mailbox Server Role: MSExchangeIS, MSExchangeRepl" in check.message_es
    assert not v.check_service_health(changed(HEALTH, service_health=[])).ok


def test_component_states_list_the_inactive_ones_with_their_requester():
    health = copy.deepcopy(HEALTH)
    health["component_states"][0] = {"component": "ServerWideOffline", "state": "Inactive", "requesters": [
        {"requester": "Functional", "state": "Active"}, {"requester": "Maintenance", "state": "Inactive"}]}
    health["component_states"][1] = {"component": "HubTransport", "state": "Draining", "requesters": []}
    check = by_name(evaluate(health=health))["component_states"]
    assert not check.ok and not check.transient
    assert check.actual == [{"component": "ServerWideOffline", "state": "Inactive", "requesters": ["Maintenance"]},
                            {"component": "HubTransport", "state": "Draining", "requesters": []}]
    assert "ServerWideOffline (Inactive, solicitado por Maintenance)" in check.message_es
    assert "HubTransport (Draining, solicitado por ?)" in check.message_es


def test_requesters_deserialized_as_text():
    row = {"component": "Monitoring", "state": "Inactive", "requesters": [{"requester": "Deployment", "state": None}]}
    check = v.check_component_states(changed(HEALTH, component_states=[row]))
    assert check.actual[0]["requesters"] == ["Deployment"]


def test_ignored_components_are_configurable():
    assert not v.check_component_states(HEALTH, ignored=()).ok
    assert v.check_component_states(HEALTH).ok
    assert not v.check_component_states(changed(HEALTH, component_states=[])).ok


def test_health_endpoints_503_until_restart():
    health = copy.deepcopy(HEALTH)
    for item in health["health"]:
        if item["path"] in ("/owa/healthcheck.htm", "/ecp/healthcheck.htm"):
            item.update(status_code=503, body="503 Service Unavailable")
    check = by_name(evaluate(health=health))["health_endpoints"]
    assert not check.ok and check.transient
    assert "owa (503), ecp (503)" in check.message_es
    assert check.details["failing"] == ["owa", "ecp"]


def test_health_endpoint_needs_the_200_ok_body_and_an_answer():
    reported = [{"path": "/owa/healthcheck.htm", "status_code": 200, "body": "<html>IIS</html>", "error": None},
                {"path": "/ecp/healthcheck.htm", "status_code": 0, "body": "", "error": "Unable to connect to the remote server"}]
    check = v.check_health_endpoints(reported, ["owa", "ecp", "ews"])
    assert not check.ok
    assert "owa (200 sin \"200 OK\"" in check.message_es
    assert "ecp (Unable to connect to the remote server)" in check.message_es
    assert "ews (sin respuesta)" in check.message_es and "ews (no answer)" in check.message_en


def test_a_health_page_whose_body_read_failed_is_named_with_its_error_and_waited_for():
    # issue 14, defect 8: win_exchange_health returns the error of that page instead of failing.
    health = copy.deepcopy(HEALTH)
    health["health"][0].update(status_code=200, body="", error="The operation has timed out.")
    check = by_name(evaluate(health=health))["health_endpoints"]
    assert not check.ok and check.transient
    assert "owa (200: The operation has timed out.)" in check.message_es
    assert "owa (200: The operation has timed out.)" in check.message_en
    assert check.actual[0] == {"path": "/owa/healthcheck.htm", "status_code": 200, "ok": False,
                               "error": "The operation has timed out."}
    assert check.details["failing"] == ["owa"]
    assert v.worth_waiting(evaluate(health=health))


def test_the_shell_counts_on_this_server_only():
    # issue 14, defect 5: win_exchange_health says which server it asked for (target) and which it got (server).
    here = dict(HEALTH["shell"], target="RPI-EXCH01.rpi.gob.gt", server="RPI-EXCH01.rpi.gob.gt")
    check = v.check_shell(changed(HEALTH, shell=here))
    assert check.ok and check.message_es == "Shell de administración de Exchange: cargó como RPI\\svc-exchange en RPI-EXCH01.rpi.gob.gt."
    elsewhere = dict(here, server="RPI-EXCH02.rpi.gob.gt")
    check = v.check_shell(changed(HEALTH, shell=elsewhere))
    assert not check.ok and check.actual == "another server"
    assert "conectado a RPI-EXCH02.rpi.gob.gt y no a este servidor (RPI-EXCH01.rpi.gob.gt)" in check.message_es
    assert "connected to RPI-EXCH02.rpi.gob.gt instead of this server (RPI-EXCH01.rpi.gob.gt)" in check.message_en


def test_while_the_shell_is_down_its_checks_are_waited_for_unless_credentials_are_wrong():
    # issue 14, defect 2: right after a restart the shell fails (MSExchangeADTopology not running yet): waiting helps.
    starting = changed(HEALTH, shell={"requested": True, "loaded": False, "kind": "remote", "user": "RPI\\svc-exchange",
                                      "error": "The Exchange Management Shell did not load: Get-ExchangeServer is not available.",
                                      "messages": ["Connecting to remote server RPI-EXCH01.rpi.gob.gt failed with the following "
                                                   "error message : The WinRM client received an HTTP server error status "
                                                   "(500), but the remote service did not include any other information."]},
                       exchange_server=None, component_states=[], service_health=[])
    checks = evaluate(health=starting)
    assert [check.name for check in v.failed_checks(checks)] == ["management_shell", "exchange_server", "service_health",
                                                                 "component_states"]
    assert all(check.transient for check in v.failed_checks(checks)) and v.worth_waiting(checks)
    # A double hop or a refused account does not come right by waiting.
    refused = copy.deepcopy(starting)
    refused["shell"]["messages"] = ["Connecting to remote server RPI-EXCH01.rpi.gob.gt failed with the following error "
                                    "message : Access is denied."]
    checks = evaluate(health=refused)
    assert not by_name(checks)["management_shell"].transient and not v.worth_waiting(checks)


def test_after_a_wait_the_message_says_how_long():
    checks = evaluate()
    assert v.summary(checks, attempts=3, elapsed_seconds=75) == (
        "Instalación de Exchange verificada: las 10 comprobaciones se cumplen tras 3 lecturas en 75 s.")
    failing = evaluate(health=changed(HEALTH, services=[]))
    assert v.summary(failing, "en", attempts=61, elapsed_seconds=1800).splitlines()[-1] == (
        "The server was read 61 times over 1800 s; the above did not come right by waiting.")
    assert v.summary(failing).splitlines()[-1].startswith("- Servicios")  # one reading: no such line


# ------------------------------------------------------------------------------------------------ all together
def test_management_tools_only_get_the_local_checks():
    checks = v.evaluate(FACTS, changed(HEALTH, shell={"requested": False, "loaded": False}), role="ManagementTools",
                        expected_version="15.2.1748.10")
    assert [check.name for check in checks] == ["setup_log", "watermark", "pending_reboot", "version"]
    assert all(check.ok for check in checks)


def test_edge_has_no_endpoints_by_default():
    edge_health = changed(HEALTH, exchange_server=dict(HEALTH["exchange_server"], server_role="Edge"))
    checks = v.evaluate(FACTS, edge_health, role="EdgeTransport", expected_version="15.2.1748.10", required_services=(),
                        health_paths=v.default_health_paths("EdgeTransport"))
    names = [check.name for check in checks]
    assert "health_endpoints" not in names and "services" not in names and "exchange_server" in names


def test_right_after_setup_the_failures_are_listed_in_spanish():
    health = copy.deepcopy(HEALTH)
    for item in health["health"]:
        item.update(status_code=503, body="503 Service Unavailable")
    facts = changed(FACTS, pending_reboot={"pending": True, "sources": ["session_manager"]})
    checks = evaluate(facts, health)
    assert [check.name for check in v.failed_checks(checks)] == ["pending_reboot", "health_endpoints"]
    assert not v.worth_waiting(checks)  # waiting does not clear a pending restart
    message = v.summary(checks)
    assert message.splitlines()[0] == ("La verificación de la instalación de Exchange falló: 2 de 10 comprobaciones no se "
                                       "cumplen.")
    assert message.splitlines()[1].startswith("- Reinicio pendiente: Windows espera un reinicio (session_manager).")
    assert message.splitlines()[2].startswith("- Directorios virtuales (healthcheck.htm): no responden 200 \"200 OK\": owa (503)")
    assert v.summary(checks, "en").splitlines()[0] == "Exchange installation verification failed: 2 of 10 checks do not pass."


def test_check_dicts_have_the_documented_keys():
    for check in evaluate():
        assert set(check.as_dict()) == {"name", "ok", "expected", "actual", "message_es", "message_en", "source", "transient"}


def test_evidence_fits_the_report_contract():
    checks = evaluate(health=changed(HEALTH, service_health=[]))
    payload = v.evidence(checks, attempts=3, run_as="RPI\\svc-exchange", installed=True)
    clean = normalize_payload(payload)
    assert clean.problems == []
    assert clean.evidence[0]["kind"] == "verification" and clean.evidence[0]["level"] == "error"
    assert clean.evidence[0]["details"]["attempts"] == 3
    assert len(clean.evidence) == 1 + len(checks) + 1
    assert clean.evidence[-1]["kind"] == "version"
    assert clean.target["exchange_after"] == {"installed": True, "version": "15.2.1748.10", "label": "2019 CU15"}
    levels = {item["details"].get("name"): item["level"] for item in clean.evidence[1:-1]}
    assert levels["service_health"] == "error" and levels["version"] == "ok"


def test_watermark_check_lists_roles_left_unconfigured():
    check = v.check_watermark({"interrupted": {
        "CafeRole": {"action": None, "watermark": None},
        "MailboxRole": {"action": "Install", "watermark": "SearchFoundationComponent___e8534bdbf7485c118f6507e394c63ef0"}}})
    assert check.actual == ["MailboxRole", "CafeRole"]
    assert check.message_es.startswith("Instalación interrumpida: setup quedó a medias en MailboxRole (Install: SearchFoundation")
    assert "roles desempaquetados sin configurar: CafeRole." in check.message_es
    assert "roles unpacked but not configured: CafeRole." in check.message_en


@pytest.mark.parametrize("message, credentials", [
    ("Connecting to remote server X failed with the following error message : WinRM cannot process the request. The "
     "following error with errorcode 0x8009030e occurred while using Kerberos authentication", True),
    ("Connecting to remote server X failed with the following error message : Access is denied.", True),
    ("Connecting to remote server X failed with the following error message : The WinRM client received an HTTP server "
     "error status (500)", False),
])
def test_shell_hint_follows_the_error(message, credentials):
    health = changed(HEALTH, shell={"requested": True, "loaded": False, "user": "RPI\\svc-exchange", "error": "not loaded",
                                    "messages": [message]})
    check = v.check_shell(health)
    assert not check.ok and message in check.message_es
    assert ("run_as_user" in check.message_es) is credentials
    assert ("Compruebe que IIS (W3SVC) y MSExchangeADTopology" in check.message_es) is not credentials


# ------------------------------------------------------------------------------------------------ issue 16, item 8
# After the post-install restart an automatic Exchange service found Stopped is started once, then judged.
TRANSPORT_REFUSED = ("Service 'Microsoft Exchange Transport (MSExchangeTransport)' cannot be started due to the following "
                     "error: Cannot start service MSExchangeTransport on computer '.'.")


def service(name, status="Stopped", start_type="Automatic"):
    return {"name": name, "exists": True, "status": status, "start_type": start_type}


def test_only_automatic_exchange_services_found_stopped_are_started():
    reported = [
        service("MSExchangeIS"),                                   # automatic, stopped: started
        service("MSExchangeRPC", "Running"),                       # running
        service("MSExchangeIMAP4", start_type="Manual"),           # manual: never required, never started
        service("MSExchangeEdgeSync", start_type="Disabled"),      # an administrator disabled it: left alone
        service("W3Svc"),                                          # Windows' own service: not ours to start
        service("ContosoAgent"),                                   # not in the catalogue
        service("MSExchangeDelivery", "Paused"),                   # paused is not stopped
        {"name": "MSExchangeFlighting", "exists": False, "status": None, "start_type": None},
        service("MSExchangeTransport"),
    ]
    plan = v.plan_service_starts(reported, "Mailbox")
    assert plan.start == ("MSExchangeIS", "MSExchangeTransport") and plan.held == () and plan.settled
    # Setup ran with /DoNotStartTransport: its transport services are left as the administrator chose.
    held = v.plan_service_starts(reported + [service("MSExchangeFrontEndTransport")], "Mailbox", hold_transport=True)
    assert held.start == ("MSExchangeIS",) and held.held == ("MSExchangeTransport", "MSExchangeFrontEndTransport")
    # Names are matched without regard to case, and reported with the catalogue's spelling.
    assert v.plan_service_starts([service("msexchangeis")], "Mailbox").start == ("MSExchangeIS",)
    assert v.plan_service_starts(reported, "ManagementTools").start == ()


def test_the_start_waits_for_windows_own_start_to_be_over_unless_it_is_the_last_reading():
    reported = [service("MSExchangeIS"), service("MSExchangeRPC", "StartPending")]
    plan = v.plan_service_starts(reported, "Mailbox")
    assert plan.start == ("MSExchangeIS",) and not plan.settled
    assert not v.time_to_start(plan, last_reading=False)
    assert v.time_to_start(plan, last_reading=True)
    settled = v.plan_service_starts([service("MSExchangeIS"), service("MSExchangeRPC", "Running")], "Mailbox")
    assert v.time_to_start(settled, last_reading=False)
    assert not v.time_to_start(v.plan_service_starts([service("MSExchangeRPC", "Running")], "Mailbox"), last_reading=True)


@pytest.mark.parametrize("command_line, hold", [
    ("E:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox /DoNotStartTransport", True),
    ("E:\\Setup.exe /mode:install /roles:Mailbox /donotstarttransport /TargetDir:\"D:\\Exchange\"", True),
    ("E:\\Setup.exe /IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF /Mode:Install /Roles:Mailbox", False),
    ("E:\\Setup.exe /Mode:Install /OrganizationName:\"DoNotStartTransport Inc\"", False),
    (None, True),  # not known: transport is not started, in case the administrator asked for it
    ("", True),
])
def test_do_not_start_transport_is_read_from_the_setup_command_line(command_line, hold):
    assert v.holds_transport(command_line) is hold


@pytest.mark.parametrize("result, error", [
    # ansible.windows 3.x: Start-Service's error ends the module through the exec wrapper.
    ({"failed": True, "msg": f"Unhandled exception while executing module: {TRANSPORT_REFUSED}"}, TRANSPORT_REFUSED),
    ({"failed": True, "msg": f"failed to start service MSExchangeTransport: {TRANSPORT_REFUSED}"}, TRANSPORT_REFUSED),
    ({"failed": True, "msg": TRANSPORT_REFUSED}, TRANSPORT_REFUSED),
    ({"failed": True}, ""),
])
def test_the_error_windows_gave_is_taken_from_win_service(result, error):
    assert v.start_error(result) == error


def after_start(*, started=(), failed=None, planned=(), held=(), check_mode=False, **statuses):
    starts = v.ServiceStarts(done=True, check_mode=check_mode, started=list(started), failed=dict(failed or {}),
                             planned=list(planned), held=list(held))
    health = copy.deepcopy(HEALTH)
    for item in health["services"]:
        if item["name"] in statuses:
            item["status"] = statuses[item["name"]]
    return starts, evaluate(health=health, starts=starts)


def test_a_service_started_once_passes_and_the_report_records_the_change():
    starts, checks = after_start(started=["MSExchangeIS"])
    assert not v.failed_checks(checks)
    summary = v.summary(checks, starts=starts)
    assert summary.splitlines() == ["Instalación de Exchange verificada: las 10 comprobaciones se cumplen.",
                                    "Se inició una vez el servicio de inicio automático que seguía detenido después del "
                                    "reinicio: MSExchangeIS."]
    assert "started once the automatic service still stopped after the restart: MSExchangeIS." in v.summary(
        checks, "en", starts=starts)
    clean = normalize_payload(v.evidence(checks, starts=starts))
    assert clean.problems == []
    changes = [item for item in clean.evidence if item["kind"] == "change"]
    assert [(item["level"], item["details"]["service"], item["details"]["action"]) for item in changes] == [
        ("ok", "MSExchangeIS", "started")]
    assert "MSExchangeIS" in changes[0]["summary_es"] and "se inició" in changes[0]["summary_es"].lower()


def test_a_service_that_does_not_start_is_named_with_the_error_windows_gave_and_not_waited_for():
    starts, checks = after_start(started=["MSExchangeIS"], failed={"MSExchangeTransport": TRANSPORT_REFUSED},
                                 MSExchangeTransport="Stopped")
    services = by_name(checks)["services"]
    assert not services.ok and not services.transient and not v.worth_waiting(checks)
    assert services.message_es == (
        "Servicios: MSExchangeTransport no arrancó al iniciarlo una vez después del reinicio; Windows respondió: "
        f"{TRANSPORT_REFUSED} Revise en el Visor de eventos los registros Sistema (Service Control Manager) y Aplicación "
        "para MSExchangeTransport, corrija la causa y arránquelo con Start-Service MSExchangeTransport.")
    assert services.message_en.startswith("Services: MSExchangeTransport did not start when started once after the restart; "
                                          f"Windows answered: {TRANSPORT_REFUSED}")
    assert services.actual["not_started"] == {"MSExchangeTransport": TRANSPORT_REFUSED}
    clean = normalize_payload(v.evidence(checks, starts=starts))
    assert clean.problems == []
    failed = [item for item in clean.evidence if item["kind"] == "change" and item["level"] == "error"]
    assert len(failed) == 1 and failed[0]["details"] == {"service": "MSExchangeTransport", "action": "start_failed",
                                                         "error": TRANSPORT_REFUSED}
    assert failed[0]["summary_es"] == f"No se pudo iniciar el servicio MSExchangeTransport: Windows respondió: {TRANSPORT_REFUSED}"


def test_a_service_that_stops_again_after_its_one_start_is_not_waited_for():
    _starts, checks = after_start(started=["MSExchangeIS"], MSExchangeIS="Stopped")
    services = by_name(checks)["services"]
    assert not services.transient
    assert "MSExchangeIS se inició una vez después del reinicio y volvió a detenerse" in services.message_es


def test_check_mode_says_what_would_be_started():
    starts, checks = after_start(planned=["MSExchangeIS"], check_mode=True, MSExchangeIS="Stopped")
    services = by_name(checks)["services"]
    assert not services.ok and not services.transient
    assert "MSExchangeIS (Stopped): se iniciaría una vez (modo de verificación: no se inició)" in services.message_es
    assert "Modo de verificación: se iniciaría una vez el servicio detenido después del reinicio: MSExchangeIS." in v.summary(
        checks, starts=starts)
    clean = normalize_payload(v.evidence(checks, starts=starts))
    assert [item["kind"] for item in clean.evidence].count("change") == 0
    plans = [item for item in clean.evidence if item["kind"] == "plan"]
    assert len(plans) == 1 and plans[0]["details"] == {"service": "MSExchangeIS", "action": "would_start"}


def test_transport_held_by_do_not_start_transport_is_named_with_the_reason():
    starts, checks = after_start(held=["MSExchangeTransport"], MSExchangeTransport="Stopped")
    services = by_name(checks)["services"]
    assert not services.ok
    assert services.message_es == ("Servicios: MSExchangeTransport (Stopped): no se inició porque setup se ejecutó con "
                                   "/DoNotStartTransport; inícielo con Start-Service MSExchangeTransport cuando el transporte "
                                   "esté configurado.")
    clean = normalize_payload(v.evidence(checks, starts=starts))
    notes = [item for item in clean.evidence if item["kind"] == "note"]
    assert len(notes) == 1 and notes[0]["level"] == "warning" and "MSExchangeTransport" in notes[0]["summary_es"]
    # Without setup's command line it is not known whether the administrator asked for it: said so.
    starts.held_known = False
    unknown = by_name(evaluate(health=changed(HEALTH, services=[
        service("MSExchangeTransport") if item["name"] == "MSExchangeTransport" else item for item in HEALTH["services"]]),
        starts=starts))["services"]
    assert "no se inició porque no se sabe si setup se ejecutó con /DoNotStartTransport" in unknown.message_es


def test_without_a_start_the_services_check_is_as_before():
    health = copy.deepcopy(HEALTH)
    health["services"][0]["status"] = "Stopped"
    assert [check.as_dict() for check in evaluate(health=health)] == [
        check.as_dict() for check in evaluate(health=health, starts=v.ServiceStarts())]


def test_a_trial_edition_is_never_all_checks_pass():
    """Issue 20, item 7: a trial passes with a warning (summary, evidence), never "all checks pass"."""
    health = dict(HEALTH, exchange_server=dict(HEALTH["exchange_server"], edition="StandardEvaluation", is_trial=True))
    checks = v.evaluate(FACTS, health, expected_version="15.2.1748.10", required_services=MAILBOX_SERVICES,
                        health_paths=v.DEFAULT_HEALTH_VDIRS)
    assert not v.failed_checks(checks) and v.trial_edition(checks)
    spanish, english = v.summary(checks), v.summary(checks, "en")
    assert spanish.startswith("Instalación de Exchange verificada con una advertencia: Exchange funciona como edición de prueba")
    assert "las 10 comprobaciones se cumplen" not in spanish and "all 10 checks pass" not in english
    assert "rpi_exchange_product_key" in spanish and "Encargado de TI" in spanish
    items = v.evidence(checks)["evidence"]
    assert items[0]["level"] == "warning"
    assert [item["level"] for item in items if item["details"].get("name") == "exchange_server"] == ["warning"]
    licensed = v.evaluate(FACTS, HEALTH, expected_version="15.2.1748.10", required_services=MAILBOX_SERVICES,
                          health_paths=v.DEFAULT_HEALTH_VDIRS)
    assert not v.trial_edition(licensed) and v.evidence(licensed)["evidence"][0]["level"] == "ok"
