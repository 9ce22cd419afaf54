# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 2: is the virtual server fit for the Exchange build on the media?

Microsoft's minimums come from the catalogue (supported OS per build, disk space, memory and page
file recommendations); the RPI's own thresholds (cores, memory, static IP) come from the inventory.
A `blocking` check stops the procedure before any change; the others are warnings the IT Head sees.

A failed check that an input of the run can fix (the media's version for the operating system, the install folder for
the install drive) names the inventory variable to correct when `variable_names` says which (option -> variable, as
for the other decision plugins: `media_version`, `target_dir`); without it the message is the server's fact alone.
A failed RPI minimum (cores, memory) names the threshold that set it (`<thresholds variable>.min_memory_gb`, the task
option `thresholds.min_memory_gb` when `variable_names` has no `thresholds`); a failed Microsoft minimum gives its source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import (
    build_info,
    file_system_allowed,
    hardware_requirements,
    is_os_supported,
    os_from_build,
    supported_os,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.sources import SOURCES
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import MAILBOX, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.windows_policies import (
    DISABLE_DOMAIN_CREDS_POLICY_EN,
    DISABLE_DOMAIN_CREDS_POLICY_ES,
    SECURITY_OPTIONS_PATH_EN,
    SECURITY_OPTIONS_PATH_ES,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.winrm_config import REFUSE, RESTORE, listeners_from_facts, plan

SUPPORTED_EDITIONS = ("Standard", "Datacenter")


@dataclass(frozen=True)
class Thresholds:
    """The RPI's own minimums for its Exchange virtual server (inventory `rpi_exchange_thresholds`)."""

    min_cores: int = 4
    min_memory_gb: int = 16
    require_static_ip: bool = True
    # Microsoft's 128 GB for Mailbox is a recommendation: below it the IT Head sees a warning.
    warn_below_recommended_memory: bool = True


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    blocking: bool
    expected: str
    actual: str
    message_es: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _fixed_by(check: Check, variable: str | None, fix_es: str, fix_en: str) -> Check:
    """A failed check with the variable that fixes it named first and the fix after (`{var}` in the fix is the variable)."""
    if check.ok or not variable:
        return check
    return replace(check, message_es=f"{variable}: {check.message_es} {fix_es.format(var=variable)}",
                   message_en=f"{variable}: {check.message_en} {fix_en.format(var=variable)}")


def _system_drive(facts: dict) -> str:
    """The drive Windows is on (%SystemDrive%, from the probe): not always C:."""
    return str((facts.get("environment") or {}).get("system_drive") or "C:")[0].upper()


def _drive_of(path: str | None, default: str = "C") -> str:
    return path[0].upper() if path and len(path) > 1 and path[1] == ":" else default


def _volume(facts: dict, drive: str) -> dict | None:
    return next((volume for volume in facts.get("volumes") or [] if str(volume.get("drive", "")).upper() == drive), None)


def _os_checks(facts: dict, media_version: str, media_variable: str | None = None) -> list[Check]:
    os_facts = facts.get("os") or {}
    windows = os_from_build(os_facts.get("build"))
    supported = ", ".join(server.name for server in supported_os(media_version)) or "ninguno"
    build = build_info(media_version)
    label = build.label if build else media_version
    os_ok = windows is not None and is_os_supported(media_version, windows.build)
    edition = str(os_facts.get("edition") or "")
    os_check = Check("os_supported", os_ok, True, supported, str(os_facts.get("name")),
                     f"{os_facts.get('name')} {'admite' if os_ok else 'no admite'} Exchange {label} (admitidos: {supported}).",
                     f"{os_facts.get('name')} {'supports' if os_ok else 'does not support'} Exchange {label} (supported: {supported}).")
    return [
        _fixed_by(os_check, media_variable, "Indique en {var} el medio (ISO y su SHA-256) de una versión de Exchange que admita este "
                  "Windows Server.", "Give in {var} the media (ISO and its SHA-256) of an Exchange version that supports this "
                  "Windows Server."),
        Check("os_edition", edition in SUPPORTED_EDITIONS, True, " o ".join(SUPPORTED_EDITIONS), edition,
              f"Edición de Windows: {edition} (se requiere Standard o Datacenter).",
              f"Windows edition: {edition} (Standard or Datacenter is required)."),
    ]


def _domain_checks(facts: dict, role: str) -> list[Check]:
    computer = facts.get("computer") or {}
    checks = [Check("not_domain_controller", not computer.get("is_domain_controller"), True, "servidor miembro",
                    "controlador de dominio" if computer.get("is_domain_controller") else "servidor miembro",
                    "El servidor no es controlador de dominio." if not computer.get("is_domain_controller") else
                    "El servidor es controlador de dominio: Microsoft no recomienda instalar Exchange en él y no admite cambiarlo después.",
                    "The server is not a domain controller." if not computer.get("is_domain_controller") else
                    "The server is a domain controller: Microsoft advises against Exchange on it and does not support changing it later.")]
    if role == MAILBOX:
        joined = bool(computer.get("domain_joined"))
        checks.append(Check("domain_joined", joined, True, "miembro del dominio", str(computer.get("domain") or "grupo de trabajo"),
                            f"Miembro del dominio {computer.get('domain')}." if joined else
                            "El servidor no está unido al dominio: un servidor de buzones debe ser miembro de Active Directory.",
                            f"Member of domain {computer.get('domain')}." if joined else
                            "The server is not domain-joined: a Mailbox server must be an Active Directory member."))
    return checks


def _microsoft_source(tag: str) -> str:
    """Where one of Microsoft's minimums comes from, short: "Microsoft Learn, Exchange Server documentation, 2025 revision [S1]"."""
    return f"{SOURCES.get(tag, tag).split(' (')[0]} [{tag}]"


def _rpi_minimum(check: Check, setting: str, what_es: str, what_en: str) -> Check:
    """A failed RPI minimum names the threshold that set it (issue 16): the IT Head's to change, not the technician's."""
    return _fixed_by(check, setting, f"{what_es}; ese mínimo lo fija el RPI en {{var}} y solo lo cambia el Encargado de TI.",
                     f"{what_en}; that minimum is the RPI's, set in {{var}}, and only the Head of IT changes it.")


def _hardware_checks(facts: dict, role: str, thresholds: Thresholds, thresholds_variable: str | None = None) -> list[Check]:
    hardware = facts.get("hardware") or {}
    cores = int(hardware.get("cores") or 0)
    memory_gb = float(hardware.get("memory_gb") or 0)
    setting = thresholds_variable or "thresholds"
    checks = [
        _rpi_minimum(Check("cores", cores >= thresholds.min_cores, True, f">= {thresholds.min_cores}", str(cores),
                           f"Núcleos de CPU: {cores} (mínimo del RPI: {thresholds.min_cores}).",
                           f"CPU cores: {cores} (RPI minimum: {thresholds.min_cores})."),
                     f"{setting}.min_cores", "Asigne más núcleos a la máquina virtual", "Give the virtual machine more cores"),
        _rpi_minimum(Check("memory", memory_gb >= thresholds.min_memory_gb, True, f">= {thresholds.min_memory_gb} GB", f"{memory_gb:g} GB",
                           f"Memoria: {memory_gb:g} GB (mínimo del RPI: {thresholds.min_memory_gb} GB).",
                           f"Memory: {memory_gb:g} GB (RPI minimum: {thresholds.min_memory_gb} GB)."),
                     f"{setting}.min_memory_gb", "Asigne más memoria a la máquina virtual", "Give the virtual machine more memory"),
    ]
    memory_requirement = hardware_requirements(role).get("memory")
    if memory_requirement is not None and thresholds.warn_below_recommended_memory:
        recommended_gb = memory_requirement.minimum // 1024
        source = _microsoft_source(memory_requirement.source)
        checks.append(Check("memory_recommended", memory_gb >= recommended_gb, False, f">= {recommended_gb} GB", f"{memory_gb:g} GB",
                            f"Microsoft recomienda al menos {recommended_gb} GB de memoria para este rol; el servidor tiene {memory_gb:g} GB "
                            f"(mínimo recomendado de Microsoft, fuente: {source}).",
                            f"Microsoft recommends at least {recommended_gb} GB of memory for this role; the server has {memory_gb:g} GB "
                            f"(Microsoft's recommended minimum, source: {source})."))
    page_file = facts.get("page_file") or {}
    recommended_mb = page_file.get("recommended_mb")
    if recommended_mb:
        configured = int(page_file.get("total_maximum_mb") or 0)
        fixed_ok = not page_file.get("automatic") and configured == recommended_mb
        checks.append(Check("page_file", fixed_ok, False, f"{recommended_mb} MB fijo (25 % de la memoria)",
                            "automático" if page_file.get("automatic") else f"{configured} MB",
                            f"Archivo de paginación: {'automático' if page_file.get('automatic') else f'{configured} MB'}; Microsoft indica "
                            f"un tamaño fijo del 25 % de la memoria ({recommended_mb} MB).",
                            f"Page file: {'automatic' if page_file.get('automatic') else f'{configured} MB'}; Microsoft says a fixed "
                            f"size of 25 % of memory ({recommended_mb} MB)."))
    return checks


def _disk_checks(facts: dict, role: str, target_dir: str | None, target_variable: str | None = None) -> list[Check]:
    requirements = hardware_requirements(role)
    drives = ", ".join(sorted(f"{str(volume.get('drive', '')).upper()}:" for volume in facts.get("volumes") or [])) or "-"
    checks = []
    system = _system_drive(facts)
    # Without TargetDir setup installs under %ProgramFiles%, on the system drive.
    for key, drive, purpose in (("install_drive_free", _drive_of(target_dir, system), "exchange_binaries"), ("system_drive_free", system, None)):
        requirement = requirements.get(key)
        volume = _volume(facts, drive)
        if requirement is None:
            continue
        needed_gb = requirement.minimum / 1024
        free_gb = float(volume.get("free_gb") or 0) if volume else 0.0
        ok = volume is not None and free_gb >= needed_gb
        source = _microsoft_source(requirement.source)
        check = Check(key, ok, True, f">= {needed_gb:g} GB libres en {drive}:", f"{free_gb:g} GB" if volume else f"{drive}: no existe",
                      f"Espacio libre en {drive}: {free_gb:g} GB (se requieren {needed_gb:g} GB)." + (
                          "" if ok else f" Es el mínimo de Microsoft (fuente: {source}).") if volume else
                      f"La unidad {drive}: no existe en el servidor.",
                      f"Free space on {drive}: {free_gb:g} GB ({needed_gb:g} GB required)." + (
                          "" if ok else f" It is Microsoft's minimum (source: {source}).") if volume else
                      f"Drive {drive}: does not exist on the server.")
        if purpose and volume:
            check = _fixed_by(check, target_variable, f"Libere espacio en {drive}: o indique en {{var}} una carpeta en otra unidad.",
                              f"Free space on {drive}: or give in {{var}} a folder on another drive.")
        elif purpose:
            check = _fixed_by(check, target_variable, f"Indique en {{var}} una carpeta en una unidad que exista; el servidor tiene: {drives}.",
                              f"Give in {{var}} a folder on a drive that exists; the server has: {drives}.")
        checks.append(check)
        if purpose and volume:
            fs_ok = file_system_allowed(purpose, str(volume.get("file_system") or ""))
            checks.append(_fixed_by(
                Check("install_drive_file_system", fs_ok, True, "NTFS", str(volume.get("file_system")),
                      f"Sistema de archivos de {drive}: {volume.get('file_system')} (los archivos de Exchange requieren NTFS).",
                      f"File system of {drive}: {volume.get('file_system')} (Exchange's files require NTFS)."),
                target_variable, "Indique en {var} una carpeta en una unidad NTFS.", "Give in {var} a folder on an NTFS drive."))
    return checks


def _network_checks(facts: dict, thresholds: Thresholds) -> list[Check]:
    static = bool((facts.get("network") or {}).get("static_ip"))
    return [Check("static_ip", static, thresholds.require_static_ip, "IP estática", "estática" if static else "DHCP",
                  "Dirección IP estática." if static else "El servidor obtiene su dirección IP por DHCP; el RPI exige IP estática.",
                  "Static IP address." if static else "The server takes its IP address from DHCP; the RPI requires a static IP.")]


def _setup_may_run(facts: dict, media_version: str) -> bool:
    """False only when Exchange is installed, whole, at the media's build or later: then activity 8 runs no setup."""
    exchange = facts.get("exchange") or {}
    installed, media = try_parse_version(exchange.get("version")), try_parse_version(media_version)
    return not (exchange.get("installed") and installed is not None and media is not None and installed >= media)


def _policy_checks(facts: dict, media_version: str) -> list[Check]:
    """Hardening policies that forbid what setup's scheduled task needs (catalogue.windows_policies)."""
    disabled = (facts.get("policies") or {}).get("disable_domain_creds")
    if disabled is None:
        return []  # not read: nothing to say
    blocking = _setup_may_run(facts, media_version)
    if not disabled:
        return [Check("stored_task_password_allowed", True, blocking, "DisableDomainCreds = 0", "0",
                      "Windows permite que la tarea programada de Setup guarde la contraseña de la cuenta de instalación "
                      "(DisableDomainCreds = 0).",
                      "Windows lets setup's scheduled task keep the setup account's password (DisableDomainCreds = 0).")]
    return [Check(
        "stored_task_password_allowed", False, blocking, "DisableDomainCreds = 0", "1",
        f"El servidor tiene activada la directiva de seguridad «{DISABLE_DOMAIN_CREDS_POLICY_ES}» («{DISABLE_DOMAIN_CREDS_POLICY_EN}»; "
        "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\DisableDomainCreds = 1, habitual en las líneas base CIS). Con ella "
        "Windows no deja registrar la tarea programada que ejecuta Setup con la contraseña de la cuenta de instalación (error "
        "0x80070520, «No existe una sesión de inicio de sesión especificada»), y Setup necesita esa contraseña para llegar "
        "a Active Directory. El administrador debe deshabilitar esa directiva para este servidor, al menos mientras dure la "
        f"instalación, en la GPO que la aplica ({SECURITY_OPTIONS_PATH_ES}) o excluyendo el servidor de esa GPO; luego "
        "ejecutar «gpupdate /force» en el servidor y volver a ejecutar la instalación.",
        f"The server has the security policy \"{DISABLE_DOMAIN_CREDS_POLICY_EN}\" enabled "
        "(HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa\\DisableDomainCreds = 1, common under CIS baselines). With it Windows "
        "does not let the scheduled task that runs setup be registered with the setup account's password (error "
        "0x80070520, \"A specified logon session does not exist\"), and setup needs that password to reach Active "
        "Directory. The administrator must disable that policy for this server, at least while the installation runs, in "
        f"the GPO that applies it ({SECURITY_OPTIONS_PATH_EN}) or by excluding the server from that GPO; then run "
        "\"gpupdate /force\" on the server and run the installation again.")]


def _winrm_checks(facts: dict, media_version: str, connection_transport: str | None) -> list[Check]:
    """WinRM's own configuration: without UpdatedConfig, activity 8 restores it as ExchangeDsc does, creating the
    listeners again (plugin_utils/_server/winrm_config.py); a connection that would not survive the restore is refused here."""
    winrm = facts.get("winrm") or {}
    if "updated_config_present" not in winrm:
        return []  # not read
    decided = plan(bool(winrm["updated_config_present"]), listeners_from_facts(winrm.get("listeners")), connection_transport or "")
    blocking = _setup_may_run(facts, media_version)
    actual = {RESTORE: "UpdatedConfig ausente: se restaurará antes de Setup", REFUSE: "UpdatedConfig ausente: no restaurable"}.get(
        decided.action, "UpdatedConfig presente")
    return [Check("winrm_configuration", decided.action != REFUSE and decided.action != RESTORE,
                  blocking and decided.action == REFUSE, "WSMAN\\UpdatedConfig presente", actual,
                  decided.message_es, decided.message_en)]


def evaluate(facts: dict, *, media_version: str, role: str = MAILBOX, target_dir: str | None = None,
             thresholds: Thresholds | None = None, variable_names: Mapping[str, str] | None = None,
             connection_transport: str | None = None) -> list[Check]:
    """Every check of activity 2, in the order the technician would make them.

    `variable_names` (option -> inventory variable) makes the checks an input can fix name that variable;
    `connection_transport` (HTTPS, HTTP) is how the run reaches the server, whose listener must survive WinRM's restore.
    """
    role = normalize_role(role)
    thresholds = thresholds or Thresholds()
    names = variable_names or {}
    cim_checks = (_hardware_checks(facts, role, thresholds, names.get("thresholds")) + _network_checks(facts, thresholds)
                  if _wmi_answers(facts) else [_unknown_without_wmi(facts)])
    return (_os_checks(facts, media_version, names.get("media_version")) + _domain_checks(facts, role)
            + cim_checks + _disk_checks(facts, role, target_dir, names.get("target_dir"))
            + _policy_checks(facts, media_version) + _winrm_checks(facts, media_version, connection_transport))


def _wmi_answers(facts: dict) -> bool:
    return bool((facts.get("wmi") or {"available": True}).get("available", True))


def _unknown_without_wmi(facts: dict) -> Check:
    """Hardware, page file and network are known only through CIM; while a cumulative update's setup has WMI disabled
    (ExchangeDsc issue #496) they are unknown, never failed: they were checked when that setup was started."""
    error = str((facts.get("wmi") or {}).get("error") or "")
    return Check("hardware_unknown_without_wmi", True, False, "WMI disponible", "WMI deshabilitado",
                 "No se pudo leer el hardware, el archivo de paginación ni la red: WMI está deshabilitado (la instalación de "
                 "Exchange lo deshabilita mientras actualiza). No se evalúan ahora; se evaluaron al iniciar esa instalación. "
                 + error[:200],
                 "Hardware, page file and network could not be read: WMI is disabled (Exchange setup disables it while it "
                 "upgrades). They are not judged now; they were when that setup started. " + error[:200])


def blocking_failures(checks: list[Check]) -> list[Check]:
    return [check for check in checks if check.blocking and not check.ok]
