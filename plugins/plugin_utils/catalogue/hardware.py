# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Hardware and disk figures for Exchange 2019/SE servers, and the file-system rules.

Microsoft gives memory as a *recommended* minimum (setup has no readiness rule for it),
while the disk-space figures are requirements [S1 system requirements]. The distinction
is kept in the data (`blocking`) so that activity 2 of the manual (prepare the server) can
warn about memory and stop on disk space.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    EDGE,
    MAILBOX,
    MANAGEMENT_TOOLS,
    normalize_role,
)

GIB_IN_MB = 1024
PAGEFILE_PERCENT_OF_RAM = 25
MAX_SUPPORTED_MEMORY_GB = 256


@dataclass(frozen=True)
class Requirement:
    """One measurable minimum. `blocking` False means Microsoft recommends it but setup doesn't enforce it."""

    key: str
    minimum: int
    unit: str
    blocking: bool
    description: str
    source: str = "S1"


@dataclass(frozen=True)
class HardwareRequirements:
    role: str
    items: tuple[Requirement, ...]

    def get(self, key: str) -> Requirement | None:
        return next((item for item in self.items if item.key == key), None)


_DISK = (
    Requirement("install_drive_free", 30 * GIB_IN_MB, "MB", True, "Free space on the drive where Exchange is installed"),
    Requirement("system_drive_free", 200, "MB", True, "Free space on the system drive"),
)
_QUEUE = Requirement("queue_drive_free", 500, "MB", True, "Free space on the drive that holds the message queue database")

_MEMORY = {
    MAILBOX: Requirement("memory", 128 * GIB_IN_MB, "MB", False, "Installed memory (Mailbox: 128 GB minimum recommended)"),
    EDGE: Requirement("memory", 64 * GIB_IN_MB, "MB", False, "Installed memory (Edge Transport: 64 GB minimum recommended)"),
}


def hardware_requirements(role: str) -> HardwareRequirements:
    """Memory and disk minimums for a role (management tools: disk only)."""
    canonical = normalize_role(role)
    if canonical == MANAGEMENT_TOOLS:
        return HardwareRequirements(canonical, _DISK)
    return HardwareRequirements(canonical, (_MEMORY[canonical],) + _DISK + (_QUEUE,))


def recommended_pagefile_mb(installed_memory_mb: int) -> int:
    """Paging file size for Exchange 2019/SE: minimum = maximum = 25 % of installed memory [S1]."""
    if installed_memory_mb <= 0:
        raise ValueError("installed memory must be positive")
    return installed_memory_mb * PAGEFILE_PERCENT_OF_RAM // 100


NTFS = "NTFS"
REFS = "ReFS"

# What each kind of data may live on [S1; S6 system-requirements]. Transport databases are
# NTFS only (see CATALOGUE_NOTES 'file_system').
FILE_SYSTEMS: dict[str, tuple[str, ...]] = {
    "system_partition": (NTFS,),
    "exchange_binaries": (NTFS,),
    "diagnostic_logs": (NTFS,),
    "transport_database": (NTFS,),
    "mailbox_database": (NTFS, REFS),
    "transaction_logs": (NTFS, REFS),
}


def file_system_allowed(purpose: str, file_system: str) -> bool:
    """True when `file_system` (as Windows reports it: NTFS, ReFS) may hold data of `purpose`."""
    allowed = FILE_SYSTEMS.get(purpose)
    if allowed is None:
        raise ValueError(f"unknown storage purpose {purpose!r}; expected one of {', '.join(FILE_SYSTEMS)}")
    return file_system.strip().lower() in {name.lower() for name in allowed}
