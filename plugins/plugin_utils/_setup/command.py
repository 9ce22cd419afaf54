# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one Setup.exe command line that activities 3-8 of ME-VAR-RPI-MNP-15 add up to.

Activity 3 runs the installer (the media's `Setup.exe`), 4 and 8 start it (the command
itself), 5 chooses the location (/TargetDir), 6 accepts the licence (the licence switch),
7 chooses the custom options (/Roles and the optional switches). `build_command` joins the
validated parts: every switch is checked with the catalogue's `validate_switch` for the
mode, role and media build, and rendered with `render_switch` (canonical spelling, values
with spaces quoted).

Two rules from exchange-facts §6.7: the executable is always the media's own `Setup.exe`
at the media root, run from that folder (`.\\setup.exe`), never the `ExSetup.exe` that the
PATH finds under `<install>\\V15\\Bin`; and the command line carries no secret (Setup.exe
has no password or product-key switch; the check below makes that a hard error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    SwitchProblem,
    find_switch,
    parse_version,
    render_switch,
    validate_switch,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switches import LICENSE_SWITCHES
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    INSTALL,
    RECOVER_SERVER,
    UPGRADE,
    normalize_operation,
    normalize_role,
)

SETUP_EXE = "Setup.exe"
SETUP_MODES = (INSTALL, UPGRADE, RECOVER_SERVER)

# The order switches appear in after the licence, /Mode and /Roles: the wizard's order
# (location, organisation, database, then the other options). Unlisted switches follow.
SWITCH_ORDER = (
    "TargetDir", "OrganizationName", "MdbName", "DbFilePath", "LogFolderPath", "DomainController", "DisableAMFiltering",
    "DoNotStartTransport", "DoNotEnableEP", "DoNotEnableEP_FEEWS", "InstallWindowsComponents", "EnableErrorReporting",
    "UpdatesDir",
)
# Switches the plan sets itself: a caller can't pass them as options.
_PLAN_SWITCHES = ("Mode", "Roles") + LICENSE_SWITCHES
# Words that would mean a secret on the command line (a command line is logged and reported).
_SECRET_NAME = re.compile(r"pass(word)?|pwd|secret|credential|productkey|token|apikey", re.IGNORECASE)
_DRIVE_FOLDER = re.compile(r"^[A-Za-z]:(\\[^\\]+)*$")
_UNC_FOLDER = re.compile(r"^\\\\[^\\]+\\[^\\]+(\\[^\\]+)*$")
# An installed Exchange's folders (exchange-facts §6.7: the PATH copy of setup lives in V15\Bin).
_INSTALL_FOLDER = re.compile(r"\\v15(\\bin)?$|\\exchange server\\v15(\\|$)", re.IGNORECASE)


