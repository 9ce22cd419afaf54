"""Emulation of rpi.exchange.win_exchange_health (simulator/collection_modules/win_exchange_health.py)."""

from __future__ import annotations

import pytest

from simulator import collection_modules, presets
from simulator.exchange import presets as exchange_presets
from simulator.exchange.faults import server_faults
from simulator.exchange.runtime import model_for
from simulator.windows.presets import PASSWORDS
from simulator.windows.testing import Runner

MODULE = "rpi.exchange.win_exchange_health"
ADMIN = "RPI\\svc-exchange"
ARGS = {"service_names": ["MSExchangeIS", "MSExchangeIMAP4", "MSExchangeFrontEndTransport", "NoSuchService"],
        "health_paths": ["/owa/healthcheck.htm", "/ecp/healthcheck.htm"]}


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


@pytest.fixture(scope="module")
def cu15_host():
    return presets.build("ws2022-exchange-2019-cu15")


def as_admin(runner: Runner, args=None, **kwargs):
    return runner.module(MODULE, dict(ARGS if args is None else args), become_user=ADMIN, become_password=PASSWORDS[ADMIN],
                         **kwargs)


def test_installed_server_as_the_exchange_admin(cu15_host) -> None:
    result = as_admin(Runner(cu15_host))
    assert result["changed"] is False and "failed" not in result
    assert result["shell"] == {"requested": True, "loaded": True, "kind": "remote", "target": "RPI-EXCH01.rpi.gob.gt",
                               "server": "RPI-EXCH01.rpi.gob.gt", "error": None, "messages": [], "user": ADMIN}
    assert result["exchange_server"] == {"name": "RPI-EXCH01", "fqdn": "RPI-EXCH01.rpi.gob.gt",
                                         "admin_display_version": "Version 15.2 (Build 1748.10)", "edition": "StandardEvaluation",
                                         "is_trial": True, "server_role": "Mailbox"}
    assert result["exsetup_file_version"] == "15.02.1748.010"
    assert result["install_path"] == "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
    states = {row["component"]: row for row in result["component_states"]}
    assert states["ServerWideOffline"] == {"component": "ServerWideOffline", "state": "Active",
                                           "requesters": [{"requester": "Functional", "state": "Active"}]}
    assert [row["role"] for row in result["service_health"]] == ["Mailbox Server Role", "Client Access Server Role",
                                                                 "Hub Transport Server Role"]
    assert all(row["required_services_running"] for row in result["service_health"])
    assert result["services"] == [
        {"name": "MSExchangeIS", "exists": True, "status": "Running", "start_type": "Automatic"},
        {"name": "MSExchangeIMAP4", "exists": True, "status": "Stopped", "start_type": "Manual"},
        {"name": "MSExchangeFrontEndTransport", "exists": True, "status": "Running", "start_type": "Automatic"},
        {"name": "NoSuchService", "exists": False, "status": None, "start_type": None},
    ]
    assert [(item["path"], item["url"], item["status_code"]) for item in result["health"]] == [
        ("/owa/healthcheck.htm", "https://localhost/owa/healthcheck.htm", 200),
        ("/ecp/healthcheck.htm", "https://localhost/ecp/healthcheck.htm", 200)]
    assert result["health"][0]["body"].startswith("200 OK")
    assert result["errors"] == []


def test_check_mode_reads_the_same(cu15_host) -> None:
    runner = Runner(cu15_host)
    normal, checked = as_admin(runner), as_admin(runner, check=True)
    assert checked["changed"] is False and "skipped" not in checked
    normal.pop("invocation")
    checked.pop("invocation")
    assert normal == checked


