"""Parse a Setup.exe command line the way Exchange 2019/SE setup does (exchange-facts §1).

Rules modelled, with their source:
- switches start with `/`, names are case-insensitive, `/Name:value` (value may be quoted; quoting is removed by
  the Windows argv rules) [S1 examples mix `/mode:Install`, `/Mode:Install`, `/r:MB`]; aliases per §1.2/§1.3.
- an unknown switch is refused; `/ProductKey` is not a switch (§1.3 note) nor are the 2016-only UM switches (§1.2).
- `/Mode` defaults to Install; `/Roles` is required for Install; Mailbox and EdgeTransport can't be combined (§1.2).
- `/Mode` and the `/Prepare*` switches are scenario-defining and do not mix (§1.2, "You must complete one mode of
  Setup before you can use another mode" [S1]).
- licence: a licence switch is required (§1.1); the legacy switch fails on CU11+; the DiagnosticData switches do
  not exist before CU11; `/DoNotEnableEP*` need CU14+ (§1.3).
- valid-with column of §1.3; OrganizationName: <= 64 chars of A-Z a-z 0-9 hyphen space, no leading/trailing space;
  TargetDir: not a drive root, not a network path (drive type is checked at run time against the host's volumes).

Console/log message texts for command-line errors are [UNCONFIRMED] (exchange-facts §7): they are plausible
wordings that always name the offending switch, so the product can only rely on the exit code and the switch name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..windows.programs import split_command_line
from .builds import Release
from .switches import (BY_NAME, LICENSE_LEGACY, LICENSE_OFF, LICENSE_ON, MODES, NOT_IN_2019, ROLE_VALUES,
                       Switch)

_ORG_NAME_RE = re.compile(r"^[A-Za-z0-9 -]{1,64}$")
_BOOL = {"true": True, "false": False}


class SetupCommandLineError(ValueError):
    """Setup refuses the command line before doing anything (exit code 1)."""


@dataclass
class Parameter:
    switch: Switch
    given_name: str  # as typed, e.g. "r"
    value: str | None  # None when no ":" part


@dataclass
class SetupCommand:
    """A parsed command line."""

    parameters: list[Parameter] = field(default_factory=list)
    mode: str = ""  # Install | Upgrade | RecoverServer | Uninstall | "" for /Prepare* runs
    prepare: list[str] = field(default_factory=list)  # canonical /Prepare* names in the given order
    provision: str = ""  # "NewProvisionedServer" | "RemoveProvisionedServer" (delegated setup, not modelled further)
    roles: list[str] = field(default_factory=list)  # Mailbox | EdgeTransport | ManagementTools
    license: str = ""  # "on" | "off" | "legacy"

    def has(self, name: str) -> bool:
        return any(p.switch.name.lower() == name.lower() for p in self.parameters)

    def value(self, name: str) -> str | None:
        for p in self.parameters:
            if p.switch.name.lower() == name.lower():
                return p.value
        return None

    @property
    def scenario(self) -> str:
        """The valid-with scenario name (see switches.py)."""
        if self.prepare:
            return "prepare"
        if self.provision:
            return "provision"
        if self.mode == "Install":
            if "Mailbox" in self.roles:
                return "install-mailbox"
            if "EdgeTransport" in self.roles:
                return "install-edge"
            return "install-tools"
        return {"Upgrade": "upgrade", "RecoverServer": "recover", "Uninstall": "uninstall"}[self.mode]

    @property
    def installation_mode(self) -> str:
        """The log's `The installation mode is set to: '<x>'.` value (exchange-facts §4.2 [S2])."""
        return {"Upgrade": "BuildToBuildUpgrade", "RecoverServer": "DisasterRecovery",
                "Uninstall": "Uninstall"}.get(self.mode, "Install")

    def log_parameters(self) -> list[tuple[str, str]]:
        """(name, value) for `Command Line Parameter Name='x', Value='y'.`: canonical names lower-cased (§1.3 [S2])."""
        return [(p.switch.name.lower(), p.value or "") for p in self.parameters]


def _tokens(command_line: str | list[str]) -> list[str]:
    return split_command_line(command_line) if isinstance(command_line, str) else list(command_line)


def _split(token: str) -> tuple[str, str | None]:
    if not token.startswith("/") or len(token) < 2:
        raise SetupCommandLineError(f"The command-line parameter '{token}' isn't valid. Parameters must start with '/'.")
    name, sep, value = token[1:].partition(":")
    return name, (value if sep else None)


def _check_license(cmd: SetupCommand, release: Release) -> None:
    if not cmd.license:
        switches = (f"/{LICENSE_ON} or /{LICENSE_OFF}" if release.diagnostic_data_license_switches
                    else f"/{LICENSE_LEGACY}")
        raise SetupCommandLineError(
            "You need to accept the license terms to install Microsoft Exchange Server. To accept the license "
            f"agreement, add {switches} to the command you're running. For more information, run setup /?.")
    if cmd.license == "legacy" and not release.legacy_license_switch:
        # "this switch is no longer available" from the September 2021 CUs (§1.1 [S1]); wording [UNCONFIRMED].
        raise SetupCommandLineError(
            f"The /{LICENSE_LEGACY} parameter is no longer valid. To accept the license agreement, use "
            f"/{LICENSE_ON} or /{LICENSE_OFF}.")


