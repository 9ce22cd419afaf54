"""rpi.exchange.win_exchange_health: what its PowerShell reads on a real server, read from the models.

The .ps1 loads the Exchange Management Shell locally (RemoteExchange.ps1, its banner and tip aliased to Out-Null, then
Connect-ExchangeServer -ServerFqdn <this server's FQDN>, never -Auto; Edge: the snap-in + Exchange.ps1, exchange-facts
§5.4), then asks Get-ExchangeServer, Get-ServerComponentState and
Test-ServiceHealth; it reads Get-Service for the names it is given, GETs https://localhost/<path>, and reads
ExSetup.exe's FileVersion. Here the answers come from the Exchange model (simulator.exchange.verify) and the Windows
model; this file only says whether the shell would load, from what a real server would show:

- no `MsiInstallPath` under ...\\v15\\Setup: the script's own "not installed" error; no RemoteExchange.ps1: the same.
- Connect-ExchangeServer is remote PowerShell to http://<fqdn>/PowerShell on the local IIS (exchange-facts §5.4), so:
  - without network credentials (an NTLM/Kerberos WinRM logon without become) it is a second hop and fails
    (exchange-facts §6.1) with the Kerberos "logon session does not exist" error [UNCONFIRMED wording for EMS];
  - with IIS (W3SVC) stopped nothing answers on the PowerShell virtual directory;
  - an account outside Organization Management is refused [UNCONFIRMED wording];
  - the /PowerShell front end exists once the Client Access Front End role (CafeRole) is configured, and its back end
    needs MSExchangeADTopology and the server object; otherwise the endpoint answers HTTP 500 [UNCONFIRMED wording].
  - the local endpoint's own failure (ServerFaults.powershell_endpoint_broken) answers HTTP 500 too.
  On failure Connect-ExchangeServer prompts for a server (Read-Host), which fails in Ansible's non-interactive runspace;
  the .ps1 reports the shell as not loaded with those messages. Another Exchange server of the site (in AD only) is
  never tried: -Auto, which the script used before issue 14, would have tried each and loaded the shell there
  (ConnectFunctions.ps1 _AutoDiscoverAndConnect / _ConnectToAnyServer, the file RemoteExchange.ps1 dot-sources).
Health pages: one GET per path through the script's C# helper (HttpWebRequest, Timeout and ReadWriteTimeout =
timeout_seconds). A page whose headers arrive and whose body read then throws (verify.health_body_error) is that page's
error, with the status the headers gave and no body: the helper catches the read (issue 14, defect 8).
The simulator decides nothing for the product here.
"""

from __future__ import annotations

from typing import Any

from ..exchange import verify
from ..exchange.faults import server_faults
from ..exchange.runtime import model_for
from ..windows.modules._common import ModuleCall
from ..windows.state import WindowsHost

EXCHANGE_ROOT = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
SETUP_KEY_PS = r"HKLM:\SOFTWARE\Microsoft\ExchangeServer\v15\Setup"
MANAGEMENT_GROUP = "Organization Management"
BODY_LIMIT = 4096
STATUS = {"running": "Running", "stopped": "Stopped", "paused": "Paused", "start_pending": "StartPending",
          "stop_pending": "StopPending"}
START_TYPE = {"auto": "Automatic", "delayed": "Automatic", "manual": "Manual", "disabled": "Disabled"}

NOT_INSTALLED = f"Exchange Server is not installed: {SETUP_KEY_PS} has no MsiInstallPath."
NO_SHELL = "The Exchange Management Shell is not installed: {path} does not exist."
NOT_LOADED = "The Exchange Management Shell did not load: Get-ExchangeServer is not available."
CONNECT_FAILED = "Connecting to remote server {fqdn} failed with the following error message : {reason}"
DOUBLE_HOP = ("WinRM cannot process the request. The following error with errorcode 0x8009030e occurred while using "
              "Kerberos authentication: A specified logon session does not exist. It may already have been terminated. "
              "For more information, see the about_Remote_Troubleshooting Help topic.")
