# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activities 5 and 7 of ME-VAR-RPI-MNP-15: the install location, the role and the custom options.

In the wizard the technician picks the location (activity 5) and, on the custom install
screen (activity 7), the role and the options the RPI needs. Unattended, each choice is a
Setup.exe switch. This module checks every choice before setup starts, against:

* the catalogue's switch rules: which switches go with which mode and role, from which
  build (`validate_switch`), and the rules for their values (organisation names, paths,
  database names, domain controllers);
* the server (`exchange_facts`): the install folder on a fixed local NTFS volume that
  exists, not a drive root nor a network path, with the catalogue's minimum free space
  (30 GB on the install drive); database and log folders on fixed local volumes whose
  file system may hold them (NTFS or ReFS).

Every problem is collected, not only the first, and named the way the technician wrote
it (the inventory variable when `variable_names` says which). With /Mode:Upgrade and
/Mode:RecoverServer the install-time choices (database, organisation...) are not
switches setup accepts: they are listed as ignored, with the reason, instead of failing an
inventory that keeps them for the first installation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    SwitchProblem,
    file_system_allowed,
    find_switch,
    hardware_requirements,
    product_line,
    render_switch,
    validate_switch,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import LINE_2019, LINE_SE
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.switch_values import target_dir_problems
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import format_version, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import (
    EDGE,
    INSTALL,
    MAILBOX,
    MANAGEMENT_TOOLS,
    RECOVER_SERVER,
    ROLES,
    UPGRADE,
    normalize_operation,
    normalize_role,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import (
    OptionProblem,
    name_variables,
    report_evidence,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import SETUP_MODES, SWITCH_ORDER

EVIDENCE_KIND = "check"  # the report vocabulary (plugin_utils/report/vocabulary.py)
ACTIVITIES = (5, 7)
EXTENDED_PROTECTION = {"enable": None, "skip": "DoNotEnableEP", "skip_front_end_ews": "DoNotEnableEP_FEEWS"}
DATABASE_KEYS = ("name", "edb_path", "log_path")
# Setup's default install folder is %ProgramFiles%\Microsoft\Exchange Server\V15 [S1]; the facts carry where
# %ProgramFiles% is (Windows is not always on C:). Without facts, Windows Server's usual place.
DEFAULT_TARGET_DIR = "C:\\Program Files\\Microsoft\\Exchange Server\\V15"


def default_target_dir(facts: Mapping[str, Any] | None) -> str:
    program_files = str(((facts or {}).get("environment") or {}).get("program_files") or "").rstrip("\\")
    return program_files + "\\Microsoft\\Exchange Server\\V15" if program_files else DEFAULT_TARGET_DIR


# Task option -> Setup.exe switch (canonical catalogue names).
_OPTION_SWITCH = {
    "target_dir": "TargetDir", "organization_name": "OrganizationName", "database.name": "MdbName",
    "database.edb_path": "DbFilePath", "database.log_path": "LogFolderPath", "domain_controller": "DomainController",
    "disable_am_filtering": "DisableAMFiltering", "do_not_start_transport": "DoNotStartTransport",
    "install_windows_components": "InstallWindowsComponents", "enable_error_reporting": "EnableErrorReporting",
    "updates_dir": "UpdatesDir",
}
# Storage purposes of the catalogue's file-system rules, per path switch.
_PURPOSE = {"TargetDir": "exchange_binaries", "DbFilePath": "mailbox_database", "LogFolderPath": "transaction_logs"}
_INSTALLED_NAME = {MAILBOX: "Mailbox", EDGE: "EdgeTransport", MANAGEMENT_TOOLS: "ManagementTools"}
_DRIVE = re.compile(r"^([A-Za-z]):")
_MODE_WORDS = {INSTALL: "/Mode:Install", UPGRADE: "/Mode:Upgrade", RECOVER_SERVER: "/Mode:RecoverServer"}

_NAME_FIX = ("Use de 1 a 64 caracteres: letras A-Z y a-z, dígitos, guiones y espacios, sin espacios al inicio ni al final; el "
             "nombre no se puede cambiar después de instalar.",
             "Use 1 to 64 characters: letters A-Z and a-z, digits, hyphens and spaces, no leading or trailing space; the name "
             "can't be changed after installing.")
_PATH_FIX = ("Use una ruta completa en una unidad local del servidor, por ejemplo E:\\Exchange Server\\V15.",
             "Use a full path on one of the server's local drives, for example E:\\Exchange Server\\V15.")
_EDB_FIX = ("Indique la carpeta y el archivo .edb, por ejemplo E:\\Bases\\RPI-DB01\\RPI-DB01.edb.",
            "Give the folder and the .edb file, for example E:\\Databases\\RPI-DB01\\RPI-DB01.edb.")
# How to fix each catalogue problem (SwitchProblem.code); `{var}` is the option's name.
_FIXES: dict[str, tuple[str, str]] = {
    "not_valid_here": ("Quite {var}: no corresponde a este rol o modo de instalación.",
                       "Remove {var}: it doesn't belong to this role or setup mode."),
    "switch_too_new": ("Quite {var} o use un medio de Exchange 2019 CU14 o posterior (o Exchange SE).",
                       "Remove {var} or use Exchange 2019 CU14 or later media (or Exchange SE)."),
    "target_dir_root": ("Indique una carpeta dentro de la unidad, por ejemplo E:\\Exchange Server\\V15.",
                        "Give a folder inside the drive, for example E:\\Exchange Server\\V15."),
    "target_dir_drive_type": ("Elija una carpeta en un disco local fijo del servidor.", "Choose a folder on a fixed local disk of the server."),
    "path_network": _PATH_FIX, "path_not_absolute": _PATH_FIX, "path_empty": _PATH_FIX,
    "path_characters": ("Quite los caracteres < > \" | ? * y los dos puntos que no sean los de la letra de unidad.",
                        "Remove the characters < > \" | ? * and any colon other than the drive letter's."),
    "path_suffix": _EDB_FIX, "path_not_file": _EDB_FIX,
    "organization_name_empty": _NAME_FIX, "organization_name_too_long": _NAME_FIX, "organization_name_characters": _NAME_FIX,
    "organization_name_spaces": _NAME_FIX,
    "name_empty": ("Indique solo el nombre de la base de datos, por ejemplo RPI-DB01.", "Give the database name only, for example RPI-DB01."),
    "host_empty": ("Indique el nombre o FQDN de un controlador de dominio, por ejemplo dc01.rpi.local.",
                   "Give a domain controller's name or FQDN, for example dc01.rpi.local."),
}
_FIXES["name_spaces"] = _FIXES["name_is_path"] = _FIXES["name_empty"]
_FIXES["host_invalid"] = _FIXES["host_empty"]


@dataclass(frozen=True)
class RoleRequest:
    """The role and custom options as the task gives them (None: not given)."""

    role: object = MAILBOX
    mode: object = "install"
    media_version: object = None
    target_dir: object = None
    organization_name: object = None
    first_server: bool = False
    database: object = None
    disable_am_filtering: bool = False
    do_not_start_transport: bool = False
    extended_protection: object = "enable"
    domain_controller: object = None
    install_windows_components: bool = False
    enable_error_reporting: bool = False
    updates_dir: object = None


@dataclass(frozen=True)
class IgnoredOption:
    """An option that setup doesn't take in this mode; it is reported, not passed."""

    option: str
    switch: str
    es: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"option": self.option, "switch": self.switch, "reason_es": self.es, "reason_en": self.en}


@dataclass(frozen=True)
class RoleSelection:
    """The validated choice: `switch_values` feed `setup_plan.plan_setup`; `switches` are for people."""

    role: str | None
    mode: str | None
    media_version: str | None
    switch_values: tuple[tuple[str, Any], ...]
    options: dict[str, Any]
    ignored: tuple[IgnoredOption, ...] = ()
    problems: tuple[OptionProblem, ...] = ()
    default_location: str = DEFAULT_TARGET_DIR  # where setup installs without /TargetDir on this server

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def switches(self) -> tuple[str, ...]:
        """Rendered: /Roles (with /Mode:Install) then the options, in the command line's order."""
        roles = (render_switch("Roles", self.role),) if self.mode == INSTALL and self.role else ()
        return roles + tuple(render_switch(name, value) for name, value in self.switch_values)

    def as_dict(self) -> dict[str, Any]:
        return {
            "role": self.role, "mode": self.mode, "media_version": self.media_version, "switches": list(self.switches),
            "switch_values": [{"name": name, "value": value} for name, value in self.switch_values],
            "options": self.options, "ignored": [item.as_dict() for item in self.ignored],
            "problems": [problem.as_dict() for problem in self.problems],
        }


# How people write several roles in one value: Setup's own "Mailbox,EdgeTransport", or a list, or words between them.
_ROLE_SEPARATORS = re.compile(r"\s*(?:[,;+/|&]|\s(?:y|e|and)\s)\s*", re.IGNORECASE)


def requested_roles(value: object) -> tuple[list[str], list[str]]:
    """The canonical roles `value` asks for, in order and once each, and the words that are no role.

    A list, Setup's comma-separated form, or the text Ansible makes of a list ("['Mailbox', 'EdgeTransport']")."""
    items = list(value) if isinstance(value, (list, tuple, set)) else [value]
    roles: list[str] = []
    unknown: list[str] = []
    for item in items:
        text = "" if item is None else str(item).strip().strip("[]()").strip()
        for word in _ROLE_SEPARATORS.split(text) if text else []:
            word = word.strip().strip("'\"").strip()
            if not word:
                continue
            try:
                role = normalize_role(word)
            except ValueError:
                unknown.append(word)
                continue
            if role not in roles:
                roles.append(role)
    return roles, unknown


def role_problem(value: object, option: str = "role") -> OptionProblem | None:
    """Why `value` is not the one Exchange role this procedure installs on a server; None when it is.

    Says the real problem: no role, a word that is no Exchange 2019/SE role, two roles Microsoft does not let share a
    server (Mailbox with EdgeTransport, [S1] unattended-installs and the catalogue's /Roles rule), or a role with the
    management tools it already installs. `{var}` in the texts is the option's variable (`name_variables`).
    """
    roles, unknown = requested_roles(value)
    choices_es, choices_en = f"Use uno de: {', '.join(ROLES)}.", f"Use one of: {', '.join(ROLES)}."
    if unknown:
        words = ", ".join(f"'{word}'" for word in unknown)
        if len(unknown) == 1:
            es, en = f"{words} no es un rol de Exchange.", f"{words} is not an Exchange role."
        else:
            es, en = f"{words} no son roles de Exchange.", f"{words} are not Exchange roles."
        return OptionProblem(option, "role_unknown", es, en, choices_es, choices_en)
    if not roles:
        return OptionProblem(option, "role_missing", "no indica ningún rol de Exchange.", "gives no Exchange role.", choices_es, choices_en)
    if {MAILBOX, EDGE} <= set(roles):
        return OptionProblem(
            option, "roles_incompatible",
            f"{MAILBOX} y {EDGE} no se pueden instalar juntos en el mismo servidor: Microsoft no lo admite, porque el rol de "
            "transporte perimetral va solo, en un servidor de la red perimetral fuera del dominio.",
            f"{MAILBOX} and {EDGE} can't be installed together on the same server: Microsoft does not support it, because the "
            "Edge Transport role stands alone, on a perimeter-network server outside the domain.",
            f"Elija uno en {{var}}: {MAILBOX} para este servidor del dominio, o {EDGE} para un servidor aparte de la red perimetral.",
            f"Choose one in {{var}}: {MAILBOX} for this domain server, or {EDGE} for a separate perimeter-network server.")
    if len(roles) > 1:
        server_role = next(role for role in roles if role != MANAGEMENT_TOOLS)
        return OptionProblem(
            option, "roles_redundant",
            f"pide {server_role} y {MANAGEMENT_TOOLS}, pero {server_role} ya instala las herramientas de administración.",
            f"asks for {server_role} and {MANAGEMENT_TOOLS}, but {server_role} already installs the management tools.",
            f"Escriba solo {server_role} en {{var}}: este procedimiento instala un rol por servidor.",
            f"Write only {server_role} in {{var}}: this procedure installs one role per server.")
    return None


def choose_role(value: object) -> str | None:
    """The one canonical role `value` asks for, or None when `role_problem` refuses it."""
    roles, _unknown = requested_roles(value)
    return roles[0] if role_problem(value) is None else None


def normalize_path(value: object) -> str | None:
    """Trimmed, backslashed, without a trailing backslash (kept on a bare drive root so the root rule sees it).

    A trailing backslash inside quotes would escape the closing quote on the command line.
    """
    if value is None:
        return None
    text = str(value).strip().replace("/", "\\")
    if re.match(r"^[A-Za-z]:\\+$", text):
        return text[:2] + "\\"
    return text.rstrip("\\") or text


def _text(value: object) -> str | None:
    if value is None:
        return None
    return str(value)


def _from_switch_problem(option: str, problem: SwitchProblem) -> OptionProblem:
    fix_es, fix_en = _FIXES.get(problem.code, ("Corrija el valor de {var}.", "Correct the value of {var}."))
    return OptionProblem(option, problem.code, problem.es, problem.en, fix_es, fix_en)


def _volume(volumes: list[Mapping[str, Any]], letter: str) -> Mapping[str, Any] | None:
    for volume in volumes:
        if _letter(volume) == letter:
            return volume
    return None


def _letter(volume: Mapping[str, Any]) -> str:
    return str(volume.get("drive") or "").strip().rstrip(":\\").upper()


def _drives(volumes: list[Mapping[str, Any]]) -> str:
    return ", ".join(sorted(_letter(volume) + ":" for volume in volumes)) or "-"


def _is_fixed(drive_type: object) -> bool:
    # The catalogue's reading of DriveType values (Win32_LogicalDisk numbers and System.IO names).
    return not any(problem.code == "target_dir_drive_type" for problem in target_dir_problems("x", "C:\\x", drive_type))


def _free_mb(volume: Mapping[str, Any]) -> float | None:
    free_gb = volume.get("free_gb")
    try:
        return float(free_gb) * 1024 if free_gb is not None else None
    except (TypeError, ValueError):
        return None


class _Checker:
    """Collects the problems of one request."""

    def __init__(self, request: RoleRequest, facts: Mapping[str, Any] | None):
        self.request = request
        self.facts = facts or {}
        self.volumes = [volume for volume in self.facts.get("volumes") or [] if isinstance(volume, Mapping)]
        self.problems: list[OptionProblem] = []
        self.ignored: list[IgnoredOption] = []
        self.values: list[tuple[str, Any]] = []
        self.mode: str | None = None
        self.role: str | None = None
        self.build = None

    def add(self, option: str, code: str, es: str, en: str, fix_es: str = "", fix_en: str = "") -> None:
        self.problems.append(OptionProblem(option, code, es, en, fix_es, fix_en))

    # --- the request's own words -------------------------------------------------------------------------------------

    def check_mode_role_media(self) -> None:
        request = self.request
        try:
            mode = normalize_operation(request.mode)
        except ValueError:
            mode = None
        if mode in SETUP_MODES:
            self.mode = mode
        else:
            self.add("mode", "mode_invalid", f"'{request.mode}' no es un modo de instalación de este procedimiento.",
                     f"'{request.mode}' is not a setup mode of this procedure.",
                     "Use install, upgrade o recoverserver (el setup_mode de la decisión de instalación).",
                     "Use install, upgrade or recoverserver (the setup_mode of the setup decision).")
        refused = role_problem(request.role)
        if refused is None:
            self.role = choose_role(request.role)
        else:
            self.problems.append(refused)
        build = try_parse_version(request.media_version) if request.media_version not in (None, "") else None
        if build is None or product_line(build) not in (LINE_2019, LINE_SE):
            self.add("media_version", "media_version_invalid",
                     f"'{request.media_version}' no es la versión de un medio de Exchange Server 2019 o SE.",
                     f"'{request.media_version}' is not the version of Exchange Server 2019 or SE media.",
                     "Use la versión de Setup.exe que informa el módulo del medio (por ejemplo 15.2.1748.10).",
                     "Use the Setup.exe version the media module reports (for example 15.2.1748.10).")
        else:
            self.build = build
        if not self.facts:
            self.add("server_facts", "server_facts_missing", "no hay datos del servidor para comprobar las rutas y el espacio libre.",
                     "there are no server facts to check the paths and the free space with.",
                     "Ejecute rpi.exchange.exchange_facts antes de esta tarea o pase server_facts.",
                     "Run rpi.exchange.exchange_facts before this task or pass server_facts.")

    def candidates(self) -> list[tuple[str, str, Any]]:
        """(option, switch, value) for every choice given."""
        request = self.request
        found: list[tuple[str, str, Any]] = []
        for option in ("target_dir", "updates_dir"):
            value = normalize_path(getattr(request, option))
            if value is not None:
                found.append((option, _OPTION_SWITCH[option], value))
        for option in ("organization_name", "domain_controller"):
            value = _text(getattr(request, option))
            if value is not None:
                found.append((option, _OPTION_SWITCH[option], value))
        found += self._database()
        for option in ("disable_am_filtering", "do_not_start_transport", "install_windows_components", "enable_error_reporting"):
            if getattr(request, option):
                found.append((option, _OPTION_SWITCH[option], None))
        choice = str(request.extended_protection if request.extended_protection is not None else "enable").strip().lower()
        if choice not in EXTENDED_PROTECTION:
            self.add("extended_protection", "extended_protection_invalid",
                     f"'{request.extended_protection}' no es una elección de Protección Extendida.",
                     f"'{request.extended_protection}' is not an Extended Protection choice.",
                     "Use enable, skip o skip_front_end_ews.", "Use enable, skip or skip_front_end_ews.")
        elif EXTENDED_PROTECTION[choice]:
            found.append(("extended_protection", EXTENDED_PROTECTION[choice], None))
        return found

    def _database(self) -> list[tuple[str, str, Any]]:
        database = self.request.database
        if database is None:
            return []
        if not isinstance(database, Mapping):
            self.add("database", "database_not_mapping", "debe ser un diccionario con name, edb_path y log_path.",
                     "must be a dictionary with name, edb_path and log_path.",
                     "Por ejemplo: {name: RPI-DB01, edb_path: 'E:\\Bases\\RPI-DB01\\RPI-DB01.edb', log_path: 'F:\\Registros\\RPI-DB01'}.",
                     "For example: {name: RPI-DB01, edb_path: 'E:\\DB\\RPI-DB01\\RPI-DB01.edb', log_path: 'F:\\Logs\\RPI-DB01'}.")
            return []
        found = []
        for key in database:
            if key not in DATABASE_KEYS:
                self.add(f"database.{key}", "database_unknown_key", f"'{key}' no es un dato de la base de datos.",
                         f"'{key}' is not a database setting.", "Use name, edb_path y log_path.", "Use name, edb_path and log_path.")
        for key in DATABASE_KEYS:
            value = database.get(key)
            if value is None:
                continue
            value = str(value) if key == "name" else normalize_path(value)
            found.append((f"database.{key}", _OPTION_SWITCH[f"database.{key}"], value))
        return found

    # --- each choice against the catalogue and the server ------------------------------------------------------------

    def check_choices(self) -> None:
        mode = self.mode or INSTALL
        for option, switch_name, value in self.candidates():
            switch = find_switch(switch_name)
            if mode != INSTALL and switch is not None and not switch.valid_for(mode, None):
                where = _MODE_WORDS[mode]
                self.ignored.append(IgnoredOption(
                    option, switch_name, f"/{switch_name} no se usa con {where}: Setup lo toma de la instalación existente o no lo admite.",
                    f"/{switch_name} is not used with {where}: setup takes it from the existing installation or doesn't accept it."))
                continue
            before = len(self.problems)
            if option == "organization_name" and not self.request.first_server:
                self.add(option, "organization_name_not_first_server",
                         "el nombre de la organización solo se indica al instalar el primer servidor Exchange de la organización.",
                         "the organization name is only given when installing the organization's first Exchange server.",
                         "Quite {var}, o defina {var:first_server}: true si este es el primer servidor de la organización.",
                         "Remove {var}, or set {var:first_server}: true if this is the organization's first server.")
            volume = self._volume_of(value) if switch_name in _PURPOSE else None
            found = validate_switch(switch_name, value, mode, self.role if mode == INSTALL else None, self.build,
                                    volume.get("drive_type") if switch_name == "TargetDir" and volume else None)
            if self.mode is None or self.role is None:
                found = [problem for problem in found if problem.code != "not_valid_here"]
            self.problems += [_from_switch_problem(option, problem) for problem in found]
            if switch_name in _PURPOSE and len(self.problems) == before and self.facts:
                self._check_volume(option, switch_name, value, volume)
            if len(self.problems) == before:
                self.values.append((switch_name, value))

    def _volume_of(self, path: object) -> Mapping[str, Any] | None:
        match = _DRIVE.match(str(path or ""))
        return _volume(self.volumes, match.group(1).upper()) if match else None

    def _check_volume(self, option: str, switch_name: str, path: str, volume: Mapping[str, Any] | None) -> None:
        letter = path[0].upper()
        if volume is None:
            self.add(option, "drive_missing", f"la unidad {letter}: no existe en el servidor.", f"drive {letter}: does not exist on the server.",
                     f"Use una unidad que exista; el servidor tiene: {_drives(self.volumes)}.",
                     f"Use a drive that exists; the server has: {_drives(self.volumes)}.")
            return
        if switch_name != "TargetDir" and not _is_fixed(volume.get("drive_type")):
            self.add(option, "drive_not_fixed", f"la unidad {letter}: es de tipo '{volume.get('drive_type')}', no un disco local fijo.",
                     f"drive {letter}: is of type '{volume.get('drive_type')}', not a fixed local disk.",
                     "Elija una carpeta en un disco local fijo del servidor.", "Choose a folder on a fixed local disk of the server.")
        file_system = volume.get("file_system")
        if file_system and not file_system_allowed(_PURPOSE[switch_name], str(file_system)):
            allowed = "NTFS" if switch_name == "TargetDir" else "NTFS o ReFS"
            self.add(option, "file_system_not_allowed",
                     f"la unidad {letter}: tiene sistema de archivos {file_system}; aquí Exchange requiere {allowed}.",
                     f"drive {letter}: has the {file_system} file system; Exchange needs {allowed.replace(' o ', ' or ')} here.",
                     f"Elija una unidad {allowed}.", f"Choose an {allowed.replace(' o ', ' or ')} drive.")
        if switch_name == "TargetDir":
            self._check_space(option, volume, letter)

    def _check_space(self, option: str, volume: Mapping[str, Any], letter: str, upgrade: bool = False) -> None:
        requirement = hardware_requirements(self.role or MAILBOX).get("install_drive_free")
        free_mb = _free_mb(volume)
        if requirement is None or free_mb is None or free_mb >= requirement.minimum:
            return
        need_gb = requirement.minimum // 1024
        fix_es = (f"Libere espacio en {letter}: antes de actualizar." if upgrade
                  else f"Libere espacio en {letter}: o elija otra unidad en {{var}}.")
        fix_en = f"Free space on {letter}: before upgrading." if upgrade else f"Free space on {letter}: or choose another drive in {{var}}."
        self.add(option, "not_enough_space",
                 f"la unidad {letter}: tiene {free_mb / 1024:.1f} GB libres; la unidad de instalación de Exchange necesita al menos "
                 f"{need_gb} GB.",
                 f"drive {letter}: has {free_mb / 1024:.1f} GB free; Exchange's install drive needs at least {need_gb} GB.",
                 fix_es, fix_en)

    def check_default_location(self) -> None:
        """Install/RecoverServer without target_dir: setup uses %ProgramFiles%; its drive's space still counts."""
        if self.mode not in (INSTALL, RECOVER_SERVER) or self.request.target_dir is not None or not self.facts:
            return
        letter = default_target_dir(self.facts)[0].upper()
        volume = _volume(self.volumes, letter)
        if volume is not None:
            self._check_space("target_dir", volume, letter)

    def check_installed(self) -> None:
        """Upgrade: the requested role must be the installed one, and the install drive needs the same room."""
        if self.mode != UPGRADE or not self.facts:
            return
        exchange = self.facts.get("exchange") or {}
        installed = [str(name) for name in exchange.get("roles") or []]
        if self.role and installed and _INSTALLED_NAME[self.role] not in installed:
            self.add("role", "role_not_installed", f"el servidor tiene los roles {', '.join(installed)}, no {self.role}.",
                     f"the server has the roles {', '.join(installed)}, not {self.role}.",
                     "Corrija {var} con el rol instalado; cambiar los roles no es parte de una actualización.",
                     "Set {var} to the installed role; changing roles is not part of an upgrade.")
        match = _DRIVE.match(str(exchange.get("install_path") or ""))
        volume = _volume(self.volumes, match.group(1).upper()) if match else None
        if volume is not None:
            self._check_space("server_facts", volume, match.group(1).upper(), upgrade=True)

    def options(self) -> dict[str, Any]:
        request = self.request
        database = request.database if isinstance(request.database, Mapping) else None
        return {
            "role": self.role, "mode": self.mode, "media_version": format_version(self.build) if self.build else None,
            "target_dir": normalize_path(request.target_dir), "organization_name": _text(request.organization_name),
            "first_server": bool(request.first_server),
            "database": None if database is None else {
                "name": _text(database.get("name")), "edb_path": normalize_path(database.get("edb_path")),
                "log_path": normalize_path(database.get("log_path"))},
            "disable_am_filtering": bool(request.disable_am_filtering), "do_not_start_transport": bool(request.do_not_start_transport),
            "extended_protection": str(request.extended_protection or "enable").strip().lower(),
            "domain_controller": _text(request.domain_controller),
            "install_windows_components": bool(request.install_windows_components),
            "enable_error_reporting": bool(request.enable_error_reporting), "updates_dir": normalize_path(request.updates_dir),
        }


def _ordered(values: list[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    def rank(item: tuple[int, tuple[str, Any]]) -> tuple[int, int]:
        index, (name, _value) = item
        return (SWITCH_ORDER.index(name) if name in SWITCH_ORDER else len(SWITCH_ORDER), index)
    return tuple(item for _index, item in sorted(enumerate(values), key=rank))


def select_role_options(request: RoleRequest, server_facts: Mapping[str, Any] | None, *,
                        variable_names: Mapping[str, str] | None = None) -> RoleSelection:
    """Validate a role request against the catalogue and the server; every problem is in the result."""
    checker = _Checker(request, server_facts)
    checker.check_mode_role_media()
    checker.check_choices()
    checker.check_default_location()
    checker.check_installed()
    return RoleSelection(
        role=checker.role, mode=checker.mode, media_version=format_version(checker.build) if checker.build else None,
        switch_values=_ordered(checker.values), options=checker.options(), ignored=tuple(checker.ignored),
        problems=name_variables(checker.problems, variable_names), default_location=default_target_dir(server_facts))


def role_options_evidence(selection: RoleSelection, language: str = SPANISH) -> dict[str, Any]:
    """The `rpi_report` evidence for activities 5 and 7: the choice and its switches, or why it was refused."""
    details = dict(selection.as_dict(), activities=list(ACTIVITIES), status="accepted" if selection.ok else "refused",
                   language=language)
    if not selection.ok:
        return report_evidence(
            EVIDENCE_KIND,
            "Opciones de instalación rechazadas: " + " ".join(problem.message(SPANISH) for problem in selection.problems),
            "Setup options refused: " + " ".join(problem.message("en") for problem in selection.problems), details, level="error")
    switches = " ".join(selection.switches) or "(ninguno)"
    location = selection.options.get("target_dir") or selection.default_location
    if selection.mode == UPGRADE:
        location_es, location_en = "la de la instalación existente", "the existing installation's"
    else:
        location_es = location_en = location
    summary_es = (f"Rol {selection.role}, modo {selection.mode}; ubicación: {location_es}; parámetros: {switches}.")
    summary_en = (f"Role {selection.role}, mode {selection.mode}; location: {location_en}; switches: "
                  f"{' '.join(selection.switches) or '(none)'}.")
    if selection.ignored:
        summary_es += " Opciones no usadas en este modo: " + ", ".join(item.option for item in selection.ignored) + "."
        summary_en += " Options not used in this mode: " + ", ".join(item.option for item in selection.ignored) + "."
    return report_evidence(EVIDENCE_KIND, summary_es, summary_en, details, level="ok")
