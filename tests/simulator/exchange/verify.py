"""Verification answers: what the product's post-install checks would see (exchange-facts §5).

- `get_exchange_server`: Get-ExchangeServer fields (AdminDisplayVersion `Version 15.2 (Build 1748.10)` reflects the CU
  only [S11]; Edition/IsExchangeTrialEdition: no key = Trial, 180 days [S1 enter-product-key]).
- `get_server_component_state`: Get-ServerComponentState rows (all Active after a good setup) [S5].
- `test_service_health`: Test-ServiceHealth rows per role [S12]: an Automatic service of a configured role that isn't
  running is listed in ServicesNotRunning.
- `service_states`: the Exchange services with state and start type (Get-Service).
- `health_check`: `https://<server>/<vdir>/healthcheck.htm` -> (200, "200 OK<br/>...") when the vdir's services run,
  IIS (W3SVC, when modelled) runs, ServerWideOffline is Active and — by default — the server restarted after setup
  (runtime.Options.health_requires_reboot); otherwise 503 [S4 phase 6].
- `exsetup_version`: `(Get-Command ExSetup.exe).FileVersionInfo.FileVersion` [S2].
- `health_body_error`: a page whose headers arrive but whose body read then fails (ServerFaults.health_body_faults): the
  .NET Framework exception HttpWebRequest's response stream throws. ReadWriteTimeout "controls the time-out for the Read
  method ... of the stream returned by the GetResponseStream method" [learn.microsoft.com HttpWebRequest.ReadWriteTimeout];
  on expiry the read throws WebException (Status Timeout) "The operation has timed out." (FtpWebRequest's page states it;
  [UNCONFIRMED] that HttpWebRequest's ConnectStream throws the same type rather than an IOException); a connection closed
  by the server mid-body is the IOException "Unable to read data from the transport connection: An existing connection
  was forcibly closed by the remote host." (the SocketException 10054 text, wrapped by NetworkStream.Read).
"""

from __future__ import annotations

from typing import Any

from ..windows.state import WindowsHost
from .faults import server_faults
from .runtime import ExchangeModel, model_for
from .services import SERVICES

TRIAL_DAYS = 180
VDIRS = {"owa": "MSExchangeIS", "ecp": "MSExchangeIS", "ews": "MSExchangeIS", "autodiscover": "MSExchangeADTopology",
         "microsoft-server-activesync": "MSExchangeIS", "oab": "MSExchangeIS", "mapi": "MSExchangeRPC",
         "rpc": "MSExchangeRPC"}
HEALTH_ROLES = {  # Test-ServiceHealth roles on a Mailbox server [S12] and the services each requires
    "Mailbox Server Role": ("MSExchangeADTopology", "MSExchangeDelivery", "MSExchangeIS", "MSExchangeMailboxAssistants",
                            "MSExchangeRepl", "MSExchangeRPC", "MSExchangeServiceHost", "MSExchangeSubmission",
                            "MSExchangeThrottling", "MSExchangeTransportLogSearch"),
    "Client Access Server Role": ("MSExchangeADTopology", "MSExchangeMailboxReplication", "MSExchangeRPC",
                                  "MSExchangeServiceHost"),
    "Hub Transport Server Role": ("MSExchangeADTopology", "MSExchangeEdgeSync", "MSExchangeServiceHost",
                                  "MSExchangeTransport", "MSExchangeTransportLogSearch"),
}


def _model(host: WindowsHost) -> ExchangeModel:
    model = model_for(host)
    if model is None:
        raise LookupError(f"{host.hostname} has no Exchange model (simulator.exchange.runtime.attach)")
    model.flush()
    return model


def _running(host: WindowsHost, name: str) -> bool:
    svc = host.get_service(name)
    return svc is not None and svc.state == "running"


def service_states(host: WindowsHost) -> list[dict[str, str]]:
    model = _model(host)
    return [{"Name": s.name, "DisplayName": s.display_name, "Status": s.state.title(),
             "StartType": {"auto": "Automatic", "delayed": "Automatic", "manual": "Manual"}.get(s.start_mode, "Disabled")}
            for s in sorted(model.install.exchange_services(), key=lambda s: s.name.lower())]


