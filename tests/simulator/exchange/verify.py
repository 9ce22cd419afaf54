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

from datetime import timedelta, timezone
from typing import Any

from ..windows.state import WindowsHost
from .faults import server_faults
from .runtime import ExchangeModel, model_for
from .services import SERVICES

TRIAL_DAYS = 180
VDIRS = {"owa": "MSExchangeIS", "ecp": "MSExchangeIS", "ews": "MSExchangeIS", "autodiscover": "MSExchangeADTopology",
         "microsoft-server-activesync": "MSExchangeIS", "oab": "MSExchangeIS", "mapi": "MSExchangeRPC",
         "rpc": "MSExchangeRPC"}
# Test-ServiceHealth on an Edge Transport server: one role, its Automatic services [S12 Test-ServiceHealth "any service
# required by a configured role"; Edge services per S6 services-overview] [INFERRED role name].
EDGE_HEALTH_ROLES = {
    "Edge Transport Server Role": ("ADAM_MSExchange", "MSExchangeEdgeCredential", "MSExchangeServiceHost",
                                   "MSExchangeTransport", "MSExchangeTransportLogSearch", "MSExchangeAntispamUpdate"),
}
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
    server = model.local_server()  # on an Edge server: the AD LDS object (runtime.ExchangeModel.local_server)
    if server is None or model.install.installed_build() is None:
        return None
    edge = server is model.edge_server
    trial = not server.product_key
    remaining = _remaining_trial(host, server) if trial else timedelta(0)
    created = server.when_created
    return {"Name": server.name, "Fqdn": server.fqdn, "AdminDisplayVersion": server.build.admin_display_version,
            "Edition": server.edition, "IsExchangeTrialEdition": trial, "IsExpiredExchangeTrialEdition": trial and not remaining,
            "RemainingTrialPeriod": _timespan(remaining),
            "WhenCreatedUTC": created.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if created else None,
            "ServerRole": "Edge" if edge else "Mailbox", "Site": "" if edge else server.site, "IsMailboxServer": not edge,
            "IsEdgeServer": edge, "OrganizationName": "" if edge else model.org.name}


def _remaining_trial(host: WindowsHost, server: Any) -> timedelta:
    """The trial's 180 days from the server object's creation, never below zero (the whole period when the creation time
    is not modelled, as on a server built before this field existed)."""
    if server.when_created is None:
        return timedelta(days=TRIAL_DAYS)
    return max(timedelta(0), server.when_created + timedelta(days=TRIAL_DAYS) - host.clock.now())


def _timespan(value: timedelta) -> str:
    """A TimeSpan as PowerShell's string conversion prints it: `[d.]hh:mm:ss`."""
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    text = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}.{text}" if days else text


# The keys the simulated Microsoft sold, and the edition (SKU) each one carries: a real key's edition is known only to
# Exchange, which reads it from the key (ProductKey.Sku.ServerEdition in Set-ExchangeServer); a well-formed key that is
# not one of them is refused like a key of no valid SKU. The demo inventory uses the Standard one.
TEST_PRODUCT_KEYS = {
    "RPI00-DEMO0-STAND-ARD00-0KEY1": "Standard",
    "RPI00-DEMO0-ENTER-PRISE-0KEY2": "Enterprise",
}
# Set-ExchangeServer's ProductKey parameter is of Exchange's ProductKey type: a text that is not a key fails its
# conversion, a key of no valid SKU is an InvalidProductKeyException (Strings.InvalidProductKey) [UNCONFIRMED wording of
# both]; Enterprise licensed and a Standard key is ServerAlreadyLicensed as an error, the same edition again only a
# warning (Set-ExchangeServer.ShouldGeneratePid, decompiled). After a key is taken the cmdlet warns that the
# Information Store must be restarted (Strings.ProductKeyRestartWarning) [UNCONFIRMED wording].
BAD_FORMAT = ("Cannot process argument transformation on parameter 'ProductKey'. Cannot convert value \"{shown}\" to type "
              "\"Microsoft.Exchange.Management.SystemConfigurationTasks.ProductKey\".")
INVALID_KEY = "The product key is invalid."
ALREADY_LICENSED = "Server {name} is already licensed."
RESTART_WARNING = ("The product key has been validated and set. You must restart the Microsoft Exchange Information Store "
                   "service (MSExchangeIS) for the change to take effect.")


class ProductKeyError(ValueError):
    """Set-ExchangeServer's error, with the text the cmdlet writes."""


def set_product_key(host: WindowsHost, key: str) -> list[str]:
    """`Set-ExchangeServer -Identity <server> -ProductKey <key>` [S1 enter-product-key]; returns the cmdlet's warnings.
    The edition comes from the key; the Information Store applies it at its next restart (information_store_restarted)."""
    parts = key.split("-")
    if len(parts) != 5 or any(len(p) != 5 or not p.isalnum() for p in parts):
        raise ProductKeyError(BAD_FORMAT.format(shown="*****"))  # never echo the key, even in the simulator's error
    model = _model(host)
    server = model.local_server()
    if server is None:
        raise LookupError(f"The operation couldn't be performed because object '{host.hostname}' couldn't be found.")
    edition = TEST_PRODUCT_KEYS.get(key.upper())
    if edition is None:
        raise ProductKeyError(INVALID_KEY)
    if server.product_key:
        if server.edition == edition:
            return [ALREADY_LICENSED.format(name=server.name)]
        if server.edition == "Enterprise":
            raise ProductKeyError(ALREADY_LICENSED.format(name=server.name))
    edge = server is model.edge_server
    # Edge servers are licensed too (Set-ExchangeServer in the Edge's own shell [S1 enter-product-key]); there is no
    # Information Store to restart on them, so no restart is pending [INFERRED: the warning names MSExchangeIS].
    server.product_key, server.edition, server.store_restart_pending = key.upper(), edition, not edge
    return [] if edge else [RESTART_WARNING]


def information_store_restarted(host: WindowsHost, service: Any) -> None:
    """A service-start listener: MSExchangeIS starting applies a licence taken by Set-ExchangeServer."""
    if str(getattr(service, "name", "")).lower() != "msexchangeis":
        return
    model = model_for(host)
    server = model.org.server(host.hostname) if model is not None else None
    if server is not None:
        server.store_restart_pending = False


def get_server_component_state(host: WindowsHost) -> list[dict[str, str]]:
    server = _model(host).local_server()
    if server is None:
        return []
    return [{"Component": name, "State": state, "Requester": requester}
            for name, (state, requester) in server.component_states.items()]


def test_service_health(host: WindowsHost) -> list[dict[str, Any]]:
    model = _model(host)
    server = model.local_server()
    if not model.install.roles_with("ConfiguredVersion") or server is None:
        return []
    rows = []
    for role, names in (EDGE_HEALTH_ROLES if server is model.edge_server else HEALTH_ROLES).items():
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
    server = model.local_server()
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
