# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the Exchange ISO comes from, whether it is the one the inventory pins, and what it carries.

Pure decisions for `rpi.exchange.exchange_media`: read the options into a `MediaSource` (the
ISO on the server, on a share, or on the controller; staged to `dest` or not), compare the
SHA-256 the server computed with the pinned one, and name the Exchange build from the media's
`Setup.exe` version through the catalogue. Messages are Spanish by default, English on request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import base_cu_of, format_version, is_se, parse_version, product_line
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import LINE_2019, LINE_SE, PRODUCT_NAMES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import OptionProblem
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

MOUNTED = "mounted"
INSPECTED = "inspected"
UNMOUNTED = "unmounted"
STATES = (MOUNTED, INSPECTED, UNMOUNTED)

# Where the licence text may sit on the media, relative to its root, tried in this order. Microsoft
# does not document the file name; License.rtf at the root is what the RPI's media show
# [UNCONFIRMED for every CU], so the other names are fallbacks. The option can replace the list.
DEFAULT_LICENSE_FILE_NAMES: tuple[str, ...] = ("License.rtf", "License.txt", "EULA.rtf", "Setup\\ServerRoles\\Common\\License.rtf")
SETUP_FILE = "Setup.exe"

_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:\\|\\\\[^\\]+\\[^\\]+)")
_DRIVE = re.compile(r"^([A-Za-z]):")


@dataclass(frozen=True)
class MediaSource:
    """Where the ISO is and where it will be mounted from.

    `origin` is `server` (a path on the server, used in place), `share` (a UNC path, used in place
    or staged to `dest`) or `controller` (`src`, copied to `dest`). `image_path` is the file that is
    verified and mounted; `stage_from` is set when it has to be copied there first.
    """

    origin: str
    image_path: str
    stage_from: str = ""

    @property
    def staged(self) -> bool:
        return bool(self.stage_from)

    def as_dict(self) -> dict[str, Any]:
        return {"origin": self.origin, "image_path": self.image_path, "stage_from": self.stage_from or None}


def _problem(option: str, code: str, es: str, en: str, fix_es: str = "", fix_en: str = "") -> OptionProblem:
    return OptionProblem(option, code, es, en, fix_es, fix_en)


def normalize_sha256(value: object) -> str | None:
    """Lower-case hex for 64 hex digits (win_stat answers lower case, Get-FileHash upper case); None otherwise."""
    if value is None:
        return None
    text = "".join(str(value).split())
    if text.lower().startswith("sha256:"):
        text = text[7:]
    return text.lower() if _SHA256.match(text) else None


def _windows(value: str) -> str:
    return value.strip().replace("/", "\\")


def _basename(path: str) -> str:
    return path.replace("/", "\\").rstrip("\\").rsplit("\\", 1)[-1]


def staged_path(dest: str, file_name: str) -> str:
    """`dest` when it names an .iso file, else `dest\\file_name`."""
    dest = _windows(dest)
    if dest.lower().endswith(".iso"):
        return dest
    return dest.rstrip("\\") + "\\" + file_name


def read_source(*, iso: str | None, src: str | None, dest: str | None, sha256: object, state: str) -> tuple[MediaSource | None, tuple[OptionProblem, ...]]:
    """The media source the options describe, or every problem with them."""
    problems: list[OptionProblem] = []
    if state not in STATES:
        problems.append(_problem("state", "state_invalid", f"'{state}' no es un estado válido.", f"'{state}' is not a valid state.",
                                 f"Use {' o '.join(STATES)}.", f"Use {' or '.join(STATES)}."))
    if bool(iso) == bool(src):
        problems.append(_problem("iso", "iso_or_src", "indique la imagen ISO en 'iso' (en el servidor o en un recurso compartido) "
                                 "o en 'src' (en el equipo de control), una de las dos.",
                                 "give the ISO image either in 'iso' (on the server or a share) or in 'src' (on the controller), "
                                 "exactly one of them."))
    if state in (MOUNTED, INSPECTED) and normalize_sha256(sha256) is None:
        if sha256 is None or not str(sha256).strip():
            problems.append(_problem("sha256", "sha256_missing",
                                     "falta el SHA-256 de la imagen ISO; sin él no se puede comprobar que el medio es el autorizado.",
                                     "the ISO's SHA-256 is missing; without it the media cannot be checked against the approved one.",
                                     "Fije en el inventario el SHA-256 publicado o calculado del ISO aprobado (Get-FileHash).",
                                     "Pin the approved ISO's SHA-256 in the inventory (Get-FileHash)."))
        else:
            problems.append(_problem("sha256", "sha256_invalid", f"'{sha256}' no es un SHA-256 (64 dígitos hexadecimales).",
                                     f"'{sha256}' is not a SHA-256 (64 hexadecimal digits)."))
    if iso and not _ABSOLUTE.match(_windows(iso)):
        problems.append(_problem("iso", "iso_not_absolute", f"'{iso}' no es una ruta absoluta de Windows.",
                                 f"'{iso}' is not an absolute Windows path.",
                                 "Use C:\\carpeta\\archivo.iso o \\\\servidor\\recurso\\archivo.iso.",
                                 "Use C:\\folder\\file.iso or \\\\server\\share\\file.iso."))
    if dest is not None and not _ABSOLUTE.match(_windows(dest)):
        problems.append(_problem("dest", "dest_not_absolute", f"'{dest}' no es una ruta absoluta de Windows.",
                                 f"'{dest}' is not an absolute Windows path."))
    elif dest is not None and _windows(dest).startswith("\\\\"):
        problems.append(_problem("dest", "dest_is_share", f"'{dest}' es un recurso compartido; el medio se copia a un disco del servidor.",
                                 f"'{dest}' is a share; the media is staged on a disk of the server.",
                                 "Indique una carpeta local, por ejemplo C:\\RPI\\Exchange.", "Give a local folder, for example C:\\RPI\\Exchange."))
    if src and not dest:
        problems.append(_problem("dest", "dest_missing", "para copiar el ISO desde el equipo de control hace falta la carpeta de destino.",
                                 "copying the ISO from the controller needs a destination folder.",
                                 "Indique en 'dest' una carpeta del servidor, por ejemplo C:\\RPI\\Exchange.",
                                 "Set 'dest' to a folder on the server, for example C:\\RPI\\Exchange."))
    if problems:
        return None, tuple(problems)
    if src:
        return MediaSource("controller", staged_path(dest or "", _basename(src)), stage_from=src), ()
    iso_path = _windows(iso or "")
    if iso_path.startswith("\\\\"):
        if dest:
            return MediaSource("share", staged_path(dest, _basename(iso_path)), stage_from=iso_path), ()
        return MediaSource("share", iso_path), ()
    if dest and staged_path(dest, _basename(iso_path)).lower() != iso_path.lower():
        return MediaSource("server", staged_path(dest, _basename(iso_path)), stage_from=iso_path), ()
    return MediaSource("server", iso_path), ()


