# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Setup.exe's unattended switches: spelling, aliases, where each is valid, from which build.

The table is Microsoft's switch reference [S1 unattended-installs, 07/01/2025]: for every
switch the modes and roles it is documented with. A role builds its command line from
canonical names, checks each switch with `validate_switch` before running setup, and asks
`license_switch` for the licence switch the media understands (the legacy one stopped
working with the September 2021 CUs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import CU11, CU14, LINE_2016, at_least, product_line
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switch_values import (
    SwitchProblem,
    boolean_problems,
    database_name_problems,
    flag_problems,
    host_name_problems,
    organization_name_problems,
    path_problems,
    port_problems,
    target_dir_problems,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import Version, VersionInput, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    EDGE,
    INSTALL,
    MAILBOX,
    MANAGEMENT_TOOLS,
    MODES,
    NEW_PROVISIONED_SERVER,
    OPERATIONS,
    PREPARE_AD,
    PREPARE_ALL_DOMAINS,
    PREPARE_DOMAIN,
    PREPARE_OPERATIONS,
    PREPARE_SCHEMA,
    RECOVER_SERVER,
    REMOVE_PROVISIONED_SERVER,
    UNINSTALL,
    UPGRADE,
    normalize_operation,
    normalize_role,
)

ANY_ROLE = "*"
# Exchange 2016 CU22 also switched to the _DiagnosticData licence switches (see CATALOGUE_NOTES).
EX2016_CU22: Version = (15, 1, 2375, 7)

LICENSE_LEGACY = "IAcceptExchangeServerLicenseTerms"
LICENSE_DIAGNOSTIC_ON = "IAcceptExchangeServerLicenseTerms_DiagnosticDataON"
LICENSE_DIAGNOSTIC_OFF = "IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
LICENSE_SWITCHES = (LICENSE_LEGACY, LICENSE_DIAGNOSTIC_ON, LICENSE_DIAGNOSTIC_OFF)

Context = tuple[str, str]
ValueRule = Callable[[str, object], list[SwitchProblem]]


def _everywhere() -> tuple[Context, ...]:
    return tuple((operation, ANY_ROLE) for operation in OPERATIONS)


@dataclass(frozen=True)
class Switch:
    """One Setup.exe switch. `valid_with` lists (operation, role) pairs; role `*` means any role."""

    name: str
    aliases: tuple[str, ...]
    rule: ValueRule
    valid_with: tuple[Context, ...]
    description: str
    first_build: Version | None = None
    answer_file: bool = False
    source: str = "S1"

    def valid_for(self, operation: str, role: str | None) -> bool:
        return any(op == operation and (allowed == ANY_ROLE or allowed == role) for op, allowed in self.valid_with)


def _mode_rule(switch: str, value: object) -> list[SwitchProblem]:
    try:
        if normalize_operation(value) in MODES:
            return []
    except ValueError:
        pass
    return [SwitchProblem(switch, "mode_invalid", f"'{value}' isn't a setup mode ({', '.join(MODES)}).",
                          f"'{value}' no es un modo de instalación ({', '.join(MODES)}).")]


def _roles_rule(switch: str, value: object) -> list[SwitchProblem]:
    try:
        roles = {normalize_role(part) for part in str(value).split(",") if part.strip()}
    except ValueError:
        roles = set()
    if not roles:
        return [SwitchProblem(switch, "roles_invalid", f"'{value}' isn't a role (Mailbox, EdgeTransport, ManagementTools).",
                              f"'{value}' no es un rol (Mailbox, EdgeTransport, ManagementTools).")]
    if {MAILBOX, EDGE} <= roles:
        return [SwitchProblem(switch, "roles_conflict", "The Mailbox and Edge Transport roles can't be installed on the same server.",
                              "Los roles Mailbox y Edge Transport no pueden instalarse en el mismo servidor.")]
    return []


def _path(local_only: bool, suffix: str = "", is_file: bool = False) -> ValueRule:
    return lambda switch, value: path_problems(switch, value, local_only=local_only, file_suffix=suffix, is_file=is_file)


def _optional_host(switch: str, value: object) -> list[SwitchProblem]:
    return host_name_problems(switch, value, required=False)


_INSTALL_MAILBOX = ((INSTALL, MAILBOX),)
_ALL_MODES_BUT_EDGE_INSTALL = ((INSTALL, MAILBOX), (INSTALL, MANAGEMENT_TOOLS), (UPGRADE, ANY_ROLE), (UNINSTALL, ANY_ROLE),
                               (RECOVER_SERVER, ANY_ROLE)) + tuple((operation, ANY_ROLE) for operation in PREPARE_OPERATIONS)

SWITCHES: tuple[Switch, ...] = (
    # Scenario switches.
    Switch("Mode", ("m",), _mode_rule, tuple((mode, ANY_ROLE) for mode in MODES), "Setup mode; Install when omitted."),
    Switch("Roles", ("Role", "r"), _roles_rule, ((INSTALL, ANY_ROLE),), "Roles to install; required with /Mode:Install."),
    Switch("PrepareSchema", ("ps",), flag_problems, ((PREPARE_SCHEMA, ANY_ROLE),), "Extend the AD schema."),
    Switch("PrepareAD", ("p",), flag_problems, ((PREPARE_AD, ANY_ROLE),), "Prepare AD (extends the schema first if needed)."),
    Switch("PrepareDomain", ("pd",), _optional_host, ((PREPARE_DOMAIN, ANY_ROLE),), "Prepare one domain (local domain without a value)."),
    Switch("PrepareAllDomains", ("pad",), flag_problems, ((PREPARE_ALL_DOMAINS, ANY_ROLE),), "Prepare every domain of the forest."),
    Switch("NewProvisionedServer", ("nprs",), _optional_host, ((NEW_PROVISIONED_SERVER, ANY_ROLE),), "Provision a server for delegated setup."),
    Switch("RemoveProvisionedServer", ("rprs",), host_name_problems, ((REMOVE_PROVISIONED_SERVER, ANY_ROLE),),
           "Remove a provisioned server."),
    # Licence switches: one is required in every unattended command; which one depends on the build.
    Switch(LICENSE_LEGACY, (), flag_problems, _everywhere(), "Accept the licence (builds before the September 2021 CUs).",
           answer_file=True),
    Switch(LICENSE_DIAGNOSTIC_ON, (), flag_problems, _everywhere(), "Accept the licence and send diagnostic data.", first_build=CU11),
    Switch(LICENSE_DIAGNOSTIC_OFF, (), flag_problems, _everywhere(), "Accept the licence without sending diagnostic data.",
           first_build=CU11),
    # Optional switches [S1 table 'optional switches'].
    Switch("ActiveDirectorySplitPermissions", (), boolean_problems, _INSTALL_MAILBOX + ((PREPARE_AD, ANY_ROLE),),
           "Split AD permissions (first server of the organisation)."),
    Switch("AdamLdapPort", (), port_problems, ((INSTALL, EDGE),), "AD LDS LDAP port on an Edge server (default 50389).",
           answer_file=True),
    Switch("AdamSslPort", (), port_problems, ((INSTALL, EDGE),), "AD LDS SSL port on an Edge server (default 50636).",
           answer_file=True),
    Switch("AnswerFile", ("af",), _path(local_only=False, is_file=True), ((INSTALL, MAILBOX), (INSTALL, EDGE)),
           "Text file with further switches, one per line, without the leading '/'."),
    Switch("CustomerFeedbackEnabled", (), boolean_problems, ((INSTALL, ANY_ROLE), (PREPARE_AD, ANY_ROLE)),
           "Join the customer experience programme.", answer_file=True),
    Switch("DoNotEnableEP", (), flag_problems, ((INSTALL, ANY_ROLE), (UPGRADE, ANY_ROLE)), "Don't enable Extended Protection.",
           first_build=CU14),
    Switch("DoNotEnableEP_FEEWS", (), flag_problems, ((INSTALL, ANY_ROLE), (UPGRADE, ANY_ROLE)),
           "Don't enable Extended Protection on the front-end EWS virtual directory (Hybrid Agent).", first_build=CU14),
    Switch("DbFilePath", (), _path(local_only=True, suffix=".edb", is_file=True), _INSTALL_MAILBOX,
           "Folder and .edb file of the first mailbox database.", answer_file=True),
    Switch("DisableAMFiltering", (), flag_problems, _INSTALL_MAILBOX, "Disable the anti-malware filter.", answer_file=True),
    Switch("DomainController", ("dc",), host_name_problems, _ALL_MODES_BUT_EDGE_INSTALL,
           "Domain controller to use (the schema master for /PrepareSchema and /PrepareAD)."),
    Switch("DoNotStartTransport", (), flag_problems, ((INSTALL, MAILBOX), (INSTALL, EDGE), (RECOVER_SERVER, ANY_ROLE)),
           "Don't start the Transport service when setup ends.", answer_file=True),
    Switch("EnableErrorReporting", (), flag_problems, ((INSTALL, ANY_ROLE), (UPGRADE, ANY_ROLE), (RECOVER_SERVER, ANY_ROLE)),
           "Send error reports to Microsoft.", answer_file=True),
    Switch("InstallWindowsComponents", (), flag_problems, ((INSTALL, ANY_ROLE),), "Let setup add the Windows features it needs."),
    Switch("LogFolderPath", (), _path(local_only=True), _INSTALL_MAILBOX, "Transaction log folder of the first mailbox database.",
           answer_file=True),
    Switch("MdbName", (), database_name_problems, _INSTALL_MAILBOX, "Name of the first mailbox database.", answer_file=True),
    Switch("OrganizationName", ("on",), organization_name_problems,
           ((INSTALL, MAILBOX), (INSTALL, MANAGEMENT_TOOLS), (PREPARE_AD, ANY_ROLE)),
           "Exchange organisation name (first server only; can't be changed later).", answer_file=True),
    Switch("TargetDir", ("t",), target_dir_problems, ((INSTALL, ANY_ROLE), (RECOVER_SERVER, ANY_ROLE)),
           "Installation folder (default %ProgramFiles%\\Microsoft\\Exchange Server\\V15)."),
    Switch("TenantOrganizationConfig", (), _path(local_only=False, is_file=True), ((INSTALL, ANY_ROLE), (PREPARE_AD, ANY_ROLE)),
           "Exchange Online organisation configuration file (hybrid).", answer_file=True),
    Switch("UpdatesDir", ("u",), _path(local_only=False), ((INSTALL, ANY_ROLE), (UPGRADE, ANY_ROLE), (RECOVER_SERVER, ANY_ROLE)),
           "Folder with updates setup installs with the product.", answer_file=True),
)

# Names people try that Exchange 2019/SE setup doesn't have, with the reason [S1, S6].
NOT_SWITCHES: dict[str, tuple[str, str]] = {
    "productkey": ("Setup.exe has no product-key switch; enter the key after installing with Set-ExchangeServer -ProductKey.",
                   "Setup.exe no tiene parámetro de clave de producto; ingrese la clave después con Set-ExchangeServer -ProductKey."),
    "addumlanguagepack": ("Unified Messaging language packs exist only in Exchange 2016.",
                          "Los paquetes de idioma de Mensajería Unificada solo existen en Exchange 2016."),
    "removeumlanguagepack": ("Unified Messaging language packs exist only in Exchange 2016.",
                             "Los paquetes de idioma de Mensajería Unificada solo existen en Exchange 2016."),
    "sourcedir": ("/SourceDir is only used with /AddUmLanguagePack in Exchange 2016.",
                  "/SourceDir solo se usa con /AddUmLanguagePack en Exchange 2016."),
}

_BY_NAME: dict[str, Switch] = {}
for _switch in SWITCHES:
    for _spelling in (_switch.name,) + _switch.aliases:
        _BY_NAME[_spelling.lower()] = _switch


def find_switch(name: str) -> Switch | None:
    """The switch for a canonical name or alias, with or without the leading '/' (case-insensitive)."""
    return _BY_NAME.get(str(name).strip().lstrip("/-").split(":", 1)[0].lower())


def license_switch(build: VersionInput, diagnostic_data: bool) -> str:
    """The licence switch setup media of `build` accepts, with its leading '/'.

    From the September 2021 CUs (2019 CU11, 2016 CU22) on, only the _DiagnosticDataON/OFF
    switches work; older media know only the legacy switch [S1; S4 l.1582-1594].
    """
    parsed = try_parse_version(build)
    if parsed is None:
        raise ValueError(f"not an Exchange version: {build!r}")
    modern = at_least(parsed, EX2016_CU22) if product_line(parsed) == LINE_2016 else at_least(parsed, CU11)
    if not modern:
        return "/" + LICENSE_LEGACY
    return "/" + (LICENSE_DIAGNOSTIC_ON if diagnostic_data else LICENSE_DIAGNOSTIC_OFF)


def _context_problem(switch: Switch, operation: str, role: str | None) -> SwitchProblem:
    where = f"/Mode:{operation}" if operation in MODES else f"/{operation}"
    if role and operation == INSTALL:
        where += f" /Roles:{role}"
    return SwitchProblem(switch.name, "not_valid_here", f"Microsoft documents this switch only with {_describe(switch)}, not with {where}.",
                         f"Microsoft documenta este parámetro solo con {_describe(switch)}, no con {where}.")


def _describe(switch: Switch) -> str:
    parts = []
    for operation, role in switch.valid_with:
        text = f"/Mode:{operation}" if operation in MODES else f"/{operation}"
        parts.append(text if role == ANY_ROLE else f"{text} /Roles:{role}")
    return ", ".join(dict.fromkeys(parts))


def _build_problems(switch: Switch, build: VersionInput | None) -> list[SwitchProblem]:
    if build is None or try_parse_version(build) is None:
        return []
    if switch.name == LICENSE_LEGACY and license_switch(build, False) != "/" + LICENSE_LEGACY:
        return [SwitchProblem(switch.name, "license_switch_obsolete",
                              "From the September 2021 CUs on this switch no longer works; use "
                              f"/{LICENSE_DIAGNOSTIC_ON} or /{LICENSE_DIAGNOSTIC_OFF}.",
                              "Desde las actualizaciones acumulativas de septiembre de 2021 este parámetro ya no funciona; use "
                              f"/{LICENSE_DIAGNOSTIC_ON} o /{LICENSE_DIAGNOSTIC_OFF}.")]
    if switch.name in (LICENSE_DIAGNOSTIC_ON, LICENSE_DIAGNOSTIC_OFF):
        if license_switch(build, True) == "/" + LICENSE_LEGACY:
            return [SwitchProblem(switch.name, "switch_too_new", "This media is older than the September 2021 CUs; use "
                                  f"/{LICENSE_LEGACY}.", "Este medio es anterior a las actualizaciones acumulativas de septiembre "
                                  f"de 2021; use /{LICENSE_LEGACY}.")]
        return []
    if switch.first_build is not None and not at_least(build, switch.first_build):
        return [SwitchProblem(switch.name, "switch_too_new", "This switch needs Exchange 2019 CU14 or later (or Exchange SE).",
                              "Este parámetro requiere Exchange 2019 CU14 o posterior (o Exchange SE).")]
    return []


def validate_switch(name: str, value: object = None, mode: str = INSTALL, role: str | None = None,
                    build: VersionInput | None = None, drive_type: object = None) -> list[SwitchProblem]:
    """Everything wrong with passing `/name:value` to setup running `mode` (and `role` for Install).

    `mode` is a /Mode value or a preparation operation (`PrepareAD`...). With /Mode:Install
    and no role the documented default, Mailbox, is assumed. `build` (the media's version)
    enables the build checks; `drive_type` enables the /TargetDir drive check. An empty list
    means the switch is fine.
    """
    switch = find_switch(name)
    if switch is None:
        key = str(name).strip().lstrip("/-").split(":", 1)[0]
        en, es = NOT_SWITCHES.get(key.lower(), ("Setup.exe has no such switch.", "Setup.exe no tiene ese parámetro."))
        return [SwitchProblem(key, "unknown_switch", en, es)]
    operation = normalize_operation(mode)
    canonical_role = normalize_role(role) if role else (MAILBOX if operation == INSTALL else None)
    problems: list[SwitchProblem] = []
    if not switch.valid_for(operation, canonical_role):
        problems.append(_context_problem(switch, operation, canonical_role))
    problems += _build_problems(switch, build)
    if switch.name == "TargetDir":
        problems += target_dir_problems(switch.name, value, drive_type)
    else:
        problems += switch.rule(switch.name, value)
    return problems


def render_switch(name: str, value: object = None) -> str:
    """`/Name` or `/Name:value` with the canonical spelling; values with spaces are quoted."""
    switch = find_switch(name)
    if switch is None:
        raise ValueError(f"unknown Setup.exe switch {name!r}")
    if value is None or value is True or (isinstance(value, str) and not value):
        return "/" + switch.name
    text = str(value)
    if any(char.isspace() for char in text):
        text = '"' + text.replace('"', "") + '"'
    return f"/{switch.name}:{text}"


def answer_file_switches() -> tuple[str, ...]:
    """Switch names allowed as keys in an /AnswerFile (written without the '/') [S6]."""
    return tuple(switch.name for switch in SWITCHES if switch.answer_file)