class PlanError(ValueError):
    """The plan can't become a command line; `problems` says why (SwitchProblem or text)."""

    def __init__(self, problems: Iterable[SwitchProblem | str]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


class SecretInCommandLine(PlanError):
    """A secret would appear on the Setup.exe command line."""


@dataclass(frozen=True)
class SetupPlan:
    """Everything the command line is made of.

    `mode` is a /Mode value (Install, Upgrade, RecoverServer; any spelling
    `normalize_operation` reads); `license_switch` is the one activity 6's acceptance record
    carries (`licence.accepted_switch`), never derived here; `role` is used with Install only;
    `switches` are the optional switches as (canonical name, value) pairs, value None for a flag.
    """

    media_root: str
    media_version: str
    mode: str
    license_switch: str
    role: str | None = None
    switches: tuple[tuple[str, Any], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"media_root": self.media_root, "media_version": self.media_version, "mode": self.mode,
                "license_switch": self.license_switch, "role": self.role,
                "switches": [{"name": name, "value": value} for name, value in self.switches]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SetupPlan:
        switches = []
        for item in data.get("switches") or []:
            if isinstance(item, Mapping):
                switches.append((str(item["name"]), item.get("value")))
            else:
                name, value = item
                switches.append((str(name), value))
        return cls(media_root=str(data["media_root"]), media_version=str(data["media_version"]), mode=str(data["mode"]),
                   license_switch=str(data["license_switch"]), role=data.get("role"), switches=tuple(switches))


@dataclass(frozen=True)
class SetupCommand:
    """The command: run `executable` with `arguments` from `working_directory` (the media root)."""

    executable: str
    arguments: tuple[str, ...]
    working_directory: str
    mode: str

    @property
    def argument_string(self) -> str:
        return " ".join(self.arguments)

    @property
    def command_line(self) -> str:
        executable = f'"{self.executable}"' if " " in self.executable else self.executable
        return " ".join((executable,) + self.arguments)

    def as_dict(self) -> dict[str, Any]:
        return {"executable": self.executable, "arguments": list(self.arguments), "argument_string": self.argument_string,
                "command_line": self.command_line, "working_directory": self.working_directory, "mode": self.mode}


def setup_executable(media_root: str) -> tuple[str, str]:
    """(`<root>\\Setup.exe`, `<root>`) for the media's root folder (`D:`, `D:\\`, `E:\\Media`, `\\\\srv\\share\\x`).

    A path to the media's Setup.exe is accepted too. Refused: relative paths, ExSetup.exe
    and folders of an installed Exchange (`...\\V15\\Bin`), whose setup is the wrong one.
    """
    text = str(media_root or "").strip().replace("/", "\\")
    if text.lower().endswith("exsetup.exe"):
        raise PlanError([f"'{media_root}' is ExSetup.exe of an installed Exchange; run the media's Setup.exe from the media root."])
    if text.lower() == SETUP_EXE.lower() or text.lower().endswith("\\" + SETUP_EXE.lower()):
        text = text[:-len(SETUP_EXE)]
    folder = text.rstrip("\\")
    if not (_DRIVE_FOLDER.match(folder) or _UNC_FOLDER.match(folder)) or any(part in (".", "..") for part in folder.split("\\")):
        raise PlanError([f"'{media_root}' is not the full path of the media's root folder (for example D:\\)."])
    if _INSTALL_FOLDER.search(folder):
        raise PlanError([f"'{media_root}' is an installed Exchange's folder; run the media's Setup.exe from the media root "
                         "(exchange-facts §6.7)."])
    if len(folder) == 2:
        folder = folder.upper() + "\\"
    executable = folder + ("" if folder.endswith("\\") else "\\") + SETUP_EXE
    return executable, folder


def _order(switches: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    def rank(item: tuple[int, tuple[str, Any]]) -> tuple[int, int]:
        index, (name, _value) = item
        switch = find_switch(name)
        canonical = switch.name if switch else name
        return (SWITCH_ORDER.index(canonical) if canonical in SWITCH_ORDER else len(SWITCH_ORDER), index)
    return [item for _index, item in sorted(enumerate(switches), key=rank)]


def assert_no_secret(arguments: Iterable[str], forbidden_values: Iterable[str] = ()) -> None:
    """Raise SecretInCommandLine when an argument is a secret-looking switch or contains a forbidden value."""
    arguments = list(arguments)
    for argument in arguments:
        name = argument.lstrip("/").split(":", 1)[0]
        if _SECRET_NAME.search(name) or find_switch(name) is None:
            raise SecretInCommandLine([f"/{name} is not a Setup.exe switch this plan may carry (no secrets on the command line)."])
    line = " ".join(arguments)
    for value in forbidden_values:
        if value and str(value) in line:
            raise SecretInCommandLine(["A secret value appears on the Setup.exe command line."])


def build_command(plan: SetupPlan, *, forbidden_values: Iterable[str] = ()) -> SetupCommand:
    """The Setup.exe command for `plan`; PlanError lists every problem when there is any.

    Arguments: the plan's licence switch (activity 6's record; the catalogue checks it for the
    media build), /Mode, /Roles (Install only), then the options in `SWITCH_ORDER`. `forbidden_values`
    are secrets the caller holds (a become password, say) that must not appear anywhere.
    """
    problems: list[SwitchProblem | str] = []
    try:
        mode = normalize_operation(plan.mode)
    except ValueError:
        mode = str(plan.mode)
    if mode not in SETUP_MODES:
        raise PlanError([f"'{plan.mode}' is not a setup mode this procedure runs ({', '.join(SETUP_MODES)})."])
    try:
        build = parse_version(plan.media_version)
    except ValueError as error:
        raise PlanError([f"'{plan.media_version}' is not an Exchange version."]) from error
    executable, working_directory = setup_executable(plan.media_root)
    accepted = find_switch(plan.license_switch)
    if accepted is None or accepted.name not in LICENSE_SWITCHES:
        raise PlanError([f"'{plan.license_switch}' is not a licence switch (activity 6's acceptance record gives it)."])
    arguments = [render_switch(accepted.name, None), render_switch("Mode", mode)]
    role = None
    if mode == INSTALL:
        try:
            role = normalize_role(plan.role or "")
        except ValueError:
            raise PlanError([f"/Mode:Install needs a role (Mailbox, EdgeTransport, ManagementTools), not {plan.role!r}."]) from None
        arguments.append(render_switch("Roles", role))
    problems += validate_switch(accepted.name, None, mode, role, build)
    seen: set[str] = set()
    for name, value in _order(plan.switches):
        switch = find_switch(name)
        if switch is None:
            problems += validate_switch(name, value, mode, role, build)
            continue
        if switch.name in _PLAN_SWITCHES:
            problems.append(f"/{switch.name} is set by the plan itself, not as an option.")
            continue
        if switch.name in seen:
            problems.append(f"/{switch.name} is given twice.")
            continue
        seen.add(switch.name)
        problems += validate_switch(switch.name, value, mode, role, build)
        rendered = render_switch(switch.name, value)
        if rendered.endswith('\\"'):
            # A backslash before the closing quote escapes it for the Windows argument parser.
            problems.append(f"/{switch.name}: the value must not end with a backslash.")
        arguments.append(rendered)
    if problems:
        raise PlanError(problems)
    assert_no_secret(arguments, forbidden_values)
    return SetupCommand(executable=executable, arguments=tuple(arguments), working_directory=working_directory, mode=mode)
