"""Start the simulated server from a capture of a real one (`make simulator CAPTURE=<file>`, issue 14).

A capture is the JSON file `playbooks/capture_server.yml` writes (docs/capture.md): the raw answers of
`rpi.exchange.win_exchange_probe`, `win_exchange_setup_status` and `win_exchange_health`, with the probe's arguments.
The server starts from the preset closest to what the probe saw (Windows version, Server Core, Exchange installed,
interrupted or failed), then the probe's answer is written on top (capture_overlay.py). What could not be written is
listed, so a demo or a test on a capture says where it still runs on the preset's guesses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import presets
from .capture_overlay import Field, Overlay
from .clock import Clock
from .exchange.builds import Build, release_for_build
from .windows.state import WindowsHost

SCHEMA_VERSION = 1
PROBE, STATUS, HEALTH = "win_exchange_probe", "win_exchange_setup_status", "win_exchange_health"
YEARS = {17763: 2019, 20348: 2022, 26100: 2025}
# Installed Exchange presets by release (presets.py); an older CU starts from the oldest one.
RELEASE_PRESETS = {"2019-CU14": "exchange-2019-cu14", "2019-CU15": "exchange-2019-cu15", "SE-RTM": "exchange-se"}
NOT_FROM_PROBE = {STATUS: "not used: the state is built from the probe's answer",
                  HEALTH: "not used: the Exchange model answers for the shell, services and health pages"}


class CaptureError(ValueError):
    """The file is not a capture this simulator reads."""


@dataclass
class CaptureState:
    host: WindowsHost
    preset: str
    mapped: list[Field]
    unmapped: list[tuple[Field, str]]
    document: dict[str, Any]

    def summary(self) -> str:
        """What `make simulator CAPTURE=...` prints: the server, the preset, and what stays the preset's guess."""
        lines = [f"Capture of {self.document.get('host', {}).get('name') or '?'} taken {self.document.get('captured_at') or '?'}"
                 f" with ansible-core {self.document.get('ansible_core') or '?'}: started from preset {self.preset}, "
                 f"{len(self.mapped)} probe fields mapped."]
        if self.unmapped:
            lines.append("Not mapped (the preset's state stays):")
            lines += [f"  - {field_name(path)}: {why}" for path, why in self.unmapped]
        return "\n".join(lines)


def load(path: str | Path) -> dict[str, Any]:
    """Read a capture file; CaptureError when it is not one."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise CaptureError(f"{path}: not a readable JSON file ({err})") from err
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise CaptureError(f"{path}: not a capture of schema version {SCHEMA_VERSION} (playbooks/capture_server.yml writes them)")
    if not isinstance((document.get("results") or {}).get(PROBE), dict):
        raise CaptureError(f"{path}: the capture has no answer of rpi.exchange.{PROBE}")
    return document


def probe_of(document: dict[str, Any]) -> dict[str, Any]:
    return document["results"][PROBE]


def closest_preset(probe: dict[str, Any]) -> str:
    """The preset whose Windows and Exchange state is nearest to the probe's answer."""
    os_ = probe.get("os") or {}
    build = int(os_.get("build") or 20348)
    year = YEARS[min(YEARS, key=lambda known: abs(known - build))]  # an unknown build: the nearest Windows Server
    core = "core" in str(os_.get("installation_type") or "").lower()
    exchange = probe.get("exchange") or {}
    role_keys = exchange.get("role_keys") or {}
    installed = _installed_build(exchange)
    exchange_year = year if year in (2019, 2022) else 2022  # Exchange presets exist on 2019 and 2022
    if any((values or {}).get("Watermark") for values in role_keys.values()):
        upgrading = any((values or {}).get("Action") == "BuildToBuildUpgrade" for values in role_keys.values())
        return "ws2022-exchange-upgrade-failed" if upgrading and installed else f"ws{exchange_year}-exchange-interrupted"
    if installed is not None:
        release = release_for_build(installed)
        suffix = RELEASE_PRESETS.get(release.key if release else "") or (
            "exchange-se" if installed.is_se else "exchange-2019-cu14" if installed < Build(15, 2, 1748, 0) else "exchange-2019-cu15")
        return f"ws{exchange_year}-{suffix}"
    features = probe.get("features") or []
    # A prepared server has every feature asked for (Server Core: all but three Desktop-only ones); a bare one has the
    # two Windows installs by default.
    ready = bool(features) and sum(bool(item.get("installed")) for item in features) >= 0.75 * len(features)
    computer = probe.get("computer") or {}
    if ready and year == 2022 and not core and computer.get("domain_role") in (4, 5):
        return "ws2022-ready-domain-controller"
    if ready and year == 2022 and not core and computer.get("part_of_domain") is False:
        return "ws2022-ready-workgroup"
    name = f"ws{year}{'-core' if core else ''}-{'ready' if ready else 'bare'}"
    return name if name in presets.names() else presets.DEFAULT_PRESET


def _installed_build(exchange: dict[str, Any]) -> Build | None:
    setup_key = exchange.get("setup_key") or {}
    try:
        build = Build(*(int(setup_key[name]) for name in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")))
    except (KeyError, TypeError, ValueError):
        return None
    return build if exchange.get("uninstall_key") else None


def build(document: dict[str, Any], clock: Clock | None = None) -> CaptureState:
    """A host in the captured state: the closest preset with the probe's answer written on top."""
    probe = probe_of(document)
    preset = closest_preset(probe)
    host = presets.build(preset, clock=clock)
    overlay = Overlay(host, probe, (document.get("arguments") or {}).get(PROBE) or {})
    overlay.apply()
    unmapped = list(overlay.unmapped)
    scrubbed = [item["field"] for item in (document.get("scrubbed") or {}).get("fields") or []
                if str(item.get("field", "")).startswith(f"results.{PROBE}.")]
    unmapped += [((name.removeprefix(f"results.{PROBE}."),), "scrubbed in the capture: written as ********") for name in scrubbed]
    for module, why in NOT_FROM_PROBE.items():
        if (document.get("results") or {}).get(module) is not None:
            unmapped.append(((f"results.{module}",), why))
    return CaptureState(host, preset, list(overlay.mapped), unmapped, document)


def field_name(path: Field) -> str:
    """exchange.role_keys.MailboxRole; a registry key path in brackets; a one-part path as it is (a capture's own name)."""
    if len(path) == 1:
        return path[0]
    out = ""
    for part in path:
        out += f"[{part}]" if "\\" in part or "." in part else ("." if out else "") + part
    return out
