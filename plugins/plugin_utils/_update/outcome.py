# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a security update's run ended: its exit code, its log and the server after it, read as one verdict with advice.

Sources:
- The package is a wrapper of a Windows Installer patch (.msp) (KB5011363, https://support.microsoft.com/help/5011363), so its
  exit codes are Windows Installer's (https://learn.microsoft.com/windows/win32/msi/error-codes): 0 success, 3010
  ERROR_SUCCESS_REBOOT_REQUIRED, 1641 ERROR_SUCCESS_REBOOT_INITIATED, 1603 ERROR_INSTALL_FAILURE, 1618
  ERROR_INSTALL_ALREADY_RUNNING, 1642 ERROR_PATCH_TARGET_NOT_FOUND, 1602 ERROR_INSTALL_USEREXIT. Install-Exchange15 treats
  3010 as success with a restart [S4 Install-Exchange15.ps1, Install-MyPackage].
- "Repair failed installations of Exchange Cumulative and Security updates" (Microsoft Learn,
  https://learn.microsoft.com/exchange/troubleshoot/client-connectivity/exchange-security-update-issues): an SU installed
  without elevation leaves OWA/ECP failing with HTTP 500 ("Could not load file or assembly Microsoft.Exchange.Common") -
  reinstall it from an elevated prompt and restart; "Services don't start after SU installation" (the update leaves the
  Exchange services disabled when it stops half-way); "Upgrade patch can't be installed" (the package is for another build);
  "SU installation fails because of existing IU" (an interim update must be uninstalled first).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import format_version, try_parse_version

SUCCESS_CODES = (0, 3010, 1641)
REBOOT_CODES = (3010, 1641)

EXIT_CODES: dict[int, tuple[str, str]] = {
    0: ("La actualización terminó con código 0 (éxito).", "The update exited with code 0 (success)."),
    3010: ("La actualización terminó con código 3010: instalada, requiere reiniciar el servidor.",
           "The update exited with code 3010: installed, the server must restart."),
    1641: ("La actualización terminó con código 1641: instalada, el instalador inició un reinicio.",
           "The update exited with code 1641: installed, the installer started a restart."),
    1602: ("La actualización terminó con código 1602: la instalación fue cancelada.", "The update exited with code 1602: cancelled."),
    1603: ("La actualización terminó con código 1603: error grave durante la instalación.",
           "The update exited with code 1603: fatal error during installation."),
    1618: ("La actualización terminó con código 1618: otra instalación estaba en curso.",
           "The update exited with code 1618: another installation was in progress."),
    1642: ("La actualización terminó con código 1642: el producto que la actualización modifica no está en el servidor "
           "(paquete de otra compilación).",
           "The update exited with code 1642: the product the update patches is not on the server (a package for another build)."),
}

# What the update's log says, in the words the simulated server and the real installer's log share, and the advice.
NOT_ELEVATED = "not_elevated"
SERVICES_DISABLED = "services_disabled"
NEWER_PRESENT = "newer_present"
OTHER_BUILD = "other_build"
INTERIM_UPDATE = "interim_update"
PENDING_REBOOT = "pending_reboot"
UNKNOWN = "unknown"

_SIGNATURES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (NOT_ELEVATED, ("not elevated", "requires elevation", "insufficient privileges", "access is denied")),
    (NEWER_PRESENT, ("newer version", "a later update", "already installed a newer")),
    (OTHER_BUILD, ("patch target not found", "upgrade patch cannot be installed", "the program to be upgraded may be missing")),
    (INTERIM_UPDATE, ("interim update",)),
    (PENDING_REBOOT, ("restart is pending", "reboot is pending")),
)

ADVICE: dict[str, tuple[str, str]] = {
    NOT_ELEVATED: (
        "La actualización no se ejecutó con privilegios elevados: Microsoft documenta que entonces OWA y ECP fallan (HTTP 500, "
        "«Could not load file or assembly Microsoft.Exchange.Common»). Vuelva a ejecutar la actividad 9: la colección la "
        "instala como tarea programada con privilegios más altos; no la instale con doble clic.",
        "The update did not run elevated: Microsoft documents that OWA and ECP then fail (HTTP 500, \"Could not load file or "
        "assembly Microsoft.Exchange.Common\"). Run activity 9 again: the collection installs it as a scheduled task with highest "
        "privileges; do not install it by double-click."),
    SERVICES_DISABLED: (
        "La actualización se detuvo y dejó servicios de Exchange deshabilitados. Revise el registro de la actualización, "
        "ponga esos servicios en Automático e inícielos (o reinicie tras corregirlos) y vuelva a ejecutar la actividad 9.",
        "The update stopped and left Exchange services disabled. Review the update's log, set those services to Automatic and "
        "start them (or restart after correcting them) and run activity 9 again."),
    NEWER_PRESENT: (
        "El servidor ya tiene una actualización más reciente que el paquete: no la instale. Corrija "
        "rpi_exchange_security_update con el paquete más reciente o quítelo del inventario.",
        "The server already has a newer update than the package: do not install it. Correct rpi_exchange_security_update to "
        "the latest package or remove it from the inventory."),
    OTHER_BUILD: (
        "El paquete es de otra compilación de Exchange (Microsoft: «Upgrade patch can't be installed»). Corrija "
        "rpi_exchange_security_update con el paquete publicado para la compilación instalada.",
        "The package is for another Exchange build (Microsoft: \"Upgrade patch can't be installed\"). Correct "
        "rpi_exchange_security_update to the package released for the installed build."),
    INTERIM_UPDATE: (
        "Hay una actualización provisional (IU) instalada que impide la actualización: desinstálela desde Programas y "
        "características y vuelva a ejecutar la actividad 9.",
        "An interim update (IU) is installed and blocks the update: uninstall it from Programs and Features and run activity 9 "
        "again."),
    PENDING_REBOOT: (
        "Había un reinicio pendiente: reinicie el servidor y vuelva a ejecutar la actividad 9.",
        "A restart was pending: restart the server and run activity 9 again."),
    UNKNOWN: (
        "Revise el registro de la actualización en el servidor y el Visor de eventos (Aplicación, origen MsiInstaller) y "
        "vuelva a ejecutar la actividad 9; no la instale a mano con doble clic.",
        "Review the update's log on the server and the Event Viewer (Application, source MsiInstaller) and run activity 9 "
        "again; do not install it by hand with a double-click."),
}


def exit_code_text(code: int | None, language: str = "es") -> str:
    if code is None:
        return i18n.text(language, "Código de salida desconocido.", "Unknown exit code.")
    meaning = EXIT_CODES.get(code)
    if meaning is None:
        return i18n.text(language, f"La actualización terminó con el código {code}.", f"The update exited with code {code}.")
    return i18n.text(language, meaning[0], meaning[1])


def log_category(lines: Iterable[str]) -> str | None:
    """The first known failure the update's log names, or None."""
    text = "\n".join(str(line) for line in lines).lower()
    return next((category for category, words in _SIGNATURES if any(word in text for word in words)), None)


@dataclass(frozen=True)
class UpdateOutcome:
    """The verdict after the run: ok, the build reached, the restart it needs, and, when not ok, why and what to do."""

    ok: bool
    exit_code: int | None
    build_after: str | None
    expected: str
    reboot_required: bool
    category: str | None = None
    disabled_services: tuple[str, ...] = ()

    def message(self, language: str = "es") -> str:
        code = exit_code_text(self.exit_code, language)
        if self.ok:
            return i18n.text(language, f"Actualización instalada: el servidor está en {self.build_after}. {code}",
                             f"Update installed: the server is at {self.build_after}. {code}")
        advice = ADVICE[self.category or UNKNOWN]
        found = i18n.text(language, f"ExSetup.exe informa {self.build_after or 'ninguna versión'}; se esperaba {self.expected}.",
                          f"ExSetup.exe reports {self.build_after or 'no version'}; {self.expected} was expected.")
        services = ""
        if self.disabled_services:
            # A handful by name, then how many more: the evidence's details list them all.
            shown = ", ".join(self.disabled_services[:5])
            more = len(self.disabled_services) - 5
            services = " " + i18n.text(language, f"Servicios deshabilitados: {shown}" + (f" y {more} más." if more > 0 else "."),
                                       f"Disabled services: {shown}" + (f" and {more} more." if more > 0 else "."))
        return (i18n.text(language, "La actualización de seguridad no se completó. ", "The security update did not complete. ")
                + f"{code} {found}{services} " + i18n.text(language, advice[0], advice[1]))

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "exit_code": self.exit_code, "build_after": self.build_after, "expected_build": self.expected,
                "reboot_required": self.reboot_required, "category": self.category, "disabled_services": list(self.disabled_services)}