def test_double_hop_without_become_over_ntlm(cu15_host) -> None:
    result = Runner(cu15_host, auth="ntlm").module(MODULE, ARGS)
    shell = result["shell"]
    assert shell["loaded"] is False and shell["user"] == "RPI\\svc-ansible"
    assert "0x8009030e" in shell["messages"][0] and "logon session does not exist" in shell["messages"][0]
    assert shell["error"].startswith("The Exchange Management Shell did not load")
    assert result["exchange_server"] is None and result["component_states"] == [] and result["service_health"] == []
    # The rest does not need the shell: services and pages are still read.
    assert result["services"][0]["status"] == "Running" and result["health"][0]["status_code"] == 200


def test_become_carries_credentials_over_ntlm(cu15_host) -> None:
    assert as_admin(Runner(cu15_host, auth="ntlm"))["shell"]["loaded"] is True


def test_an_account_without_exchange_roles_is_refused(cu15_host) -> None:
    # Basic carries the password (no double hop), but RPI\svc-ansible is not in Organization Management.
    shell = Runner(cu15_host).module(MODULE, ARGS)["shell"]
    assert shell["loaded"] is False and "Access is denied" in shell["messages"][0]


def test_skip_shell(cu15_host) -> None:
    result = as_admin(Runner(cu15_host), dict(ARGS, skip_shell=True))
    assert result["shell"]["requested"] is False and result["shell"]["loaded"] is False and result["shell"]["error"] is None
    assert result["exchange_server"] is None and result["services"][0]["exists"]


def test_exchange_not_installed() -> None:
    result = as_admin(Runner(presets.build("ws2022-exchange-ready")))
    assert result["install_path"] is None and result["exsetup_file_version"] is None
    assert result["shell"]["loaded"] is False
    assert result["shell"]["error"] == ("Exchange Server is not installed: HKLM:\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup "
                                        "has no MsiInstallPath.")
    assert result["services"][1]["exists"] is False
    # IIS is there (prerequisites), Exchange's virtual directories are not.
    assert [item["status_code"] for item in result["health"]] == [404, 404]


def test_bare_windows_has_no_web_server() -> None:
    result = as_admin(Runner(presets.build("ws2022-bare")))
    assert [item["status_code"] for item in result["health"]] == [0, 0]
    assert result["health"][0]["error"] == "Unable to connect to the remote server"


def test_interrupted_setup() -> None:
    result = as_admin(Runner(presets.build("ws2022-exchange-interrupted")))
    assert result["exsetup_file_version"] == "15.02.1748.010"
    assert result["shell"]["loaded"] is False
    assert "HTTP server error status (500)" in result["shell"]["messages"][0]
    assert result["services"][0] == {"name": "MSExchangeIS", "exists": True, "status": "Stopped", "start_type": "Automatic"}
    assert [item["status_code"] for item in result["health"]] == [503, 503]


def test_right_after_setup_the_pages_answer_503_until_the_restart() -> None:
    host = presets.build("ws2022-exchange-ready")
    assert exchange_presets.run_setup(host, "2019-CU15", exchange_presets.INSTALL_ARGS) == 0
    runner = Runner(host)
    before = as_admin(runner)
    assert before["shell"]["loaded"] is True
    assert [item["status_code"] for item in before["health"]] == [503, 503]
    exchange_presets.restart(host)
    after = as_admin(runner)
    assert [item["status_code"] for item in after["health"]] == [200, 200]


def test_stopped_service_and_inactive_component_are_read_from_the_models() -> None:
    host = presets.build("ws2022-exchange-2019-cu15")
    host.stop_service("MSExchangeFrontEndTransport")
    model_for(host).org.server(host.hostname).component_states["ServerWideOffline"] = ("Inactive", "Maintenance")
    result = as_admin(Runner(host))
    assert result["services"][2] == {"name": "MSExchangeFrontEndTransport", "exists": True, "status": "Stopped",
                                     "start_type": "Automatic"}
    states = {row["component"]: row for row in result["component_states"]}
    assert states["ServerWideOffline"]["requesters"] == [{"requester": "Maintenance", "state": "Inactive"}]
    # ServerWideOffline Inactive takes the web site's health pages down [verify.health_check].
    assert [item["status_code"] for item in result["health"]] == [503, 503]


