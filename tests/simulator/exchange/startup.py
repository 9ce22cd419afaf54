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
"""

from __future__ import annotations

import weakref
from datetime import datetime, timedelta

from ..windows.state import WindowsHost
from .faults import server_faults
from .runtime import model_for

_WIRED: "weakref.WeakSet[WindowsHost]" = weakref.WeakSet()
# host -> (when the services run, their names)
_PENDING: "weakref.WeakKeyDictionary[WindowsHost, tuple[datetime, list[str]]]" = weakref.WeakKeyDictionary()


def arm_slow_start(host: WindowsHost, seconds: float) -> None:
    """From the next boot on, Exchange's automatic services run `seconds` of simulated time after the boot (0: at boot)."""
    with host.lock:
        server_faults(host).slow_start_seconds = max(0.0, float(seconds))
        if host not in _WIRED:
            host.boot_listeners.append(_on_boot)
            host.poll_listeners.append(_on_poll)
            _WIRED.add(host)


def pending_until(host: WindowsHost) -> datetime | None:
    """When the services still coming up after the last boot will run, or None (none pending)."""
    pending = _PENDING.get(host)
    return pending[0] if pending else None


def _on_boot(host: WindowsHost) -> None:
    seconds = server_faults(host).slow_start_seconds
    model = model_for(host)
    if seconds <= 0 or model is None:
        _PENDING.pop(host, None)
        return
    starting = [svc for svc in model.install.exchange_services() if svc.start_mode in ("auto", "delayed")]
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