def read_outcome(*, exit_code: int | None, build_after: object, expected: str, log_lines: Iterable[str] = (),
                 services: Mapping[str, str] | None = None, pending_reboot: bool = False) -> UpdateOutcome:
    """`services`: Exchange service name -> start mode after the run (`Disabled` counts); `pending_reboot`: a restart source
    is set after the run."""
    parsed = try_parse_version(build_after)
    after = format_version(parsed) if parsed else None
    reached = parsed is not None and parsed >= (try_parse_version(expected) or (99, 0, 0, 0))
    disabled = tuple(sorted(name for name, mode in (services or {}).items() if str(mode).lower() == "disabled"))
    lines = list(log_lines)
    category = log_category(lines)
    ok = exit_code in SUCCESS_CODES and reached and not disabled
    if not ok and category is None:
        if disabled:
            category = SERVICES_DISABLED
        elif exit_code in SUCCESS_CODES and not reached:
            # The installer said success but the files were not replaced: the documented symptom of a non-elevated run.
            category = NOT_ELEVATED
        elif exit_code == 1642:
            category = OTHER_BUILD
        elif exit_code == 1618:
            category = PENDING_REBOOT
    return UpdateOutcome(ok=ok, exit_code=exit_code, build_after=after, expected=expected,
                         reboot_required=exit_code in REBOOT_CODES or bool(pending_reboot) or ok,
                         category=None if ok else category, disabled_services=disabled)