def get_exchange_server(host: WindowsHost) -> dict[str, Any] | None:
    """None when no server object exists (the cmdlet's "couldn't be found" error)."""
    model = _model(host)
    server = model.org.server(host.hostname)
    if server is None or model.install.installed_build() is None:
        return None
    trial = not server.product_key
    return {"Name": server.name, "Fqdn": server.fqdn, "AdminDisplayVersion": server.build.admin_display_version,
            "Edition": server.edition, "IsExchangeTrialEdition": trial, "IsExpiredExchangeTrialEdition": False,
            "RemainingTrialPeriod": f"{TRIAL_DAYS}.00:00:00" if trial else "00:00:00",
            "ServerRole": "Mailbox", "Site": server.site, "IsMailboxServer": True,
            "OrganizationName": model.org.name}


def set_product_key(host: WindowsHost, key: str, edition: str = "Standard") -> None:
    """`Set-ExchangeServer -ProductKey` (+ `Restart-Service MSExchangeIS`) [S1 enter-product-key]."""
    parts = key.split("-")
    if len(parts) != 5 or any(len(p) != 5 or not p.isalnum() for p in parts):
        raise ValueError("The product key is not valid: it has the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX.")
    server = _model(host).org.server(host.hostname)
    if server is None:
        raise LookupError(f"The operation couldn't be performed because object '{host.hostname}' couldn't be found.")
    server.product_key, server.edition = key.upper(), edition


def get_server_component_state(host: WindowsHost) -> list[dict[str, str]]:
    server = _model(host).org.server(host.hostname)
    if server is None:
        return []
    return [{"Component": name, "State": state, "Requester": requester}
            for name, (state, requester) in server.component_states.items()]


def test_service_health(host: WindowsHost) -> list[dict[str, Any]]:
    model = _model(host)
    if not model.install.roles_with("ConfiguredVersion") or model.org.server(host.hostname) is None:
        return []
    rows = []
    for role, names in HEALTH_ROLES.items():
        present = [n for n in names if host.get_service(n) is not None]
        running = [n for n in present if _running(host, n)]
        stopped = [n for n in present if n not in running and SERVICES[n.lower()].start_mode == "auto"]
        rows.append({"Role": role, "RequiredServicesRunning": not stopped, "ServicesRunning": running,
                     "ServicesNotRunning": stopped})
    return rows


def health_check(host: WindowsHost, vdir: str) -> tuple[int, str]:
    model = _model(host)
    if not host.is_up():
        raise ConnectionError(f"{host.fqdn} is not reachable")
    key = vdir.strip("/").split("/")[0].lower()
    if key not in VDIRS or model.install.installed_build() is None:
        return 404, "404 - File or directory not found."
    server = model.org.server(host.hostname)
    w3svc = host.get_service("W3SVC")
    up = (_running(host, "MSExchangeADTopology") and _running(host, VDIRS[key])
          and (w3svc is None or w3svc.state == "running")
          and server is not None and server.component_states.get("ServerWideOffline", ("Active", ""))[0] == "Active"
          and (model.rebooted_since_setup or not model.options.health_requires_reboot))
    if not up:
        return 503, "503 Service Unavailable"
    return 200, f"200 OK<br/>{host.fqdn}<br/>{model.install.installed_build()}"


# What reading a page's body throws, per ServerFaults.health_body_faults kind: (.NET exception type, its Message).
HEALTH_BODY_ERRORS = {
    "timeout": ("System.Net.WebException", "The operation has timed out."),
    "reset": ("System.IO.IOException", "Unable to read data from the transport connection: An existing connection was "
                                       "forcibly closed by the remote host."),
}


def health_body_error(host: WindowsHost, vdir: str) -> tuple[str, str] | None:
    """(exception type, message) that reading this page's body throws once its headers came, or None (it reads)."""
    key = vdir.strip("/").split("/")[0].lower()
    kind = server_faults(host).health_body_faults.get(key)
    return HEALTH_BODY_ERRORS[kind] if kind else None


def exsetup_version(host: WindowsHost) -> str | None:
    model = _model(host)
    node = host.fs.get(model.install.install_path() + "Bin\\ExSetup.exe")
    return node.version if node is not None else None