def hash_problem(path: str, expected: str, actual: str | None, option: str = "sha256") -> OptionProblem | None:
    """None when `actual` is `expected`; else the refusal, with both hashes and the fix."""
    if actual is not None and actual.lower() == expected.lower():
        return None
    return _problem(option, "sha256_mismatch",
                    f"el SHA-256 de '{path}' es {actual}, pero el inventario fija {expected}: la imagen no es la autorizada "
                    "(archivo dañado, incompleto o de otra versión). No se montó.",
                    f"the SHA-256 of '{path}' is {actual}, but the inventory pins {expected}: this is not the approved image "
                    "(damaged, incomplete or another version). It was not mounted.",
                    "Vuelva a copiar el ISO aprobado desde la fuente oficial o, si cambió la versión autorizada, actualice el SHA-256 "
                    "fijado en el inventario tras verificarlo.",
                    "Copy the approved ISO again from the official source or, if the approved version changed, update the SHA-256 "
                    "pinned in the inventory after checking it.")


def not_found_problem(path: str, option: str) -> OptionProblem:
    hint_es = hint_en = ""
    if path.startswith("\\\\"):
        hint_es = (" Si el archivo está ahí, la cuenta de WinRM no puede leer el recurso compartido (doble salto): use CredSSP o "
                   "become, o copie el ISO al servidor con 'dest'.")
        hint_en = (" If the file is there, the WinRM account cannot read the share (double hop): use CredSSP or become, or stage "
                   "the ISO on the server with 'dest'.")
    return _problem(option, "iso_not_found", f"no se encontró la imagen ISO '{path}'.", f"the ISO image '{path}' was not found.",
                    "Compruebe la ruta." + hint_es, "Check the path." + hint_en)


def drive_of(mount_paths: object) -> str | None:
    """`E` from win_disk_image's `mount_paths` (`["E:\\\\"]`)."""
    for item in mount_paths or []:
        match = _DRIVE.match(str(item))
        if match:
            return match.group(1).upper()
    return None


def version_from_file_version(answer: Mapping[str, Any]) -> str | None:
    """The build `community.windows.win_file_version` reports, in the short form (`15.2.1748.10`).

    The numeric parts come from the binary's fixed version block; the FileVersion text (Exchange
    writes it zero-padded, `15.02.1748.010`) is the fallback.
    """
    info = answer.get("win_file_version") or {}
    parts = [info.get(name) for name in ("file_major_part", "file_minor_part", "file_build_part", "file_private_part")]
    candidates = []
    if all(str(part or "").isdigit() for part in parts) and any(int(part) for part in parts):
        candidates.append(".".join(str(int(part)) for part in parts))
    candidates += [info.get("file_version_raw"), info.get("file_version"), info.get("product_version")]
    for candidate in candidates:
        try:
            return format_version(parse_version(str(candidate or "").strip()))
        except ValueError:
            continue
    return None


