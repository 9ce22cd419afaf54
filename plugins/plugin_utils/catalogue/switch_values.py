# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rules for the *values* of Setup.exe switches: names, paths, ports, booleans.

Setup reports a bad value only after copying files and loading its data handlers, minutes
into the run; checking the value before setup starts turns that into an immediate,
explained failure. Each rule returns problems rather than raising, so a role can show every
problem of a command line at once. Messages are in Spanish and English (the technicians
read Spanish first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SwitchProblem:
    """One thing wrong with a switch. `code` is stable (roles and tests key on it)."""

    switch: str
    code: str
    en: str
    es: str

    def __str__(self) -> str:
        return f"/{self.switch}: {self.en}"


ORGANIZATION_NAME_MAX = 64
_ORGANIZATION_NAME = re.compile(r"^[A-Za-z0-9\- ]+$")
_DRIVE_PATH = re.compile(r"^[A-Za-z]:\\")
_DRIVE_ROOT = re.compile(r"^[A-Za-z]:[\\/]*$")
_UNC = re.compile(r"^(\\\\|//)")
_BAD_PATH_CHARS = re.compile(r'[<>"|?*\x00-\x1f]')
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")

# Win32_LogicalDisk.DriveType numbers and System.IO.DriveType names, read the same way.
_FIXED_DRIVE = {"3", "fixed", "localdisk", "local"}
_DRIVE_TYPE_NAMES = {"0": "unknown", "1": "no root directory", "2": "removable", "4": "network", "5": "CD/DVD (ROM)",
                     "6": "RAM disk"}


def organization_name_problems(switch: str, value: object) -> list[SwitchProblem]:
    """Microsoft's rule: 1-64 characters, A-Z a-z 0-9 hyphen and space, no leading or trailing space [S1]."""
    text = "" if value is None else str(value)
    problems = []
    if not text.strip():
        return [SwitchProblem(switch, "organization_name_empty", "The organization name can't be blank.",
                              "El nombre de la organización no puede estar vacío.")]
    if len(text) > ORGANIZATION_NAME_MAX:
        problems.append(SwitchProblem(switch, "organization_name_too_long",
                                      f"The organization name has {len(text)} characters; the maximum is {ORGANIZATION_NAME_MAX}.",
                                      f"El nombre de la organización tiene {len(text)} caracteres; el máximo es {ORGANIZATION_NAME_MAX}."))
    if not _ORGANIZATION_NAME.match(text):
        problems.append(SwitchProblem(switch, "organization_name_characters",
                                      "Only letters A-Z and a-z, digits, hyphens and spaces are allowed in the organization name.",
                                      "El nombre de la organización solo admite letras A-Z y a-z, dígitos, guiones y espacios."))
    if text != text.strip():
        problems.append(SwitchProblem(switch, "organization_name_spaces",
                                      "The organization name can't start or end with a space.",
                                      "El nombre de la organización no puede empezar ni terminar con un espacio."))
    return problems


def path_problems(switch: str, value: object, *, local_only: bool, file_suffix: str = "", is_file: bool = False) -> list[SwitchProblem]:
    """A Windows path: absolute, legal characters; `local_only` refuses network (UNC) paths."""
    text = "" if value is None else str(value).strip()
    if not text:
        return [SwitchProblem(switch, "path_empty", "A path is required.", "Se requiere una ruta.")]
    problems = []
    if _UNC.match(text):
        if local_only:
            problems.append(SwitchProblem(switch, "path_network", "The path must be on a local drive, not a network share.",
                                          "La ruta debe estar en una unidad local, no en un recurso compartido de red."))
    elif not _DRIVE_PATH.match(text):
        problems.append(SwitchProblem(switch, "path_not_absolute", f"'{text}' isn't a full path such as D:\\Exchange.",
                                      f"'{text}' no es una ruta completa como D:\\Exchange."))
    if _BAD_PATH_CHARS.search(text) or ":" in text[2:]:
        problems.append(SwitchProblem(switch, "path_characters", "The path contains characters Windows doesn't allow in paths.",
                                      "La ruta contiene caracteres que Windows no admite en rutas."))
    if file_suffix and not text.lower().endswith(file_suffix):
        problems.append(SwitchProblem(switch, "path_suffix", f"The path must name a {file_suffix} file.",
                                      f"La ruta debe indicar un archivo {file_suffix}."))
    if is_file and text.endswith(("\\", "/")):
        problems.append(SwitchProblem(switch, "path_not_file", "The path must name a file, not a folder.",
                                      "La ruta debe indicar un archivo, no una carpeta."))
    return problems


def target_dir_problems(switch: str, value: object, drive_type: object = None) -> list[SwitchProblem]:
    """/TargetDir: a local folder that is not a drive root, on a fixed drive [S1].

    Microsoft refuses the root of a drive, ROM, RAM-disk, network, removable and unknown
    drives. Only the root and network cases can be seen from the text; pass the drive's
    type (Win32_LogicalDisk.DriveType or System.IO.DriveType) to check the rest.
    """
    text = "" if value is None else str(value).strip()
    if _DRIVE_ROOT.match(text):
        return [SwitchProblem(switch, "target_dir_root", f"Exchange can't be installed in the root of a drive ('{text}').",
                              f"Exchange no se puede instalar en la raíz de una unidad ('{text}').")]
    problems = path_problems(switch, value, local_only=True)
    if drive_type is not None:
        kind = "".join(str(drive_type).split()).lower()
        if kind not in _FIXED_DRIVE:
            label = _DRIVE_TYPE_NAMES.get(kind, kind)
            problems.append(SwitchProblem(switch, "target_dir_drive_type",
                                          f"The drive is of type '{label}'; Exchange must be installed on a fixed local disk.",
                                          f"La unidad es de tipo '{label}'; Exchange debe instalarse en un disco local fijo."))
    return problems


def database_name_problems(switch: str, value: object) -> list[SwitchProblem]:
    """/MdbName: a database name, not a file name or path."""
    text = "" if value is None else str(value)
    if not text.strip():
        return [SwitchProblem(switch, "name_empty", "A name is required.", "Se requiere un nombre.")]
    problems = []
    if text != text.strip():
        problems.append(SwitchProblem(switch, "name_spaces", "The name can't start or end with a space.",
                                      "El nombre no puede empezar ni terminar con un espacio."))
    if re.search(r"[\\/]", text) or text.lower().endswith(".edb"):
        problems.append(SwitchProblem(switch, "name_is_path", "Give the database name only, without a folder or the .edb extension.",
                                      "Indique solo el nombre de la base de datos, sin carpeta ni la extensión .edb."))
    return problems


def host_name_problems(switch: str, value: object, *, required: bool = True) -> list[SwitchProblem]:
    """A server name or FQDN (domain controllers, domains, provisioned servers)."""
    text = "" if value is None else str(value).strip().rstrip(".")
    if not text:
        if not required:
            return []
        return [SwitchProblem(switch, "host_empty", "A server or domain name is required.", "Se requiere un nombre de servidor o dominio.")]
    if len(text) > 253 or not all(_HOST_LABEL.match(label) for label in text.split(".")):
        return [SwitchProblem(switch, "host_invalid", f"'{text}' isn't a valid server or domain name.",
                              f"'{text}' no es un nombre de servidor o dominio válido.")]
    return []


def port_problems(switch: str, value: object) -> list[SwitchProblem]:
    """A TCP port number, 1-65535."""
    text = "" if value is None else str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        return [SwitchProblem(switch, "port_invalid", f"'{text}' isn't a TCP port number (1-65535).",
                              f"'{text}' no es un número de puerto TCP (1-65535).")]
    return []


def boolean_problems(switch: str, value: object) -> list[SwitchProblem]:
    """Setup's boolean switches take the words True or False."""
    if isinstance(value, bool) or str(value).strip().lower() in ("true", "false"):
        return []
    return [SwitchProblem(switch, "boolean_invalid", f"The value must be True or False, not '{value}'.",
                          f"El valor debe ser True o False, no '{value}'.")]


def flag_problems(switch: str, value: object) -> list[SwitchProblem]:
    """Switches such as /DoNotStartTransport take no value at all."""
    if value is None or value is True or (isinstance(value, str) and not value.strip()):
        return []
    return [SwitchProblem(switch, "takes_no_value", "This switch takes no value.", "Este parámetro no lleva valor.")]
