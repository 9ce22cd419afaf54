# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An evidence item's details as the reader sees them: labelled fields in the report's language.

report.json keeps the details as the modules wrote them (English keys, for tools and for the
technician, who finds them one click further as raw JSON). The page shows each known key by
its label; an unknown key is shown as it is. A text given in both languages ({"es", "en"} or
`x_es`/`x_en`) is shown once, in the report's language.
"""

from __future__ import annotations

import html
import json
import typing as t

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import mode_label, text

# Key -> (Spanish label, English label).
KEY_LABELS: dict[str, tuple[str, str]] = {
    "accepted": ("Aceptada", "Accepted"),
    "accepted_at": ("Aceptada el", "Accepted at"),
    "accepted_by": ("Aceptada por", "Accepted by"),
    "action": ("Acción", "Action"),
    "activities": ("Actividades", "Activities"),
    "activity": ("Actividad", "Activity"),
    "actual": ("Valor encontrado", "Actual value"),
    "admin_display_version": ("Versión mostrada por Exchange", "Exchange's display version"),
    "advice": ("Qué hacer", "What to do"),
    "after": ("Después", "After"),
    "already_present": ("Ya presentes", "Already present"),
    "argument_string": ("Argumentos", "Arguments"),
    "arguments": ("Argumentos", "Arguments"),
    "attached": ("Se retomó una ejecución en curso", "Attached to a running setup"),
    "attempts": ("Intentos", "Attempts"),
    "before": ("Antes", "Before"),
    "build": ("Compilación", "Build"),
    "category": ("Categoría", "Category"),
    "cert_validation": ("Validación del certificado", "Certificate validation"),
    "check": ("Comprobación", "Check"),
    "check_mode": ("Modo de comprobación", "Check mode"),
    "checked": ("Comprobados", "Checked"),
    "checks": ("Comprobaciones", "Checks"),
    "clock_tolerance_minutes": ("Tolerancia del reloj (min)", "Clock tolerance (min)"),
    "command": ("Comando", "Command"),
    "command_line": ("Línea de comandos", "Command line"),
    "components": ("Componentes", "Components"),
    "connection": ("Conexión", "Connection"),
    "controller_user": ("Usuario del equipo de control", "Control machine user"),
    "database": ("Base de datos", "Database"),
    "decision": ("Decisión", "Decision"),
    "detection_window_seconds": ("Ventana de detección (s)", "Detection window (s)"),
    "diagnostic_data": ("Datos de diagnóstico para Microsoft", "Diagnostic data for Microsoft"),
    "digest": ("Huella", "Digest"),
    "disable_am_filtering": ("Filtro antimalware deshabilitado", "Anti-malware filtering disabled"),
    "disabled": ("Deshabilitados", "Disabled"),
    "disk_space": ("Espacio en disco", "Disk space"),
    "do_not_start_transport": ("No iniciar el transporte", "Do not start transport"),
    "domain": ("Dominio", "Domain"),
    "domain_controller": ("Controlador de dominio", "Domain controller"),
    "drive": ("Unidad", "Drive"),
    "duration_seconds": ("Duración (s)", "Duration (s)"),
    "edb_path": ("Ruta de la base de datos", "Database path"),
    "edition": ("Edición", "Edition"),
    "elapsed": ("Tiempo transcurrido", "Elapsed"),
    "elapsed_seconds": ("Tiempo transcurrido (s)", "Elapsed (s)"),
    "enable_error_reporting": ("Informe de errores activado", "Error reporting enabled"),
    "error": ("Error", "Error"),
    "error_line": ("Línea del error", "Error line"),
    "evidence": ("Evidencia", "Evidence"),
    "exchange": ("Exchange", "Exchange"),
    "exchange_after": ("Exchange después", "Exchange after"),
    "exchange_before": ("Exchange antes", "Exchange before"),
    "exchange_version": ("Versión de Exchange", "Exchange version"),
    "executable": ("Ejecutable", "Executable"),
    "exit_code": ("Código de salida", "Exit code"),
    "exit_code_hex": ("Código de salida (hexadecimal)", "Exit code (hex)"),
    "exists": ("Existe", "Exists"),
    "expected": ("Valor esperado", "Expected value"),
    "exsetup": ("Versión de ExSetup.exe", "ExSetup.exe version"),
    "extended_protection": ("Protección extendida", "Extended protection"),
    "failed": ("Fallidas", "Failed"),
    "failed_component": ("Componente que falló", "Failed component"),
    "failed_rules": ("Reglas que fallaron", "Failed rules"),
    "features": ("Características de Windows", "Windows features"),
    "findings": ("Hallazgos", "Findings"),
    "first_entry_time": ("Primera entrada del registro", "First log entry"),
    "first_server": ("Primer servidor de la organización", "First server of the organisation"),
    "given": ("Indicados", "Given"),
    "holder": ("Ejecución que lo tiene", "Held by"),
    "host": ("Servidor", "Server"),
    "hostname": ("Nombre del equipo", "Host name"),
    "ignored": ("Ignorados", "Ignored"),
    "incomplete": ("Incompletas", "Incomplete"),
    "insecure_lab": ("Laboratorio inseguro declarado", "Declared insecure lab"),
    "install_path": ("Ruta de instalación", "Install path"),
    "install_windows_components": ("Instalar componentes de Windows", "Install Windows components"),
    "installation_mode": ("Modo de la instalación", "Installation mode"),
    "installation_type": ("Tipo de instalación", "Installation type"),
    "installed": ("Instalado", "Installed"),
    "installed_before_failure": ("Instalado antes del fallo", "Installed before the failure"),
    "installed_version": ("Versión instalada", "Installed version"),
    "instructed_by": ("Instruida por", "Instructed by"),
    "interrupted": ("Interrumpida", "Interrupted"),
    "interruptions": ("Interrupciones de la conexión", "Connection interruptions"),
    "inventory_hostname": ("Nombre en el inventario", "Inventory name"),
    "norm_5_1_rule": ("Regla de la norma 5.1 aplicada", "Norm 5.1 rule applied"),
    "purpose": ("Propósito ordenado por el Encargado de TI", "Purpose ordered by the IT Head"),
    "primary_dns_suffix": ("Sufijo DNS principal", "Primary DNS suffix"),
    "is_trial": ("Edición de prueba", "Trial edition"),
    "iso_path": ("Ruta de la imagen ISO", "ISO image path"),
    "key": ("Clave", "Key"),
    "label": ("Versión", "Version"),
    "language": ("Idioma", "Language"),
    "last_entry_time": ("Última entrada del registro", "Last log entry"),
    "last_run_started": ("Inicio de la última ejecución", "Last run started"),
    "license_path": ("Ruta de la licencia", "Licence path"),
    "license_sha256": ("Huella SHA-256 de la licencia", "Licence SHA-256"),
    "line": ("Línea de producto", "Product line"),
    "listeners": ("Escuchas", "Listeners"),
    "listeners_found": ("Escuchas encontradas", "Listeners found"),
    "log_path": ("Ruta de los registros", "Log path"),
    "log_time": ("Hora en el registro", "Time in the log"),
    "manual_not_required": ("No requeridos por el manual", "Not required by the manual"),
    "media": ("Medio de instalación", "Installation media"),
    "media_version": ("Versión del medio", "Media version"),
    "message": ("Mensaje", "Message"),
    "milestones": ("Etapas", "Milestones"),
    "min_length_searched": ("Longitud mínima buscada", "Minimum length searched"),
    "missing": ("Faltantes", "Missing"),
    "missing_after": ("Faltantes después", "Still missing"),
    "mode": ("Modo", "Mode"),
    "msg": ("Mensaje", "Message"),
    "msi_error_code": ("Código de error de MSI", "MSI error code"),
    "name": ("Nombre", "Name"),
    "not_searched_short": ("Secretos demasiado cortos para buscarlos", "Secrets too short to search for"),
    "not_searched_word": ("Secretos que son palabras comunes", "Secrets that are common words"),
    "notes": ("Notas", "Notes"),
    "ok": ("Correcta", "Passed"),
    "operation": ("Operación", "Operation"),
    "option": ("Opción", "Option"),
    "options": ("Opciones", "Options"),
    "organization_name": ("Nombre de la organización", "Organisation name"),
    "origin": ("Procedencia", "Origin"),
    "os": ("Sistema operativo", "Operating system"),
    "os_build": ("Compilación del sistema operativo", "OS build"),
    "os_name": ("Nombre del sistema operativo", "OS name"),
    "outcome": ("Resultado", "Outcome"),
    "path": ("Ruta", "Path"),
    "phase": ("Fase", "Phase"),
    "polls": ("Consultas", "Polls"),
    "port": ("Puerto", "Port"),
    "position": ("Posición", "Position"),
    "prerequisite": ("Prerrequisito", "Prerequisite"),
    "preview": ("Inicio del contenido", "Preview"),
    "problems": ("Problemas", "Problems"),
    "product": ("Producto", "Product"),
    "product_id": ("Identificador del producto", "Product id"),
    "progress": ("Avance", "Progress"),
    "rc": ("Código de retorno", "Return code"),
    "reason": ("Motivo", "Reason"),
    "reboot_required": ("Requiere reinicio", "Restart required"),
    "reference": ("Referencia", "Reference"),
    "refused": ("Rechazadas", "Refused"),
    "report": ("Informe", "Report"),
    "required_services_running": ("Servicios requeridos en ejecución", "Required services running"),
    "resume_of": ("Reanuda", "Resumes"),
    "resume_role": ("Rol que se reanuda", "Role resumed"),
    "role": ("Rol", "Role"),
    "roles": ("Roles", "Roles"),
    "rule": ("Regla", "Rule"),
    "run_as": ("Cuenta que ejecuta", "Run as"),
    "run_as_user": ("Cuenta que ejecuta", "Run as"),
    "run_id": ("Ejecución", "Run"),
    "run_started": ("Inicio de la ejecución", "Run started"),
    "running": ("En ejecución", "Running"),
    "runs": ("Ejecuciones", "Runs"),
    "runs_setup": ("Se ejecuta la instalación", "Setup runs"),
    "scheme": ("Protocolo", "Scheme"),
    "server_role": ("Rol del servidor", "Server role"),
    "service": ("Servicio", "Service"),
    "services": ("Servicios", "Services"),
    "services_not_running": ("Servicios detenidos", "Services not running"),
    "setup_certain": ("Resultado de la instalación seguro", "Setup's result certain"),
    "setup_log_written": ("Se escribió el registro de instalación", "Setup log written"),
    "server_object": ("Objeto del servidor en Active Directory", "Server object in Active Directory"),
    "setup_mode": ("Modo de la instalación", "Setup mode"),
    "setup_version": ("Versión del medio", "Media version"),
    "sha256": ("Huella SHA-256", "SHA-256"),
    "signature": ("Firma del error", "Error signature"),
    "source": ("Origen", "Source"),
    "sources": ("Fuentes", "Sources"),
    "state": ("Estado", "State"),
    "status": ("Estado", "Status"),
    "status_code": ("Código de estado HTTP", "HTTP status code"),
    "stderr": ("Salida de error", "Error output"),
    "stdout": ("Salida", "Output"),
    "step": ("Paso", "Step"),
    "stopped": ("Detenidos", "Stopped"),
    "succeeded": ("Correctas", "Succeeded"),
    "switch": ("Opción de la línea de comandos", "Switch"),
    "switch_values": ("Valores de las opciones", "Switch values"),
    "switches": ("Opciones de la línea de comandos", "Switches"),
    "target": ("Destino", "Target"),
    "target_dir": ("Carpeta de instalación", "Installation folder"),
    "technician": ("Técnico que ejecuta", "Technician who runs it"),
    "technician_position": ("Cargo del técnico", "Technician's position"),
    "task": ("Tarea", "Task"),
    "timezone": ("Zona horaria", "Time zone"),
    "transient": ("Pasajero", "Transient"),
    "transport": ("Transporte de WinRM", "WinRM transport"),
    "truncated": ("Recortado", "Truncated"),
    "type": ("Tipo", "Type"),
    "unknown": ("Sin identificar", "Unknown"),
    "updated_config_present": ("Configuración de WinRM modificada presente", "WinRM's updated configuration present"),
    "updates_dir": ("Carpeta de actualizaciones", "Updates folder"),
    "user": ("Usuario", "User"),
    "value": ("Valor", "Value"),
    "verdict": ("Veredicto", "Verdict"),
    "version": ("Versión", "Version"),
    "warnings": ("Advertencias", "Warnings"),
    "who": ("Quién", "Who"),
    "window_end": ("Fin de la ventana", "Window end"),
    "window_start": ("Inicio de la ventana", "Window start"),
    "within_window": ("Dentro de la ventana planificada", "Within the planned window"),
    "working_directory": ("Carpeta de trabajo", "Working directory"),
}


# The security update (issue 18, item 1: plugins/action/exchange_security_update.py).
KEY_LABELS.update({
    "kb": ("Artículo de Microsoft (KB)", "Microsoft article (KB)"),
    "update_label": ("Actualización", "Update"),
    "update_version": ("Compilación que deja la actualización", "Build the update leaves"),
    "update_kind": ("Tipo de actualización (SU de seguridad, HU de corrección)", "Update kind (SU security, HU hotfix)"),
    "target_label": ("Compilación a la que se aplica", "Build it applies to"),
    "target_version": ("Versión de esa compilación", "That build's version"),
    "build_after": ("Compilación después (ExSetup.exe)", "Build after (ExSetup.exe)"),
    "expected_build": ("Compilación esperada", "Expected build"),
    "disabled_services": ("Servicios deshabilitados", "Disabled services"),
    "exit_code_text": ("Significado del código de salida", "Exit code's meaning"),
    "version_before": ("Versión antes", "Version before"),
    "version_after": ("Versión después", "Version after"),
    "log_tail": ("Final del registro de la actualización", "End of the update's log"),
    "variable": ("Variable del inventario", "Inventory variable"),
})

# Values that are words of the code, read in the report's language.
VALUE_LABELS: dict[str, tuple[str, str]] = {
    "succeeded": ("correcto", "succeeded"),
    "failed": ("falló", "failed"),
    "incomplete": ("incompleto", "incomplete"),
    "unknown": ("sin identificar", "unknown"),
    "started": ("iniciado", "started"),
    "start_failed": ("no se pudo iniciar", "could not start"),
    "would_start": ("se iniciaría", "would start"),
    "held": ("retenido", "held"),
    "running": ("en ejecución", "running"),
    "stopped": ("detenido", "stopped"),
    "domain_membership": ("pertenencia al dominio del RPI", "membership of the RPI's domain"),
    "edge_dns_suffix": ("sufijo DNS principal del servidor perimetral", "the Edge server's primary DNS suffix"),
}

# Keys whose values are such words.
_WORD_VALUED_KEYS = ("outcome", "action", "state", "status", "expected", "actual", "norm_5_1_rule")

# Keys whose text is a message of Microsoft's software (setup's log, Windows), never ours.
QUOTED_KEYS = frozenset(("error", "message", "stderr", "stdout", "msg"))

_MAX_ITEMS = 20
_MAX_DEPTH = 3
_LANGUAGES = ("es", "en")


def _esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def key_label(key: str, language: str) -> str:
    pair = KEY_LABELS.get(key)
    return key if pair is None else pair[1 if language == ENGLISH else 0]


def _in_language(value: t.Mapping[str, t.Any], language: str) -> t.Any:
    """{"es": ..., "en": ...} -> the text in the report's language."""
    return value.get(language) if value.get(language) not in (None, "") else value.get("es")