def describe_version(version: str | None) -> tuple[dict[str, Any], OptionProblem | None]:
    """What the media is (`version`, `label`, `product`, `edition`), or why it is not Exchange 2019/SE media."""
    if version is None:
        return {"version": None, "label": None, "product": None, "edition": None}, _problem(
            "iso", "setup_version_unreadable", "no se pudo leer la versión de Setup.exe en el medio.",
            "the version of Setup.exe on the media could not be read.",
            "Compruebe que la imagen es un medio de instalación de Exchange Server.", "Check that the image is Exchange Server setup media.")
    line = product_line(version)
    cu = base_cu_of(version)
    info = {
        "version": version,
        "label": cu.label if cu else None,
        "product": PRODUCT_NAMES.get(line),
        "edition": ("SE" if is_se(version) else "2019") if line in (LINE_2019, LINE_SE) else None,
    }
    if line not in (LINE_2019, LINE_SE):
        return info, _problem("iso", "media_not_supported",
                              f"el medio es de la versión {version}, que no es Exchange Server 2019 ni Exchange Server SE.",
                              f"the media is version {version}, neither Exchange Server 2019 nor Exchange Server SE.",
                              "Use el ISO de Exchange Server 2019 (CU14 o posterior) o de Exchange Server SE.",
                              "Use the Exchange Server 2019 (CU14 or later) or Exchange Server SE ISO.")
    return info, None


def join_media(drive: str, relative: str) -> str:
    return f"{drive}:\\" + relative.replace("/", "\\").lstrip("\\")


# ------------------------------------------------------------------------------------------- report evidence
def hash_evidence(path: str, digest: str) -> dict[str, Any]:
    return Evidence("check", "ok", f"SHA-256 de la imagen ISO {path} verificado: coincide con el fijado en el inventario.",
                    f"SHA-256 of the ISO image {path} verified: it matches the one pinned in the inventory.",
                    {"iso_path": path, "sha256": digest}).as_dict()


def stage_evidence(source: MediaSource, copied: bool) -> dict[str, Any]:
    if copied:
        return Evidence("change", "info", f"Imagen ISO copiada de {source.stage_from} a {source.image_path}.",
                        f"ISO image copied from {source.stage_from} to {source.image_path}.", source.as_dict()).as_dict()
    return Evidence("check", "ok", f"La imagen ISO ya estaba copiada en {source.image_path}.",
                    f"The ISO image was already staged at {source.image_path}.", source.as_dict()).as_dict()


def media_evidence(info: Mapping[str, Any], drive: str | None, license_path: str | None, license_sha256: str | None,
                   mounted_now: bool, transient: bool = False) -> dict[str, Any]:
    """What the media is. `transient`: it was mounted only to be read, and unmounted again."""
    what = info.get("label") or info.get("version")
    if transient:
        action_es, action_en = f"leído (montado en {drive}: solo para leerlo)", f"read (mounted on {drive}: only to read it)"
    else:
        action_es = f"{'montado' if mounted_now else 'ya montado'} en {drive}:"
        action_en = f"{'mounted' if mounted_now else 'already mounted'} on {drive}:"
    licence_es = f"; texto de la licencia {license_path} (SHA-256 {license_sha256})" if license_sha256 else "; texto de la licencia no encontrado"
    licence_en = f"; licence text {license_path} (SHA-256 {license_sha256})" if license_sha256 else "; licence text not found"
    return Evidence("version", "ok" if license_sha256 else "warning",
                    f"Medio de Exchange {what} (Setup.exe {info.get('version')}) {action_es}{licence_es}.",
                    f"Exchange media {what} (Setup.exe {info.get('version')}) {action_en}{licence_en}.",
                    dict(info, drive=drive, license_path=license_path, license_sha256=license_sha256, transient=transient)).as_dict()


def plan_evidence(source: MediaSource, would_copy: bool, would_mount: bool) -> dict[str, Any]:
    steps_es, steps_en = [], []
    if would_copy:
        steps_es.append(f"copiaría {source.stage_from} a {source.image_path}")
        steps_en.append(f"would copy {source.stage_from} to {source.image_path}")
    if would_mount:
        steps_es.append(f"montaría {source.image_path}")
        steps_en.append(f"would mount {source.image_path}")
    return Evidence("plan", "info", "Medio de Exchange: " + ("; ".join(steps_es) or "sin cambios") + ".",
                    "Exchange media: " + ("; ".join(steps_en) or "no change") + ".",
                    dict(source.as_dict(), would_copy=would_copy, would_mount=would_mount)).as_dict()


def unmount_evidence(path: str, changed: bool) -> dict[str, Any]:
    return Evidence("change" if changed else "check", "info" if changed else "ok",
                    f"Imagen ISO {path} desmontada." if changed else f"La imagen ISO {path} no estaba montada.",
                    f"ISO image {path} unmounted." if changed else f"The ISO image {path} was not mounted.", {"iso_path": path}).as_dict()


def refusal_evidence(problems: tuple[OptionProblem, ...], title_es: str, title_en: str) -> dict[str, Any]:
    return Evidence("check", "error", f"{title_es}: " + " ".join(problem.message(SPANISH) for problem in problems),
                    f"{title_en}: " + " ".join(problem.message(ENGLISH) for problem in problems),
                    {"problems": [problem.as_dict() for problem in problems]}).as_dict()
