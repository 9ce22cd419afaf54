"""Exchange's services after a restart: they can take many minutes to run (issue 14, defect 2).

Windows starts the automatic services at boot, and the Exchange ones then wait for each other and for Active
Directory: MSExchangeADTopology first, most others depend on it (exchange-facts §5.2 [S6]); after an install or a
cumulative update the first start also compiles and warms up .NET code, and IIS answers the health pages 503 until
the application pools behind them run (Install-Exchange15 requests every healthcheck.htm after setup's restart to
"warm up IIS" [S4 phase 6]). How long this takes is not documented [UNCONFIRMED]: the issue reports it often exceeds
the ~500 s that exchange_verify used to wait; this fault makes it any length.

`arm_slow_start(host, seconds)` sets ServerFaults.slow_start_seconds and wires the host once: at every boot the Exchange
services that start automatically are left StartPending, and they run once `seconds` of simulated time have passed
since the boot. The time is the simulated clock's only (never shortened by the clock's speed factor, as outages and
setup steps are): what must cover it is the waiting of whoever reads the server, and a test advances the clock for
that waiting. While the services are pending, everything that depends on them answers as on a real server: Get-Service
StartPending, Test-ServiceHealth, the 503 health pages and the shell's HTTP 500 (verify.py, the win_exchange_health
stand-in).

`arm_stopped_after_boot(host, name, error=None)` (issue 16, item 8): from the next boot on, the automatic Exchange service
`name` stays Stopped after every boot, as one whose start at boot failed or timed out does (the Information Store that
found no domain controller yet; Service Control Manager event 7000/7009 [UNCONFIRMED which]). A start asked for later
(Start-Service, ansible.windows.win_service) succeeds, or, with `error`, is refused with it: `cannot_start(...)` gives the
text Start-Service writes when the service's process does not start, "Service '<display name> (<name>)' cannot be started
due to the following error: Cannot start service <name> on computer '.'." (Start-Service's ServiceCommandException around
ServiceController.Start's InvalidOperationException; the same text as ExchangeSetup_Service_Disabled.log,
faults.REAL_ERRORS["service_disabled"]). The refusal lasts while the service is left stopped by a boot.
"""

from __future__ import annotations

import weakref
from datetime import datetime, timedelta

from ..windows.state import WindowsHost
from ..windows.state_types import Service
from .faults import server_faults
from .runtime import model_for

_WIRED: "weakref.WeakSet[WindowsHost]" = weakref.WeakSet()
# host -> (when the services run, their names)
_PENDING: "weakref.WeakKeyDictionary[WindowsHost, tuple[datetime, list[str]]]" = weakref.WeakKeyDictionary()
# host -> the services the last boot left stopped (name, lower case) -> the error a start gets ("" when it starts)
_LEFT_STOPPED: "weakref.WeakKeyDictionary[WindowsHost, dict[str, str]]" = weakref.WeakKeyDictionary()


def _wire(host: WindowsHost) -> None:
    if host not in _WIRED:
        host.boot_listeners.append(_on_boot)
        host.poll_listeners.append(_on_poll)
        host.service_start_listeners.append(_on_start)
        _WIRED.add(host)


def arm_slow_start(host: WindowsHost, seconds: float) -> None:
    """From the next boot on, Exchange's automatic services run `seconds` of simulated time after the boot (0: at boot)."""
    with host.lock:
        server_faults(host).slow_start_seconds = max(0.0, float(seconds))
        _wire(host)


def cannot_start(host: WindowsHost, name: str) -> str:
    """What Start-Service writes when service `name`'s process does not start (its display name as the host knows it)."""
    svc = host.get_service(name)
    display = svc.display_name if svc is not None else name
    real = svc.name if svc is not None else name
    return (f"Service '{display} ({real})' cannot be started due to the following error: Cannot start service {real} on "
            "computer '.'.")


def arm_stopped_after_boot(host: WindowsHost, name: str, error: str | None = None) -> None:
    """From the next boot on, the automatic service `name` stays Stopped after each boot; a later start succeeds, or with
    `error` (for example cannot_start(host, name)) is refused with that text."""
    with host.lock:
        server_faults(host).stopped_after_boot[name.lower()] = error or ""
        _wire(host)


def left_stopped(host: WindowsHost) -> dict[str, str]:
    """The services the last boot left stopped that have not started since, with the error a start gets ("" none)."""
    return dict(_LEFT_STOPPED.get(host) or {})


def _on_start(host: WindowsHost, svc: Service) -> None:
    left = _LEFT_STOPPED.get(host)
    if not left or svc.name.lower() not in left:
        return
    error = left[svc.name.lower()]
    if error:
        host.log(f"start of {svc.name} refused: {error}")
        raise RuntimeError(error)
    del left[svc.name.lower()]


def pending_until(host: WindowsHost) -> datetime | None:
    """When the services still coming up after the last boot will run, or None (none pending)."""
    pending = _PENDING.get(host)
    return pending[0] if pending else None


def _on_boot(host: WindowsHost) -> None:
    faults = server_faults(host)
    seconds = faults.slow_start_seconds
    model = model_for(host)
    left: dict[str, str] = {}
    if model is not None:
        for svc in model.install.exchange_services():
            if svc.name.lower() in faults.stopped_after_boot and svc.start_mode in ("auto", "delayed"):
                svc.state = "stopped"
                left[svc.name.lower()] = faults.stopped_after_boot[svc.name.lower()]
                host.log(f"{svc.name} left stopped by the boot")
    _LEFT_STOPPED[host] = left
    if seconds <= 0 or model is None:
        _PENDING.pop(host, None)
        return
    starting = [svc for svc in model.install.exchange_services()
                if svc.start_mode in ("auto", "delayed") and svc.name.lower() not in left]
    for svc in starting:
        svc.state = "start_pending"
    _PENDING[host] = (host.now() + timedelta(seconds=seconds), [svc.name for svc in starting])
    host.log(f"Exchange services start pending for {seconds:.0f} simulated seconds after the boot")


def _on_poll(host: WindowsHost) -> None:
    pending = _PENDING.get(host)
    if pending is None or host.now() < pending[0]:
        return
    for name in pending[1]:
        svc = host.get_service(name)
        if svc is not None and svc.state == "start_pending":
            svc.state = "running"
    del _PENDING[host]
    host.log("Exchange services running after their slow start")
