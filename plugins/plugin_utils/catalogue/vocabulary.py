# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The words the catalogue's questions take: roles, Windows installation types, setup modes.

Setup accepts several spellings (`/r:mb`, `/Roles:Mailbox`, `/mode:install`) and inventories
use their own (`core`, `Server Core`), so every query normalises through here once and the
tables elsewhere only ever hold the canonical names.
"""

from __future__ import annotations

MAILBOX = "Mailbox"
EDGE = "EdgeTransport"
MANAGEMENT_TOOLS = "ManagementTools"
ROLES = (MAILBOX, EDGE, MANAGEMENT_TOOLS)

# Setup's own role aliases [S1 unattended-installs] plus the names Windows and people use.
_ROLE_ALIASES = {
    "mailbox": MAILBOX, "mb": MAILBOX,
    "edgetransport": EDGE, "et": EDGE, "edge": EDGE,
    "managementtools": MANAGEMENT_TOOLS, "mt": MANAGEMENT_TOOLS, "t": MANAGEMENT_TOOLS, "tools": MANAGEMENT_TOOLS,
}

DESKTOP_EXPERIENCE = "DesktopExperience"
SERVER_CORE = "ServerCore"
INSTALLATION_TYPES = (DESKTOP_EXPERIENCE, SERVER_CORE)

# Windows reports InstallationType as `Server` (Desktop Experience) or `Server Core`
# (HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\InstallationType).
_INSTALLATION_ALIASES = {
    "desktopexperience": DESKTOP_EXPERIENCE, "desktop": DESKTOP_EXPERIENCE, "server": DESKTOP_EXPERIENCE,
    "gui": DESKTOP_EXPERIENCE, "servercore": SERVER_CORE, "core": SERVER_CORE,
}

# /Mode values [S1 unattended-installs]. Install is the default when /Mode is absent.
INSTALL = "Install"
UPGRADE = "Upgrade"
UNINSTALL = "Uninstall"
RECOVER_SERVER = "RecoverServer"
MODES = (INSTALL, UPGRADE, UNINSTALL, RECOVER_SERVER)

# The AD preparation and provisioning operations are switches of their own, but a command
# runs exactly one of them or one /Mode, so the catalogue treats them as modes.
PREPARE_SCHEMA = "PrepareSchema"
PREPARE_AD = "PrepareAD"
PREPARE_DOMAIN = "PrepareDomain"
PREPARE_ALL_DOMAINS = "PrepareAllDomains"
NEW_PROVISIONED_SERVER = "NewProvisionedServer"
REMOVE_PROVISIONED_SERVER = "RemoveProvisionedServer"
PREPARE_OPERATIONS = (PREPARE_SCHEMA, PREPARE_AD, PREPARE_DOMAIN, PREPARE_ALL_DOMAINS)
OPERATIONS = MODES + PREPARE_OPERATIONS + (NEW_PROVISIONED_SERVER, REMOVE_PROVISIONED_SERVER)

_OPERATION_ALIASES = {name.lower(): name for name in OPERATIONS}
_OPERATION_ALIASES.update({"ps": PREPARE_SCHEMA, "p": PREPARE_AD, "pd": PREPARE_DOMAIN, "pad": PREPARE_ALL_DOMAINS,
                           "nprs": NEW_PROVISIONED_SERVER, "rprs": REMOVE_PROVISIONED_SERVER})


def _key(value: object) -> str:
    return "".join(str(value).split()).replace("-", "").replace("_", "").lower()


def normalize_role(value: object) -> str:
    """Canonical role name for any accepted spelling; ValueError otherwise."""
    role = _ROLE_ALIASES.get(_key(value))
    if role is None:
        raise ValueError(f"unknown Exchange role {value!r}; expected one of {', '.join(ROLES)}")
    return role


def normalize_installation_type(value: object) -> str:
    """`DesktopExperience` or `ServerCore` for any accepted spelling; ValueError otherwise."""
    kind = _INSTALLATION_ALIASES.get(_key(value))
    if kind is None:
        raise ValueError(f"unknown Windows installation type {value!r}; expected one of {', '.join(INSTALLATION_TYPES)}")
    return kind


def normalize_operation(value: object) -> str:
    """Canonical setup mode or preparation operation (`install` -> `Install`, `p` -> `PrepareAD`)."""
    operation = _OPERATION_ALIASES.get(_key(value))
    if operation is None:
        raise ValueError(f"unknown setup mode {value!r}; expected one of {', '.join(OPERATIONS)}")
    return operation