def _is_bilingual(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= set(_LANGUAGES) and "es" in value


def _localized(details: t.Mapping[str, t.Any], language: str) -> list[tuple[str, t.Any, bool]]:
    """The fields to show, and whether each is our own bilingual text: `x_es`/`x_en` pairs become one `x` in the report's language."""
    fields: list[tuple[str, t.Any, bool]] = []
    seen: set[str] = set()
    for key in details:
        base, _sep, suffix = str(key).rpartition("_")
        if base and suffix in _LANGUAGES:
            if base in seen:
                continue
            seen.add(base)
            fields.append((base, details.get(f"{base}_{language}") or details.get(f"{base}_es") or details.get(key), True))
        else:
            fields.append((str(key), details[key], _is_bilingual(details[key])))
    return fields


def _scalar(key: str, value: t.Any, language: str) -> str:
    if isinstance(value, bool):
        return text(language, "yes" if value else "no")
    if key in ("mode", "setup_mode", "operation", "installation_mode") and isinstance(value, str):
        return mode_label(value.lower(), language) if mode_label(value.lower(), language) != value.lower() else value
    if isinstance(value, str) and value in VALUE_LABELS and key in _WORD_VALUED_KEYS:
        return VALUE_LABELS[value][1 if language == ENGLISH else 0]
    return str(value)


def _value(key: str, value: t.Any, language: str, depth: int, ours: bool = False) -> str:
    if _is_bilingual(value):
        value = _in_language(value, language)
    if isinstance(value, dict):
        if depth >= _MAX_DEPTH:
            return f"<code>{_esc(json.dumps(value, ensure_ascii=False, sort_keys=True, default=str))}</code>"
        return fields_html(value, language, depth + 1)
    if isinstance(value, (list, tuple)):
        if not value:
            return "—"
        shown = list(value)[:_MAX_ITEMS]
        more = len(value) - len(shown)
        items = "".join(f"<li>{_value(key, item, language, depth + 1)}</li>" for item in shown)
        if more:
            items += f"<li>{_esc(text(language, 'details.more', count=more))}</li>"
        return f"<ul>{items}</ul>"
    if value is None or value == "":
        return "—"
    if key in QUOTED_KEYS and isinstance(value, str) and not ours:
        # Setup's and Windows' own words, as they wrote them: quoted, the Spanish explanation is beside them.
        return f'<q class="ms" lang="en">{_esc(value)}</q>'
    return _esc(_scalar(key, value, language))


def fields_html(details: t.Mapping[str, t.Any], language: str, depth: int = 0) -> str:
    """A definition list of the details, each key by its label."""
    rows = "".join(f"<dt>{_esc(key_label(key, language))}</dt><dd>{_value(key, value, language, depth, ours)}</dd>"
                   for key, value, ours in _localized(details, language))
    return f'<dl class="fields">{rows}</dl>' if rows else ""


# Activity 2's Active Directory reading and decision (rpi.exchange.ad_readiness; issue 17, items 1 and 2).
KEY_LABELS.update({
    "read": ("Valores leídos de Active Directory", "Values read from Active Directory"),
    "prepares": ("Setup preparará", "Setup will prepare"),
    "required": ("Requerido por la versión", "Required by the version"),
    "current": ("Valor actual", "Current value"),
    "reasons": ("Motivos", "Reasons"),
    "rights_needed": ("Grupos necesarios", "Groups needed"),
    "rights_missing": ("Grupos que faltan", "Missing groups"),
    "account": ("Cuenta", "Account"),
    "messages": ("Mensajes", "Messages"),
    "code": ("Código", "Code"),
    "level": ("Nivel", "Level"),
    "schema": ("Esquema", "Schema"),
    "organization": ("Organización de Exchange", "Exchange organisation"),
    "naming_contexts": ("Contextos de nombres", "Naming contexts"),
    "functional_levels": ("Niveles funcionales", "Functional levels"),
    "forest": ("Bosque", "Forest"),
    "site": ("Sitio de Active Directory", "Active Directory site"),
    "domain_controllers": ("Controladores de dominio", "Domain controllers"),
    "account_groups": ("Grupos del token de la cuenta", "Groups of the account's token"),
    "groups": ("Grupos", "Groups"),
    "local_administrator": ("Administrador local", "Local administrator"),
    "errors": ("Errores de lectura", "Read errors"),
    "range_upper": ("rangeUpper del esquema", "Schema rangeUpper"),
    "object_version": ("objectVersion", "objectVersion"),
    "distinguished_name": ("Nombre distintivo (DN)", "Distinguished name"),
    "dns_host_name": ("Nombre DNS", "DNS host name"),
    "operating_system": ("Sistema operativo", "Operating system"),
    "operating_system_version": ("Versión del sistema operativo", "Operating system version"),
    "serial_number": ("serialNumber (versión registrada)", "serialNumber (recorded version)"),
    "configuration": ("Configuración", "Configuration"),
    "default": ("Dominio", "Domain"),
    "root_dse": ("RootDSE", "RootDSE"),
})
VALUE_LABELS.update({
    "prepared": ("preparado", "prepared"),
    "setup_prepares": ("Setup lo preparará", "setup will prepare it"),
    "refuse": ("rechazado", "refused"),
    "not_needed": ("no se necesita", "not needed"),
    "not_applicable": ("no aplica", "not applicable"),
})
# The product key (activity 10, issue 18): the key itself is never a detail; only its masked form (`licence_masked`).
KEY_LABELS.update({
    "trial": ("Edición de prueba", "Trial edition"),
    "trial_days_left": ("Días de prueba restantes", "Trial days left"),
    "installed_on": ("Instalado el", "Installed on"),
    "expected_edition": ("Edición esperada", "Expected edition"),
    "licence_masked": ("Clave de producto (enmascarada)", "Product key (masked)"),
    "first_page": ("En la primera página", "On the first page"),
    "edition_before": ("Edición antes", "Edition before"),
    "edition_after": ("Edición después", "Edition after"),
    "information_store": ("Servicio del almacén de información (MSExchangeIS)", "Information Store service (MSExchangeIS)"),
    "restarted": ("Reiniciado", "Restarted"),
    "restart_information_store": ("Reiniciar el almacén de información", "Restart the Information Store"),
    "warnings_from_exchange": ("Advertencias de Exchange", "Exchange's warnings"),
})
# Set-ExchangeServer's own warnings are Microsoft's words: quoted, the change's summary says it in Spanish beside them.
QUOTED_KEYS = QUOTED_KEYS | frozenset(("warnings_from_exchange",))
# Activity 2's AD decision lists what setup (or activity 8) will prepare and why a run is refused: words of the code,
# read in the report's language like the other word-valued keys.
VALUE_LABELS.update({
    "schema": ("esquema de Active Directory", "Active Directory schema"),
    "organization": ("organización de Exchange", "Exchange organization"),
    "domain": ("dominio (Microsoft Exchange System Objects)", "domain (Microsoft Exchange System Objects)"),
    "functional_level": ("nivel funcional del bosque o del dominio", "forest or domain functional level"),
    "dc_os": ("sistema operativo de un controlador de dominio", "a domain controller's operating system"),
    "organization_name_differs": ("el nombre de la organización no coincide", "the organization name differs"),
    "organization_name_missing": ("falta el nombre de la organización", "the organization name is missing"),
    "no_organization": ("no hay organización de Exchange", "no Exchange organization"),
    "ad_unreadable": ("Active Directory no se pudo leer", "Active Directory could not be read"),
    "rights_missing": ("faltan permisos a la cuenta de instalación", "the setup account lacks rights"),
})
_WORD_VALUED_KEYS = _WORD_VALUED_KEYS + ("prepares", "reasons")
