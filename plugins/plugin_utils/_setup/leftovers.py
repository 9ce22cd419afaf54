# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What Exchange setup leaves on a server while it runs or after it failed, read from the probe's raw facts.

- Which processes are Exchange setup: `ExSetup*` always (setup's engine); a process named `Setup.exe` only when it runs
  from a CD-ROM volume (the mounted media: win_exchange_setup_status applies the same rule while it waits), from setup's own temporary copy
  (`%SystemRoot%\\Temp\\ExchangeSetup`, where the log says "Setup will run from path ..."), or from a folder the caller
  names; one whose path Windows did not tell counts too (better to wait for a stranger than to start a second setup).
  Any other installer called Setup.exe (a driver, an agent) is not Exchange's and must not block a run.
- Which Windows services to put back: a cumulative update's setup stops and disables WMI (Winmgmt), the World Wide
  Web Publishing Service, Remote Registry and Performance Logs & Alerts, and enables them again only when it restores
  services; an upgrade that failed before that leaves them disabled (ExchangeDsc issue #496, from the System log's
  service-control events; CSS-Exchange issue #1034). Without WMI the media cannot be mounted (Mount-DiskImage is CIM)
  nor the features read, so a person puts them back before anything else, to the start types Windows Server installs
  them with (and Remote Registry to Automatic, which Exchange requires: exchange-facts §2.3).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

SETUP_TEMP_FOLDER = "%SystemRoot%\\Temp\\ExchangeSetup"
# The services setup disables during a CU, with the start type to put back (Windows Server's default; Remote Registry:
# Exchange's requirement).
SERVICES_SETUP_DISABLES = {"Winmgmt": "auto", "W3SVC": "auto", "RemoteRegistry": "auto", "pla": "manual"}
SOURCES = ("ExchangeDsc issue #496", "CSS-Exchange issue #1034", "S1 prerequisites (Remote Registry Automatic)")


def _under(path: str, folder: str) -> bool:
    return path.lower().startswith(folder.rstrip("\\").lower() + "\\")


def is_exchange_setup(process: Mapping[str, Any], *, system_root: str = "C:\\Windows", media_roots: Iterable[str] = ()) -> bool:
    name = str(process.get("name") or "").lower()
    path = process.get("executable_path")
    if name.startswith("exsetup") or not path:
        return True
    path = str(path)
    temp = SETUP_TEMP_FOLDER.replace("%SystemRoot%", system_root.rstrip("\\"))
    return _under(path, temp) or any(_under(path, root) for root in media_roots)


def cdrom_roots(volumes: Iterable[Mapping[str, Any]]) -> list[str]:
    """The roots of the CD-ROM volumes (a mounted ISO is one), as `E:\\`."""
    return [f"{str(volume.get('drive_letter') or '').upper()}:\\" for volume in volumes
            if str(volume.get("drive_type") or "").upper() == "CDROM" and volume.get("drive_letter")]


def split_setup_processes(processes: Iterable[Mapping[str, Any]], *, system_root: str = "C:\\Windows",
                          media_roots: Iterable[str] = ()) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(Exchange setup's processes, other processes named Setup)."""
    roots = list(media_roots)
    setup, others = [], []
    for process in processes:
        (setup if is_exchange_setup(process, system_root=system_root, media_roots=roots) else others).append(dict(process))
    return setup, others


def services_to_restore(start_types: Mapping[str, Any], *, setup_left_state: bool, setup_running: bool) -> list[dict[str, str]]:
    """The services to put back before anything else, with their start type: only when an earlier setup left its state
    on the server (a watermark) and none is running now, and only those it disables that are Disabled."""
    if not setup_left_state or setup_running:
        return []
    return [{"name": name, "start_mode": mode} for name, mode in SERVICES_SETUP_DISABLES.items()
            if str(start_types.get(name) or "").lower() == "disabled"]