IIS_DOWN = ("The WinRM client cannot complete the operation within the time specified. Check if the machine name is "
            "valid and is reachable over the network and firewall exception for the Windows Remote Management service is "
            "enabled. For more information, see the about_Remote_Troubleshooting Help topic.")
ACCESS_DENIED = "Access is denied. For more information, see the about_Remote_Troubleshooting Help topic."
SERVER_ERROR = ("The WinRM client received an HTTP server error status (500), but the remote service did not include any "
                "other information about the cause of the failure. For more information, see the "
                "about_Remote_Troubleshooting Help topic.")
PROMPT_FAILED = ("Read-Host : Windows PowerShell is in NonInteractive mode. Read and Prompt functionality is not "
                 "available.")
NOT_FOUND = "The operation couldn't be performed because object '{name}' couldn't be found on '{dc}'."
NO_CONNECTION = "Unable to connect to the remote server"


def _install_path(host: WindowsHost) -> str | None:
    value = host.registry.get(EXCHANGE_ROOT + r"\Setup", "MsiInstallPath")
    return str(value) if value else None


def _running(host: WindowsHost, name: str) -> bool:
    svc = host.get_service(name)
    return svc is not None and svc.state == "running"


def _services(host: WindowsHost, names: list[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        svc = host.get_service(name)
        if svc is None:
            out.append({"name": name, "exists": False, "status": None, "start_type": None})
        else:
            out.append({"name": svc.name, "exists": True, "status": STATUS.get(svc.state, svc.state.title()),
                        "start_type": START_TYPE.get(svc.start_mode, "Disabled")})
    return out


def _health(host: WindowsHost, paths: list[str], has_model: bool, timeout_seconds: int) -> list[dict[str, Any]]:
    out = []
    for path in paths:
        relative = path.lstrip("/")
        url = f"https://localhost/{relative}"
        if not has_model or host.get_service("W3SVC") is None:
            # No web server at all: nothing listens on 443.
            out.append({"path": "/" + relative, "url": url, "status_code": 0, "body": "", "error": NO_CONNECTION})
            continue
        status, body = verify.health_check(host, "/" + relative)
        failure = verify.health_body_error(host, "/" + relative)
        if failure is not None:
            kind, message = failure
            if kind.endswith("WebException"):
                host.clock.advance(max(1, timeout_seconds))  # the read waited ReadWriteTimeout before it threw
            # The C# helper catches what reading the body throws and returns it as this page's error, with the status
            # its headers gave and no body; the other pages and the shell are still read.
            out.append({"path": "/" + relative, "url": url, "status_code": status, "body": "", "error": message})
            continue
        out.append({"path": "/" + relative, "url": url, "status_code": status, "body": body[:BODY_LIMIT], "error": None})
    return out


def _connect_failure(host: WindowsHost, call: ModuleCall) -> str | None:
    """ConnectFunctions.ps1 _NewExchangeRunspace: why New-PSSession to this server's own http://<fqdn>/PowerShell (Kerberos,
    the logon's own credentials) can't open, or None when it can."""
    if not call.network_credentials:
        return DOUBLE_HOP
    if not _running(host, "W3SVC"):
        return IIS_DOWN
    if not host.in_group(call.user, MANAGEMENT_GROUP):
        return ACCESS_DENIED
    model = model_for(host)
    configured = model.install.roles_with("ConfiguredVersion") if model else []
    if (model is None or model.org.server(host.hostname) is None or "CafeRole" not in configured
            or not _running(host, "MSExchangeADTopology") or server_faults(host).powershell_endpoint_broken):
        return SERVER_ERROR
    return None


def _connect_local(host: WindowsHost, call: ModuleCall) -> tuple[str | None, list[str]]:
    """`Connect-ExchangeServer -ServerFqdn <this server's FQDN>` (RemoteExchange.ps1's ConnectFunctions.ps1): one
    _OpenExchangeRunspace to this server; when it fails, access denied (5) or a logon failure (1326) ends the function
    (`break connectScope`), any other failure falls through to its Read-Host prompt for a server, which fails in Ansible's
    non-interactive runspace. Another server is never tried. Returns (the FQDN connected to or None, the errors written,
    oldest first)."""
    fqdn = _local_fqdn(host)
    reason = _connect_failure(host, call)
    if reason is None:
        return fqdn, []
    errors = [CONNECT_FAILED.format(fqdn=fqdn, reason=reason)]
    return None, errors if reason == ACCESS_DENIED else errors + [PROMPT_FAILED]


def _local_fqdn(host: WindowsHost) -> str:
    """[System.Net.NetworkInformation.IPGlobalProperties]: HostName, plus "." + DomainName (the primary DNS suffix) when
    there is one."""
    return host.fqdn


def _load_shell(host: WindowsHost, call: ModuleCall, install_path: str | None) -> dict[str, Any]:
    shell: dict[str, Any] = {"requested": not call.params["skip_shell"], "loaded": False, "kind": None, "target": None,
                             "server": None, "error": None, "messages": [], "user": call.user}
    if not shell["requested"]:
        return shell
    if not install_path:
        shell["error"] = NOT_INSTALLED
        return shell
    bin_dir = install_path.rstrip("\\") + "\\Bin\\"
    if host.registry.key_exists(EXCHANGE_ROOT + r"\EdgeTransportRole"):
        shell["kind"] = "snapin"  # local snap-in: no remoting, no second hop
        if host.fs.get(bin_dir + "Exchange.ps1") is None or model_for(host) is None:
            shell["error"] = f"The term '{bin_dir}Exchange.ps1' is not recognized as the name of a cmdlet, function, script file, or operable program."
            return shell
        shell["loaded"] = True
        return shell
    shell["kind"] = "remote"
    remote_exchange = bin_dir + "RemoteExchange.ps1"
    if host.fs.get(remote_exchange) is None:
        shell["error"] = NO_SHELL.format(path=remote_exchange)
        return shell
    shell["target"] = _local_fqdn(host)
    # Get-ExBanner and Get-Tip are aliased to Out-Null before RemoteExchange.ps1 is dot-sourced: nothing to model.
    connected, errors = _connect_local(host, call)
    if connected is None:
        shell["messages"] = list(dict.fromkeys(errors))[:10]  # $Error, oldest first, unique, at most 10
        shell["error"] = NOT_LOADED
        return shell
    shell["loaded"], shell["server"] = True, connected
    return shell


def _ask_shell(host: WindowsHost, result: dict[str, Any]) -> None:
    server = verify.get_exchange_server(host)
    if server is None:
        dc = host.domain.dc_hostname if host.domain is not None and host.domain.dc_hostname else "DC"
        result["errors"].append({"source": "Get-ExchangeServer", "message": NOT_FOUND.format(name=host.hostname, dc=dc)})
    else:
        result["exchange_server"] = {"name": server["Name"], "fqdn": server["Fqdn"],
                                     "admin_display_version": server["AdminDisplayVersion"], "edition": server["Edition"],
                                     "is_trial": bool(server["IsExchangeTrialEdition"]), "server_role": server["ServerRole"]}
    result["component_states"] = [
        {"component": row["Component"], "state": row["State"],
         "requesters": [{"requester": row["Requester"], "state": row["State"]}] if row.get("Requester") else []}
        for row in verify.get_server_component_state(host)]
    result["service_health"] = [
        {"role": row["Role"], "required_services_running": bool(row["RequiredServicesRunning"]),
         "services_not_running": list(row["ServicesNotRunning"])}
        for row in verify.test_service_health(host)]


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    params = call.params
    with host.lock:
        has_model = model_for(host) is not None
        install_path = _install_path(host)
        result: dict[str, Any] = {
            "changed": False,
            "install_path": install_path,
            "exsetup_file_version": verify.exsetup_version(host) if install_path and has_model else None,
            "services": _services(host, list(params["service_names"] or [])),
            "health": _health(host, list(params["health_paths"] or []), has_model, int(params["timeout_seconds"])),
            "exchange_server": None,
            "component_states": [],
            "service_health": [],
            "errors": [],
        }
        shell = _load_shell(host, call, install_path)
        result["shell"] = shell
        if shell["loaded"]:
            _ask_shell(host, result)
        return result