def test_iis_stopped_stops_the_shell() -> None:
    host = presets.build("ws2022-exchange-2019-cu15")
    host.stop_service("W3SVC")
    shell = as_admin(Runner(host))["shell"]
    assert shell["loaded"] is False and "cannot complete the operation" in shell["messages"][0]


def test_missing_server_object_is_the_cmdlets_error() -> None:
    host = presets.build("ws2022-exchange-2019-cu15")
    model = model_for(host)
    server = model.org.servers.pop(host.hostname.lower())
    try:
        result = as_admin(Runner(host))
    finally:
        model.org.servers[host.hostname.lower()] = server
    assert result["shell"]["loaded"] is False and "500" in result["shell"]["messages"][0]


def test_unknown_option_is_refused(cu15_host) -> None:
    result = as_admin(Runner(cu15_host), {"nope": 1})
    assert result["failed"] and "nope" in result["msg"]


# ------------------------------------------------------------------------------------------------ issue 14, defect 8
@pytest.mark.parametrize("kind, message", [
    ("timeout", "The operation has timed out."),
    ("reset", "Unable to read data from the transport connection: An existing connection was forcibly closed by the "
              "remote host."),
])
def test_a_health_page_whose_body_read_fails_is_that_pages_error(kind, message) -> None:
    host = presets.build("ws2022-exchange-2019-cu15")
    server_faults(host).health_body_faults["owa"] = kind
    before = host.now()
    result = as_admin(Runner(host), dict(ARGS, timeout_seconds=15))
    assert "failed" not in result, result.get("msg")
    owa, ecp = result["health"]
    assert owa == {"path": "/owa/healthcheck.htm", "url": "https://localhost/owa/healthcheck.htm", "status_code": 200,
                   "body": "", "error": message}
    assert ecp["status_code"] == 200 and ecp["error"] is None and ecp["body"].startswith("200 OK")
    # The rest of the reading goes on: the shell, its cmdlets and the services.
    assert result["shell"]["loaded"] is True and result["exchange_server"]["name"] == "RPI-EXCH01"
    waited = (host.now() - before).total_seconds()
    assert waited >= 15 if kind == "timeout" else waited < 15  # a stalled body costs its ReadWriteTimeout


# ------------------------------------------------------------------------------------------------ issue 14, defect 5
def test_the_shell_connects_to_this_server_only() -> None:
    host = presets.build("ws2022-exchange-2019-cu15-site-peer")
    server_faults(host).powershell_endpoint_broken = True  # this server's /PowerShell answers 500; RPI-EXCH02's works
    result = as_admin(Runner(host))
    shell = result["shell"]
    assert shell["loaded"] is False
    assert shell["messages"][0] == ("Connecting to remote server RPI-EXCH01.rpi.gob.gt failed with the following error "
                                    "message : The WinRM client received an HTTP server error status (500), but the remote "
                                    "service did not include any other information about the cause of the failure. For "
                                    "more information, see the about_Remote_Troubleshooting Help topic.")
    assert not any("RPI-EXCH02" in message for message in shell["messages"])
    assert shell["target"] == "RPI-EXCH01.rpi.gob.gt" and shell["server"] is None
    assert result["exchange_server"] is None and result["component_states"] == [] and result["service_health"] == []
    # The web pages and services are another matter: they still answer.
    assert [item["status_code"] for item in result["health"]] == [200, 200]


def test_with_another_server_in_the_site_the_shell_is_still_this_servers() -> None:
    result = as_admin(Runner(presets.build("ws2022-exchange-2019-cu15-site-peer")))
    assert result["shell"]["loaded"] is True
    assert result["shell"]["target"] == result["shell"]["server"] == "RPI-EXCH01.rpi.gob.gt"
