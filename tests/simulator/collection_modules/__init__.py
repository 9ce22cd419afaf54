"""Emulation of the collection's own Windows modules (rpi.exchange.win_*), by name and documented options.

Each one answers from the Windows model's state exactly what its PowerShell reads on a real server
(registry values, CIM properties, files); none imports product code. Option specs come from
`ansible-doc` like the standard modules' (simulator/windows/specs.json).
"""

from __future__ import annotations

from ..windows import modules as registry
from . import (win_exchange_ad_readiness, win_exchange_health, win_exchange_probe, win_exchange_product_key, win_exchange_run_lock,
               win_exchange_setup_status)

_registered = False


def register_all() -> None:
    global _registered  # pylint: disable=global-statement
    if not _registered:
        registry.register_module("rpi.exchange.win_exchange_probe", win_exchange_probe.run)
        registry.register_module("rpi.exchange.win_exchange_health", win_exchange_health.run)
        registry.register_module("rpi.exchange.win_exchange_run_lock", win_exchange_run_lock.run)
        registry.register_module("rpi.exchange.win_exchange_setup_status", win_exchange_setup_status.run)
        registry.register_module("rpi.exchange.win_exchange_product_key", win_exchange_product_key.run)
        registry.register_module("rpi.exchange.win_exchange_ad_readiness", win_exchange_ad_readiness.run)
        _registered = True
