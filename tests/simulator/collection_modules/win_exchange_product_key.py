"""rpi.exchange.win_exchange_product_key: what its PowerShell does on a real server, through the models.

The .ps1, in order: reads MsiInstallPath under ...\\v15\\Setup; loads the Exchange Management Shell exactly as
win_exchange_health.ps1 does (the same stand-in, `_load_shell`); reads Get-ExchangeServer for this server (Edition,
IsExchangeTrialEdition, IsExpiredExchangeTrialEdition, RemainingTrialPeriod, WhenCreatedUTC, ServerRole); with a key and not
in check mode runs `Set-ExchangeServer -Identity <server> -ProductKey <key>` (simulator.exchange.verify.set_product_key: the
key's edition, an invalid key's error, its warnings), `Restart-Service MSExchangeIS -Force` (the Windows model's service
stop and start; the start applies the licence to the Information Store), `Get-Service MSExchangeIS`, and reads
Get-ExchangeServer again. Microsoft's steps: learn.microsoft.com/exchange/plan-and-deploy/post-installation-tasks/
enter-product-key. The simulator decides nothing for the product here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..exchange import verify
from ..windows.modules._common import ModuleCall
from ..windows.state import WindowsHost
from .win_exchange_health import NOT_FOUND, STATUS, _install_path, _load_shell

INFORMATION_STORE = "MSExchangeIS"


def _licence(host: WindowsHost) -> dict[str, Any] | None:
    server = verify.get_exchange_server(host)
    if server is None:
        return None
    return {"name": server["Name"], "fqdn": server["Fqdn"], "admin_display_version": server["AdminDisplayVersion"],
            "edition": server["Edition"], "is_trial": bool(server["IsExchangeTrialEdition"]),
            "is_expired_trial": bool(server["IsExpiredExchangeTrialEdition"]),
            "remaining_trial_period": server["RemainingTrialPeriod"], "when_created_utc": server.get("WhenCreatedUTC"),
            "server_role": server["ServerRole"]}


def _not_found(host: WindowsHost) -> dict[str, str]:
    dc = host.domain.dc_hostname if host.domain is not None and host.domain.dc_hostname else "DC"
    return {"source": "Get-ExchangeServer", "message": NOT_FOUND.format(name=host.hostname, dc=dc)}


def _restart_information_store(host: WindowsHost, store: dict[str, Any]) -> None:
    """Restart-Service -Force: stops the service and what depends on it, then starts it (its start applies the licence)."""
    try:
        host.stop_service(INFORMATION_STORE)
        host.start_service(INFORMATION_STORE)
        store["restarted"] = True
    except (KeyError, RuntimeError) as err:
        store["error"] = str(err).strip("'\"")
    service = host.get_service(INFORMATION_STORE)
    if service is not None:
        store["status"] = STATUS.get(service.state, service.state.title())


def run(host: WindowsHost, call: ModuleCall) -> dict[str, Any]:
    params = call.params
    with host.lock:
        install_path = _install_path(host)
        result: dict[str, Any] = {"changed": False, "install_path": install_path, "exchange_server": None, "after": None,
                                  "entered": False, "would_enter": False, "warnings_from_exchange": [],
                                  "information_store": {"restarted": False, "status": None, "error": None}, "errors": []}
        # The same loading as win_exchange_health.ps1, which this script always asks for (no skip_shell option).
        shell = _load_shell(host, dataclasses.replace(call, params={**params, "skip_shell": False}), install_path)
        result["shell"] = shell
        if not shell["loaded"]:
            return result
        result["exchange_server"] = _licence(host)
        if result["exchange_server"] is None:
            result["errors"].append(_not_found(host))
            return result
        key = params.get("product_key")
        if not key:
            return result
        if call.check_mode:
            result["would_enter"] = result["changed"] = True
            return result
        try:
            result["warnings_from_exchange"] = verify.set_product_key(host, key)
        except verify.ProductKeyError as err:
            result["errors"].append({"source": "Set-ExchangeServer", "message": str(err)})
            return result
        result["entered"] = result["changed"] = True
        if params.get("restart_information_store", True):
            _restart_information_store(host, result["information_store"])
        result["after"] = _licence(host)
        if result["after"] is None:
            result["errors"].append(_not_found(host))
        return result
