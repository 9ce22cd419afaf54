# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which Exchange build a security or hotfix update (SU/HU) package belongs to, and what to do with it.

Microsoft ships every SU/HU since May 2022 as a self-extracting, auto-elevating `.exe` beside the `.msp`
(KB5011363, https://support.microsoft.com/help/5011363), named after its KB: `Exchange2019-KB5049233-x64-en.exe`,
`ExchangeSE-KB5121573-x64-en.exe`. The same file name can carry the update of several CUs (Install-Exchange15 downloads
`Exchange2019-KB5049233-x64-en.exe` for CU13 and for CU14 from two different URLs [S4 Install-Exchange15.ps1, IncludeFixes]),
so the KB alone is not enough for the older, shared KBs: the update is the catalogue's row of that KB *for the CU the
server will run*. Since 2025 every CU has its own KB (Aug26SU: SE KB5121573, CU15 KB5121574, CU14 KB5121575 [S3]).
When the package's version resource is known (a file version read on the server), it decides alone.

Decisions, all before any change (activity 2):
- the update belongs to the build that will be installed (setup's media when setup runs, else the installed build);
- nothing to do when the installed build is that update's build already;
- an update older than the installed build of the same CU is refused (the inventory names an outdated file);
- a SHA-256 that differs from the one pinned in the inventory is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import OptionProblem
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.media import normalize_sha256
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import BUILDS, Build, base_cu_of, build_info
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import Version, family, format_version, try_parse_version

VARIABLE = "rpi_exchange_security_update"

INSTALL = "install"
NOTHING = "nothing"  # already at the update's build
NONE = "none"  # no update given
REFUSE = "refuse"

_KB = re.compile(r"KB(\d{6,8})", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)")
_FIX_FILE_ES = ("Corrija rpi_exchange_security_update.path con el paquete .exe de la actualización de seguridad publicada para "
                "esa compilación (Get-ExchangeBuildNumber / «Exchange Server build numbers and release dates»), o quite "
                "rpi_exchange_security_update del inventario para no instalar ninguna.")
_FIX_FILE_EN = ("Correct rpi_exchange_security_update.path to the .exe package of the security update released for that build "
                "(\"Exchange Server build numbers and release dates\"), or remove rpi_exchange_security_update from the inventory "
                "to install none.")


def kb_of(path: object) -> str | None:
    """`KB5121573` from `...\\ExchangeSE-KB5121573-x64-en.exe`; None when the name carries no KB number."""
    name = re.split(r"[\\/]", str(path or ""))[-1]
    match = _KB.search(name)
    return f"KB{match.group(1)}" if match else None


def updates_with_kb(kb: str) -> tuple[Build, ...]:
    """The SU/HU rows of the catalogue that carry this KB (one per CU it was released for)."""
    return tuple(build for build in BUILDS if not build.is_baseline and build.kb.upper() == kb.upper())


def _problem(code: str, es: str, en: str, fix_es: str = "", fix_en: str = "", key: str = "") -> OptionProblem:
    name = f"{VARIABLE}.{key}" if key else VARIABLE
    return OptionProblem(option=name, code=code, es=es, en=en, fix_es=fix_es, fix_en=fix_en, variable=name)


def check_shape(value: Any) -> tuple[OptionProblem, ...]:
    """What the inventory's value must look like, before the server is read: `{path: <absolute .exe>, sha256: <64 hex>}`.

    None or an empty mapping means "no update" (the variable is optional)."""
    if value is None or value == {} or value == "":
        return ()
    if not isinstance(value, dict):
        return (_problem("security_update_not_a_dict", "debe ser un diccionario con path y sha256.",
                         "must be a dictionary with path and sha256.",
                         "Escriba, por ejemplo, {path: '\\\\servidor\\recurso\\ExchangeSE-KB5121573-x64-en.exe', sha256: '<64 hex>'}.",
                         "Write, for example, {path: '\\\\server\\share\\ExchangeSE-KB5121573-x64-en.exe', sha256: '<64 hex>'}."),)
    problems = []
    unknown = sorted(str(key) for key in value if key not in ("path", "sha256"))
    if unknown:
        problems.append(_problem("security_update_unknown_key", f"claves desconocidas: {', '.join(unknown)}.",
                                 f"unknown keys: {', '.join(unknown)}.", "Use solo path y sha256.", "Use only path and sha256."))
    path = str(value.get("path") or "").strip().replace("/", "\\")
    if not path:
        problems.append(_problem("security_update_path_missing", "falta la ruta del paquete .exe.", "the .exe package's path is missing.",
                                 "Escriba la ruta del paquete en el servidor o en el recurso compartido del RPI.",
                                 "Write the package's path on the server or on the RPI share.", key="path"))
    else:
        if not _ABSOLUTE.match(path):
            problems.append(_problem("security_update_path_not_absolute", f"'{path}' no es una ruta absoluta de Windows.",
                                     f"'{path}' is not an absolute Windows path.",
                                     "Use C:\\carpeta\\archivo.exe o \\\\servidor\\recurso\\archivo.exe.",
                                     "Use C:\\folder\\file.exe or \\\\server\\share\\file.exe.", key="path"))
        if not path.lower().endswith(".exe"):
            problems.append(_problem("security_update_not_exe", f"'{path}' no es el paquete .exe de la actualización.",
                                     f"'{path}' is not the update's .exe package.",
                                     "Use el .exe que Microsoft publica desde mayo de 2022 (KB5011363): se eleva solo y deja su registro.",
                                     "Use the .exe Microsoft publishes since May 2022 (KB5011363): it elevates itself and logs.",
                                     key="path"))
        elif kb_of(path) is None:
            problems.append(_problem("security_update_no_kb", f"el nombre de '{path}' no lleva el número KB de la actualización.",
                                     f"the name of '{path}' carries no KB number.",
                                     "Conserve el nombre con que Microsoft publica el paquete (por ejemplo ExchangeSE-KB5121573-x64-en.exe).",
                                     "Keep the name Microsoft publishes the package under (for example ExchangeSE-KB5121573-x64-en.exe).",
                                     key="path"))
        elif not updates_with_kb(kb_of(path) or ""):
            problems.append(_problem("security_update_unknown_kb", f"{kb_of(path)} no es una actualización de Exchange 2019 CU10+ ni "
                                     "de Exchange SE que la colección conozca.",
                                     f"{kb_of(path)} is not an Exchange 2019 CU10+ or Exchange SE update the collection knows.",
                                     _FIX_FILE_ES + " Si es más reciente que esta versión de la colección, actualice la colección.",
                                     _FIX_FILE_EN + " If it is newer than this release of the collection, update the collection.",
                                     key="path"))
    sha = value.get("sha256")
    if normalize_sha256(sha) is None:
        shown = "falta" if sha is None or not str(sha).strip() else f"'{sha}' no es un SHA-256 (64 dígitos hexadecimales)"
        shown_en = "is missing" if sha is None or not str(sha).strip() else f"'{sha}' is not a SHA-256 (64 hexadecimal digits)"
        problems.append(_problem("security_update_sha256", f"el SHA-256 del paquete {shown}.", f"the package's SHA-256 {shown_en}.",
                                 "Fije el SHA-256 del paquete aprobado (Get-FileHash).", "Pin the approved package's SHA-256 (Get-FileHash).",
                                 key="sha256"))
    return tuple(problems)


@dataclass(frozen=True)
class UpdateDecision:
    """What activity 2 decided about the update, and what the later activities need to run and report it."""

    action: str
    kb: str = ""
    update: Build | None = None
    target: Build | None = None  # the CU/SE RTM the update is for (the server's, after setup)
    installed: str | None = None  # the build on the server now
    problems: tuple[OptionProblem, ...] = field(default_factory=tuple)

    @property
    def update_version(self) -> str | None:
        return self.update.version_text if self.update else None

    @property
    def refused(self) -> bool:
        return self.action == REFUSE

    def message(self, language: str = "es") -> str:
        if self.problems:
            return "\n".join(problem.message(language) for problem in self.problems)
        if self.action == NONE:
            return i18n.text(language, "No se indicó actualización de seguridad (rpi_exchange_security_update).",
                             "No security update was given (rpi_exchange_security_update).")
        label = f"{self.update.label} ({self.kb}, {self.update_version})" if self.update else self.kb
        if self.action == NOTHING:
            return i18n.text(language, f"El servidor ya tiene la actualización {label}: no hay nada que instalar.",
                             f"The server already has the update {label}: nothing to install.")
        return i18n.text(language, f"Se instalará la actualización {label} sobre {self.target.label if self.target else '?'}.",
                         f"The update {label} will be installed on {self.target.label if self.target else '?'}.")

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "kb": self.kb, "update_label": self.update.label if self.update else None,
                "update_version": self.update_version, "update_kind": self.update.kind if self.update else None,
                "target_label": self.target.label if self.target else None,
                "target_version": self.target.version_text if self.target else None, "installed_version": self.installed,
                "problems": [problem.as_dict() for problem in self.problems]}


def target_build(installed: object, media: object) -> Version | None:
    """The build the server runs when the update is installed: setup's media when it is newer than what is installed
    (an installation or a CU), else the installed build."""
    parsed_installed, parsed_media = try_parse_version(installed), try_parse_version(media)
    candidates = [version for version in (parsed_installed, parsed_media) if version is not None]
    if not candidates:
        return None
    if parsed_installed is not None and parsed_media is not None and family(parsed_media) <= family(parsed_installed):
        return parsed_installed
    return max(candidates)


def _label(version: Version | None) -> str:
    if version is None:
        return "?"
    row = build_info(version)
    cu = base_cu_of(version)
    if row is not None:
        return f"{row.label} ({format_version(version)})"
    return f"{cu.label} ({format_version(version)})" if cu else format_version(version)


def identify(kb: str, target: Version | None, file_version: object = None) -> tuple[Build | None, tuple[Build, ...]]:
    """The catalogue row of this package for the target's CU, and every row of its KB (for the refusal's words)."""
    rows = updates_with_kb(kb)
    parsed = try_parse_version(file_version)
    if parsed is not None:
        row = build_info(parsed)
        if row is not None and not row.is_baseline:
            return row, (row,)
    if target is None:
        return (rows[0] if len(rows) == 1 else None), rows
    return next((row for row in rows if family(row.version) == family(target)), None), rows


def decide(value: Any, *, installed: object = None, media: object = None, actual_sha256: object = None,
           file_version: object = None) -> UpdateDecision:
    """The whole decision. `installed`: the server's build now (ExSetup.exe), None when Exchange is not installed;
    `media`: the build setup's media installs (None when no setup runs); `actual_sha256`: the package's hash read on the
    server (None when not read yet: the hash is then not judged); `file_version`: the package's version resource, if read."""
    shape = check_shape(value)
    if shape:
        return UpdateDecision(REFUSE, problems=shape)
    if not value:
        return UpdateDecision(NONE)
    kb = kb_of(value["path"]) or ""
    installed_text = format_version(try_parse_version(installed)) if try_parse_version(installed) else None
    if actual_sha256 is not None and normalize_sha256(actual_sha256) != normalize_sha256(value.get("sha256")):
        return UpdateDecision(REFUSE, kb=kb, installed=installed_text, problems=(_problem(
            "security_update_sha256_mismatch",
            f"el SHA-256 del paquete en el servidor ({normalize_sha256(actual_sha256)}) no es el fijado en el inventario "
            f"({normalize_sha256(value.get('sha256'))}).",
            f"the package's SHA-256 on the server ({normalize_sha256(actual_sha256)}) is not the one pinned in the inventory "
            f"({normalize_sha256(value.get('sha256'))}).",
            "Descargue de nuevo el paquete desde el Centro de descargas de Microsoft, compruebe su SHA-256 con Get-FileHash y "
            "fíjelo en rpi_exchange_security_update.sha256; no instale un paquete cuyo origen no puede comprobarse.",
            "Download the package again from the Microsoft Download Center, check its SHA-256 with Get-FileHash and pin it in "
            "rpi_exchange_security_update.sha256; do not install a package whose origin cannot be checked.", key="sha256"),))
    target_version = target_build(installed, media)
    target = base_cu_of(target_version) if target_version else None
    update, rows = identify(kb, target_version, file_version)
    if update is None:
        made_for = ", ".join(f"{row.label} ({row.version_text})" for row in rows) or kb
        if target_version is None:
            es = (f"{kb} se publicó para varias compilaciones ({made_for}) y no se sabe cuál tendrá el servidor "
                  "(no tiene Exchange y no se indicó el medio de instalación).")
            en = (f"{kb} was released for several builds ({made_for}) and the server's is unknown (it has no Exchange and no "
                  "installation media was given).")
        else:
            es = (f"el paquete {kb} es la actualización de {made_for}, pero el servidor tendrá {_label(target_version)}: "
                  "es una actualización de otra compilación.")
            en = (f"package {kb} is the update of {made_for}, but the server will run {_label(target_version)}: it is an update "
                  "for another build.")
        return UpdateDecision(REFUSE, kb=kb, installed=installed_text, target=target,
                              problems=(_problem("security_update_other_build", es, en, _FIX_FILE_ES, _FIX_FILE_EN, key="path"),))
    parsed_installed = try_parse_version(installed)
    target = base_cu_of(update.version)
    if target_version is not None and family(update.version) != family(target_version):
        return UpdateDecision(REFUSE, kb=kb, update=update, target=base_cu_of(target_version), installed=installed_text, problems=(_problem(
            "security_update_other_build",
            f"el paquete es {update.label} ({update.version_text}), pero el servidor tendrá {_label(target_version)}: es una "
            "actualización de otra compilación.",
            f"the package is {update.label} ({update.version_text}), but the server will run {_label(target_version)}: it is an "
            "update for another build.", _FIX_FILE_ES, _FIX_FILE_EN, key="path"),))
    same_cu_installed = parsed_installed is not None and family(parsed_installed) == family(update.version)
    # Setup of a newer CU replaces the installed build: what is installed now only counts when it stays.
    if same_cu_installed and target_version == parsed_installed:
        if parsed_installed == update.version:
            return UpdateDecision(NOTHING, kb=kb, update=update, target=target, installed=installed_text)
        if parsed_installed > update.version:
            return UpdateDecision(REFUSE, kb=kb, update=update, target=target, installed=installed_text, problems=(_problem(
                "security_update_older",
                f"el paquete es {update.label} ({update.version_text}), anterior a lo instalado en el servidor "
                f"({_label(parsed_installed)}): instalarlo no añade nada y Microsoft no lo admite sobre una más reciente.",
                f"the package is {update.label} ({update.version_text}), older than what the server has "
                f"({_label(parsed_installed)}): it adds nothing and Microsoft does not install it over a newer one.",
                "Indique en rpi_exchange_security_update el paquete de la actualización más reciente de esa compilación, o quite "
                "rpi_exchange_security_update del inventario si el servidor ya está al día.",
                "Give in rpi_exchange_security_update the package of that build's latest update, or remove "
                "rpi_exchange_security_update from the inventory if the server is up to date.", key="path"),))
    return UpdateDecision(INSTALL, kb=kb, update=update, target=target, installed=installed_text)