def _check_values(cmd: SetupCommand) -> None:
    for p in cmd.parameters:
        name, value = p.switch.name, p.value
        if p.switch.value == "required" and not value:
            raise SetupCommandLineError(f"The parameter '/{name}' requires a value.")
        if p.switch.value == "none" and value is not None:
            raise SetupCommandLineError(f"The parameter '/{name}' doesn't take a value.")
        if name in ("ActiveDirectorySplitPermissions", "CustomerFeedbackEnabled") and value.lower() not in _BOOL:
            raise SetupCommandLineError(f"The value '{value}' isn't valid for parameter '/{name}'. Use True or False.")
        if name in ("AdamLdapPort", "AdamSslPort") and not (value.isdigit() and 0 < int(value) < 65536):
            raise SetupCommandLineError(f"The value '{value}' isn't a valid TCP port for parameter '/{name}'.")
        if name == "OrganizationName":
            check_organization_name(value)
        if name == "TargetDir":
            check_target_dir_syntax(value)
        if name == "DbFilePath" and not value.lower().endswith(".edb"):
            raise SetupCommandLineError(f"The value '{value}' for '/DbFilePath' must be a full path to an .edb file.")
        if name == "MdbName" and value.lower().endswith(".edb"):
            raise SetupCommandLineError("The '/MdbName' value is a database name without the .edb extension.")


def check_organization_name(value: str) -> None:
    """§1.3: <= 64 chars; A-Z a-z 0-9 hyphen space; no leading/trailing space."""
    if not _ORG_NAME_RE.match(value) or value != value.strip():
        raise SetupCommandLineError(
            f"The organization name '{value}' isn't valid. It can contain up to 64 letters (A-Z, a-z), numbers, "
            "spaces and hyphens, and can't begin or end with a space.")


def check_target_dir_syntax(value: str) -> None:
    """§1.3: not a drive root, not a network path (ROM/RAM/removable/unknown drives are run-time checks)."""
    v = value.replace("/", "\\").rstrip()
    if v.startswith("\\\\"):
        raise SetupCommandLineError(f"The target directory '{value}' is on a network drive. Specify a local fixed drive.")
    if re.match(r"^[A-Za-z]:\\?$", v):
        raise SetupCommandLineError(f"The target directory '{value}' is the root of a drive. Specify a folder.")
    if not re.match(r"^[A-Za-z]:\\", v):
        raise SetupCommandLineError(f"The target directory '{value}' must be a full local path.")


def _check_scenario(cmd: SetupCommand, release: Release) -> None:
    primaries = [*cmd.prepare, *([cmd.provision] if cmd.provision else [])]
    if (cmd.mode and primaries) or (cmd.prepare and cmd.provision):
        raise SetupCommandLineError(
            f"The parameter '/{primaries[-1]}' can't be used with '/Mode' or another setup mode. You must complete "
            "one mode of Setup before you can use another mode.")
    if not primaries and not cmd.mode:
        cmd.mode = "Install"  # "Install (default if /Mode omitted)" (§1.2)
    if cmd.mode == "Install":
        if not cmd.roles:
            raise SetupCommandLineError("No server role was specified. Use /Roles to specify the roles to install.")
        if "Mailbox" in cmd.roles and "EdgeTransport" in cmd.roles:
            raise SetupCommandLineError("The Mailbox role can't be installed together with the Edge Transport role.")
    scenario = cmd.scenario
    for p in cmd.parameters:
        if scenario not in p.switch.valid_with:
            raise SetupCommandLineError(f"The parameter '/{p.switch.name}' isn't valid with the current setup mode.")
        if p.switch.name.startswith("DoNotEnableEP") and not release.extended_protection_switches:
            raise SetupCommandLineError(f"The parameter '/{p.switch.name}' isn't valid.")  # CU14+ only (§1.3)


def parse(command_line: str | list[str], release: Release) -> SetupCommand:
    """Parse `command_line` (raw string or argv) for the media `release`; raise SetupCommandLineError on refusal."""
    cmd = SetupCommand()
    seen: set[str] = set()
    for token in _tokens(command_line):
        name, value = _split(token)
        switch = BY_NAME.get(name.lower())
        unknown = (switch is None or name.lower() in (n.lower() for n in NOT_IN_2019)
                   or (switch.name in (LICENSE_ON, LICENSE_OFF) and not release.diagnostic_data_license_switches))
        if unknown:
            # /ProductKey, typos, 2016-only UM switches, DiagnosticData switches before CU11 (§1.1, §1.2, §1.3).
            raise SetupCommandLineError(f"The parameter '/{name}' isn't valid. For more information, run setup /?.")
        if switch.name.lower() in seen:
            raise SetupCommandLineError(f"The parameter '/{switch.name}' was specified more than once.")
        seen.add(switch.name.lower())
        cmd.parameters.append(Parameter(switch, name, value))
        if switch.name == "Mode":
            mode = MODES.get((value or "").lower())
            if mode is None:
                raise SetupCommandLineError(f"The value '{value}' isn't valid for parameter '/Mode'.")
            cmd.mode = mode
        elif switch.name == "Roles":
            for item in (value or "").split(","):
                role = ROLE_VALUES.get(item.strip().lower())
                if role is None:
                    raise SetupCommandLineError(f"The value '{item.strip()}' isn't a valid server role for '/Roles'.")
                if role not in cmd.roles:
                    cmd.roles.append(role)
        elif switch.name.startswith("Prepare"):
            cmd.prepare.append(switch.name)
        elif switch.name in ("NewProvisionedServer", "RemoveProvisionedServer"):
            cmd.provision = switch.name
        elif switch.name in (LICENSE_ON, LICENSE_OFF, LICENSE_LEGACY):
            if cmd.license:
                raise SetupCommandLineError("Specify only one of the license terms parameters.")
            cmd.license = {LICENSE_ON: "on", LICENSE_OFF: "off", LICENSE_LEGACY: "legacy"}[switch.name]
    _check_values(cmd)
    _check_scenario(cmd, release)
    _check_license(cmd, release)
    return cmd
