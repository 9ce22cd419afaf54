# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the technician should do next, per diagnosis, in Spanish and English.

The RPI's technicians read Spanish first, and they act on the advice without an Exchange
specialist at hand, so each text says the next concrete step in plain words and when to
escalate to the Head of IT. Texts follow Microsoft's own remedies (SetupLogReviewer action
plans, the readiness-rule pages) without copying them.
"""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import rules
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.hardware import hardware_requirements
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

_DISK_REQUIREMENTS = hardware_requirements("ManagementTools")  # the disk figures only: the same for every role

_LOG = r"%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log"

# Microsoft's disk requirements, from the catalogue [S1 system requirements].
_INSTALL_DRIVE_MB = next(item.minimum for item in _DISK_REQUIREMENTS.items if item.key == "install_drive_free")
_SYSTEM_DRIVE_MB = next(item.minimum for item in _DISK_REQUIREMENTS.items if item.key == "system_drive_free")
_MICROSOFT_ES = f"{_INSTALL_DRIVE_MB // 1024} GB libres en la unidad donde se instala Exchange y {_SYSTEM_DRIVE_MB} MB en la unidad del sistema"
_MICROSOFT_EN = f"{_INSTALL_DRIVE_MB // 1024} GB free on the drive Exchange is installed on and {_SYSTEM_DRIVE_MB} MB on the system drive"
_SPACE_ES = f"al menos lo que pide Microsoft: {_MICROSOFT_ES}"
_SPACE_EN = f"at least what Microsoft requires: {_MICROSOFT_EN}"
_KEEP_ES = ("Para hacer sitio no borre archivos de Exchange, de C:\\Windows\\Installer ni registros de transacciones de las "
            "bases de datos; si no alcanza, amplíe el volumen y escale al Encargado de TI.")
_KEEP_EN = ("To make room don't delete Exchange files, C:\\Windows\\Installer or database transaction logs; if that isn't "
            "enough, extend the volume and escalate to the Head of IT.")

CATEGORY_ADVICE: dict[str, tuple[str, str]] = {
    rules.REBOOT_PENDING: (
        "Windows tiene un reinicio pendiente. Reinicie el servidor y vuelva a ejecutar la instalación. Si el aviso sigue "
        "después de reiniciar, termine de instalar las actualizaciones de Windows pendientes y reinicie otra vez.",
        "Windows has a restart pending. Restart the server and run Setup again. If the message persists after the restart, "
        "finish installing pending Windows updates and restart again."),
    rules.INSUFFICIENT_PERMISSIONS: (
        "La cuenta que ejecutó la instalación no tiene los permisos necesarios. Use una cuenta miembro de los grupos que indica "
        "el error (Schema Admins y Enterprise Admins para preparar el esquema y Active Directory; Organization Management para "
        "instalar o actualizar un servidor), cierre sesión y vuelva a iniciarla para que los grupos surtan efecto, y ejecute "
        "de nuevo la instalación.",
        "The account that ran Setup lacks the required permissions. Use an account that is a member of the groups the error "
        "names (Schema Admins and Enterprise Admins to prepare the schema and Active Directory; Organization Management to "
        "install or upgrade a server), sign out and in again so the groups take effect, and run Setup again."),
    rules.AD_PREPARATION_REQUIRED: (
        "Active Directory no está preparado para esta versión de Exchange. Ejecute Setup.exe con /PrepareSchema, /PrepareAD y "
        "/PrepareDomain (o /PrepareAllDomains) desde un equipo del mismo dominio y sitio que el maestro de esquema, con una "
        "cuenta de Schema Admins y Enterprise Admins; espere a que termine la replicación y vuelva a ejecutar la instalación.",
        "Active Directory isn't prepared for this Exchange version. Run Setup.exe with /PrepareSchema, /PrepareAD and "
        "/PrepareDomain (or /PrepareAllDomains) from a computer in the schema master's domain and site, with a Schema Admins "
        "and Enterprise Admins account; wait for replication to finish and run Setup again."),
    rules.DOMAIN_CONTROLLER_SITE: (
        "La instalación usó un controlador de dominio de otro sitio de Active Directory. Indique con /DomainController un "
        "controlador de dominio con catálogo global del mismo sitio que este servidor (el maestro de esquema si prepara Active "
        "Directory), revise los sitios y subredes en Active Directory y vuelva a ejecutar la instalación.",
        "Setup used a domain controller from another Active Directory site. Pass /DomainController with a global catalog "
        "domain controller in this server's site (the schema master when preparing Active Directory), check the AD sites and "
        "subnets, and run Setup again."),
    rules.AD_OBJECT_PROBLEM: (
        "Un objeto de Active Directory que Exchange necesita está eliminado, dañado o mal configurado (por ejemplo la unidad "
        "organizativa 'Microsoft Exchange Security Groups' o una entrada de otherWellKnownObjects). No lo modifique a ciegas: "
        "ejecute SetupAssist.ps1 de Microsoft (CSS-Exchange) para identificar el objeto, restáurelo o corríjalo, y escale al "
        "Encargado de TI antes de cambiar Active Directory.",
        "An Active Directory object Exchange needs is deleted, damaged or misconfigured (for example the 'Microsoft Exchange "
        "Security Groups' OU or an otherWellKnownObjects entry). Don't edit it blindly: run Microsoft's SetupAssist.ps1 "
        "(CSS-Exchange) to identify the object, restore or fix it, and escalate to the Head of IT before changing AD."),
    rules.AD_ACCESS_DENIED: (
        "Active Directory negó el acceso a la cuenta de instalación. Verifique que la cuenta tenga los permisos requeridos y "
        "que el objeto indicado no tenga permisos de denegación ni la herencia deshabilitada; corríjalo y vuelva a ejecutar "
        "la instalación.",
        "Active Directory denied the setup account access. Check the account has the required rights and that the object "
        "named has no Deny entries and inheritance enabled; fix it and run Setup again."),
    rules.SCHEMA_IMPORT_FAILED: (
        "Falló la importación del esquema con ldifde.exe. Abra el archivo ldif.err indicado en el error para ver qué objeto "
        "falló, confirme que ejecuta /PrepareSchema en el dominio y sitio del maestro de esquema con una cuenta de Schema "
        "Admins, y vuelva a ejecutarlo.",
        "The schema import with ldifde.exe failed. Open the ldif.err file named in the error to see which object failed, "
        "make sure /PrepareSchema runs in the schema master's domain and site with a Schema Admins account, and run it again."),
    rules.SERVICE_DISABLED: (
        "Un servicio que Exchange necesita está deshabilitado. Ponga los servicios de Exchange en inicio Automático (por "
        "ejemplo: Get-Service MSExchange* | Set-Service -StartupType Automatic), revise que ninguna directiva ni antivirus "
        "los deshabilite y vuelva a ejecutar la instalación.",
        "A service Exchange needs is disabled. Set the Exchange services to Automatic (for example: Get-Service MSExchange* "
        "| Set-Service -StartupType Automatic), check no policy or antivirus disables them, and run Setup again."),
    rules.AD_TOPOLOGY_SERVICE: (
        "El servicio Microsoft Exchange Active Directory Topology (MSExchangeADTopology) no respondió o no encontró un "
        "controlador de dominio utilizable. Inícielo y manténgalo en ejecución durante toda la instalación; revise el "
        "registro de eventos Aplicación para ver por qué no encuentra controladores de dominio (DNS, sitio, catálogo global) "
        "y vuelva a ejecutar la instalación.",
        "The Microsoft Exchange Active Directory Topology service (MSExchangeADTopology) didn't answer or found no usable "
        "domain controller. Start it and keep it running for the whole setup; check the Application event log for why it "
        "finds no domain controller (DNS, site, global catalog) and run Setup again."),
    rules.MSI_INSTALLER: (
        "Windows Installer falló al instalar o quitar un paquete. Con el código 1612 falta el paquete original en la caché "
        "de Windows Installer: ejecute FixInstallerCache.ps1 (CSS-Exchange) para la versión instalada. Con 1603 revise el "
        r"archivo .msilog en %SystemDrive%\ExchangeSetupLogs. Con 1618 espere a que termine la otra instalación. Reinicie el servidor y "
        "vuelva a ejecutar la instalación.",
        "Windows Installer failed to install or remove a package. Code 1612 means the original package is missing from the "
        "Windows Installer cache: run FixInstallerCache.ps1 (CSS-Exchange) for the installed version. For 1603 read the "
        r".msilog file in %SystemDrive%\ExchangeSetupLogs. For 1618 wait for the other installation to finish. Restart the server and "
        "run Setup again."),
    rules.VIRTUAL_DIRECTORY: (
        "Falló la configuración de un directorio virtual de IIS (OWA, ECP, EWS, ActiveSync...). Ejecute SetupAssist.ps1 y "
        "revise los directorios virtuales del servidor: recree el que falta o quite el duplicado o personalizado, y vuelva a "
        "ejecutar la instalación.",
        "Configuring an IIS virtual directory (OWA, ECP, EWS, ActiveSync...) failed. Run SetupAssist.ps1 and review the "
        "server's virtual directories: recreate the missing one or remove the duplicate or custom one, and run Setup again."),
    rules.SEARCH_FOUNDATION: (
        "Falló la configuración de Search Foundation (la búsqueda de Exchange). Compruebe que los servicios Microsoft Exchange "
        "Search y Microsoft Exchange Search Host Controller no estén deshabilitados, que los procesos noderunner.exe puedan "
        "iniciarse y que el antivirus excluya las carpetas de Exchange; luego vuelva a ejecutar la instalación.",
        "Configuring Search Foundation (Exchange search) failed. Check the Microsoft Exchange Search and Search Host "
        "Controller services aren't disabled, that the noderunner.exe processes can start and that antivirus excludes the "
        "Exchange folders; then run Setup again."),
    rules.INSTALL_FROM_BIN: (
        r"Se ejecutó el Setup.exe de la carpeta Bin de Exchange en lugar del medio de instalación. Ejecute la instalación "
        r"desde la raíz del medio (ISO) y, en PowerShell, escriba .\Setup.exe (con .\ delante).",
        r"Setup.exe from Exchange's Bin folder ran instead of the one on the media. Run Setup from the root of the media "
        r"(ISO) and, in PowerShell, type .\Setup.exe (with the .\ in front)."),
    rules.WINDOWS_FIREWALL: (
        "El servicio Firewall de Windows Defender (MpsSvc) o el asignador de extremos RPC no está disponible. Inicie el "
        "servicio Firewall de Windows (puede dejar los perfiles desactivados) y vuelva a ejecutar la instalación.",
        "The Windows Defender Firewall service (MpsSvc) or the RPC endpoint mapper isn't available. Start the Windows "
        "Firewall service (its profiles may stay off) and run Setup again."),
    rules.DATABASE_MOUNT: (
        "No se pudo montar una base de datos de buzones. Averigüe por qué no monta (archivo .edb ausente, registros de "
        "transacciones, espacio en disco), móntela manualmente y vuelva a ejecutar la instalación. Escale al Encargado de TI "
        "si hay riesgo de pérdida de datos.",
        "A mailbox database couldn't be mounted. Find out why (missing .edb file, transaction logs, disk space), mount it "
        "manually and run Setup again. Escalate to the Head of IT if data could be lost."),
    rules.MAILBOX_OBJECT_PROBLEM: (
        "Un buzón del sistema (arbitraje u otro) tiene un problema en Active Directory: sin base de datos asignada (homeMDB) "
        "o con un UPN duplicado. Ejecute SetupAssist.ps1 para encontrar los buzones afectados, corríjalos y vuelva a ejecutar "
        "la instalación. No elimine los buzones de arbitraje.",
        "A system mailbox (arbitration or other) has a problem in Active Directory: no database assigned (homeMDB) or a "
        "duplicate UPN. Run SetupAssist.ps1 to find the affected mailboxes, fix them and run Setup again. Don't delete the "
        "arbitration mailboxes."),
    rules.FILE_ACCESS_DENIED: (
        "Se negó el acceso a un archivo o carpeta. Revise los permisos de la ruta indicada, que ningún proceso (antivirus, "
        "respaldo) la tenga bloqueada y que la instalación se ejecute como administrador; luego vuelva a ejecutarla.",
        "Access to a file or folder was denied. Check the permissions of the path named, that no process (antivirus, "
        "backup) holds it, and that Setup runs as administrator; then run it again."),
    rules.MISSING_DIRECTORY: (
        "Falta una carpeta que Exchange espera encontrar. Cree la carpeta indicada en el error (vacía) y vuelva a ejecutar la "
        "instalación.",
        "A folder Exchange expects is missing. Create the folder named in the error (empty) and run Setup again."),
    rules.SETUP_SCRIPT_ERROR: (
        f"Un paso de la instalación falló con un error no catalogado. Lea el error indicado y el registro {_LOG} alrededor de "
        "esa línea, corrija la causa y vuelva a ejecutar la instalación; si no es claro, ejecute SetupLogReviewer.ps1 de "
        "Microsoft (CSS-Exchange) y escale al Encargado de TI.",
        f"A setup step failed with an error not catalogued here. Read the error shown and {_LOG} around that line, fix the "
        "cause and run Setup again; if unclear, run Microsoft's SetupLogReviewer.ps1 (CSS-Exchange) and escalate to the Head "
        "of IT."),
    rules.MISSING_PREREQUISITE: (
        "Falta software que Exchange necesita (por ejemplo IIS URL Rewrite, UCMA 4.0, Visual C++ o .NET Framework). Instale "
        "el componente que indica el error, reinicie si se le pide y vuelva a ejecutar la instalación.",
        "Software Exchange needs is missing (for example IIS URL Rewrite, UCMA 4.0, Visual C++ or .NET Framework). Install the "
        "component the error names, restart if asked, and run Setup again."),
    rules.PREREQUISITE_CHECK: (
        "La comprobación de prerrequisitos de Exchange falló. Lea el mensaje [REQUIRED] indicado, corrija la condición y "
        "vuelva a ejecutar la instalación.",
        "Exchange's prerequisite check failed. Read the [REQUIRED] message shown, fix the condition and run Setup again."),
    rules.INVALID_COMMAND_LINE: (
        "Setup.exe rechazó la línea de comandos antes de empezar. Revise los parámetros (modo, rol y el parámetro de licencia "
        "correcto para esta versión) y vuelva a ejecutarlo.",
        "Setup.exe refused the command line before starting. Check the switches (mode, role and the licence switch this "
        "version expects) and run it again."),
    rules.DISK_SPACE: (
        "Falta espacio en disco. Libere espacio en la unidad que indica el error (si no la indica, en la unidad donde se "
        f"instala Exchange y en la unidad del sistema) hasta tener {_SPACE_ES}, y vuelva a ejecutar la instalación. {_KEEP_ES}",
        "There is not enough disk space. Free space on the drive the error names (if it names none, on the drive Exchange is "
        f"installed on and on the system drive) until there is {_SPACE_EN}, and run Setup again. {_KEEP_EN}"),
    rules.UNKNOWN: (
        f"No se pudo determinar la causa automáticamente. Revise el error indicado y el registro {_LOG}; ejecute "
        "SetupLogReviewer.ps1 de Microsoft (CSS-Exchange) y escale al Encargado de TI.",
        f"The cause couldn't be determined automatically. Review the error shown and {_LOG}; run Microsoft's "
        "SetupLogReviewer.ps1 (CSS-Exchange) and escalate to the Head of IT."),
}

# Readiness rules precise enough to deserve their own next step.
RULE_ADVICE: dict[str, tuple[str, str]] = {
    "iisurlrewritenotinstalled": (
        "Instale IIS URL Rewrite Module 2.1 (rewrite_amd64_en-US.msi) y vuelva a ejecutar la instalación.",
        "Install the IIS URL Rewrite Module 2.1 (rewrite_amd64_en-US.msi) and run Setup again."),
    "ucmaredistmsi": (
        r"Instale UCMA 4.0 desde la carpeta UCMARedist del medio de Exchange (UCMARedist\Setup.exe /passive /norestart), "
        "con la característica Server-Media-Foundation instalada, y vuelva a ejecutar la instalación.",
        r"Install UCMA 4.0 from the media's UCMARedist folder (UCMARedist\Setup.exe /passive /norestart), with the "
        "Server-Media-Foundation feature installed, and run Setup again."),
    "vc2013redistdependencyrequirement": (
        "Instale Visual C++ 2013 Redistributable (x64) y vuelva a ejecutar la instalación.",
        "Install the Visual C++ 2013 Redistributable (x64) and run Setup again."),
    "netframeworknotinstalled": (
        "Instale la versión de .NET Framework que admite esta versión de Exchange (4.8; 4.8.1 solo con 2019 CU14+ o SE fuera de "
        "Windows Server 2019), reinicie y vuelva a ejecutar la instalación.",
        "Install the .NET Framework this Exchange version supports (4.8; 4.8.1 only with 2019 CU14+ or SE outside Windows "
        "Server 2019), restart and run Setup again."),
    "processneedstobeclosedonupgrade": (
        "Hay procesos que mantienen archivos de Exchange abiertos (otras ventanas de PowerShell o del Shell de Exchange, o el "
        "proceso indicado). Ciérrelos —o reinicie el servidor— y vuelva a ejecutar la instalación.",
        "Processes hold Exchange files open (other PowerShell or Exchange Management Shell windows, or the process named). "
        "Close them, or restart the server, and run Setup again."),
    "msdtcstopped": (
        "Inicie el servicio Coordinador de transacciones distribuidas (MSDTC) y vuelva a ejecutar la instalación.",
        "Start the Distributed Transaction Coordinator (MSDTC) service and run Setup again."),
    "powershellexecutionpolicycheckset": (
        "Una directiva de grupo fija la directiva de ejecución de PowerShell. Pida que se quite esa directiva (o borre el "
        r"valor ExecutionPolicy en HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell), ejecute gpupdate y vuelva a ejecutar "
        "la instalación.",
        "A Group Policy sets the PowerShell execution policy. Have that policy removed (or clear the ExecutionPolicy value "
        r"under HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell), run gpupdate and run Setup again."),
    "installwatermark": (
        "Una instalación anterior quedó a medias. No borre el valor Watermark del registro: vuelva a ejecutar la instalación "
        "(la interfaz gráfica continúa donde se quedó) y, si falla, revise el primer error de ese intento.",
        "An earlier setup run was left half done. Don't delete the Watermark registry value: run Setup again (the wizard "
        "resumes where it stopped) and, if it fails, read the first error of that attempt."),
    "computernotpartofdomain": (
        "Este servidor no pertenece al dominio (o la sesión es de una cuenta local). Únalo al dominio, reinicie e inicie "
        "sesión con una cuenta del dominio antes de instalar.",
        "This server isn't a domain member (or the session uses a local account). Join it to the domain, restart and sign in "
        "with a domain account before installing."),
    "remoteregexception": (
        "No se pudo abrir el registro de forma remota en este equipo. Ponga el servicio Registro remoto (RemoteRegistry) en "
        "inicio Automático, inícielo y vuelva a ejecutar la instalación.",
        "The registry couldn't be opened remotely on this computer. Set the Remote Registry service to Automatic, start it "
        "and run Setup again."),
    "fqdnmissing": (
        "Falta el sufijo DNS principal del equipo. Configúrelo (Propiedades del sistema > Nombre de equipo > Más), reinicie y "
        "vuelva a ejecutar la instalación.",
        "The computer has no primary DNS suffix. Set it (System Properties > Computer Name > More), restart and run Setup "
        "again."),
    "validosversion": (
        "Esta versión de Windows no es compatible con esta versión de Exchange (Windows Server 2022 requiere 2019 CU12+; "
        "Windows Server 2025 requiere 2019 CU15+ o SE). Use un medio de instalación compatible.",
        "This Windows version isn't supported by this Exchange build (Windows Server 2022 needs 2019 CU12+; Windows Server "
        "2025 needs 2019 CU15+ or SE). Use compatible setup media."),
}
RULE_ADVICE["minimumframeworknotinstalled"] = RULE_ADVICE["netframeworknotinstalled"]

SUCCEEDED_ADVICE = (
    "La instalación terminó correctamente. Reinicie el servidor antes de ponerlo en producción y continúe con la "
    "verificación (actividad 10 del manual).",
    "Setup completed successfully. Restart the server before putting it into production and continue with the "
    "verification (activity 10 of the manual).")
RUNNING_ADVICE = (
    "El registro termina antes del final de la instalación sin errores: la instalación puede seguir en curso o haberse "
    "interrumpido (por ejemplo por un reinicio). Compruebe si ExSetup.exe sigue en ejecución; si no, vuelva a ejecutar la "
    "instalación, que continúa donde se quedó.",
    "The log stops before the end of setup without errors: setup may still be running or was interrupted (for example by "
    "a restart). Check whether ExSetup.exe is still running; if not, run Setup again and it resumes where it stopped.")
NOT_A_LOG_ADVICE = (
    rf"El texto no parece un registro de instalación de Exchange. Obtenga el archivo completo {_LOG} del servidor.",
    rf"The text doesn't look like an Exchange setup log. Get the complete {_LOG} file from the server.")


EMPTY_LOG_ADVICE = (
    "No hay registro que leer: el texto está vacío, así que Setup no escribió nada en ExchangeSetup.log (o no se pudo "
    "leer). Lo que existe es el código de salida de Setup.exe (el resultado de la tarea que lo ejecutó) y el registro de "
    "eventos Aplicación del servidor a la hora en que se ejecutó; revíselos y escale al Encargado de TI.",
    "There is no log to read: the text is empty, so setup wrote nothing to ExchangeSetup.log (or it couldn't be read). "
    "What exists is Setup.exe's exit code (the result of the task that ran it) and the server's Application event log "
    "at the time it ran; review them and escalate to the Head of IT.")


def _size(value: int, language: str) -> str:
    """1860028597 -> `1,7 GB` (es) / `1.7 GB` (en); below a gigabyte in MB."""
    gigabytes = value / 1024 ** 3
    text = f"{gigabytes:.1f} GB" if gigabytes >= 1 else f"{max(1, round(value / 1024 ** 2))} MB"
    return i18n.text(language, text.replace(".", ","), text)


def disk_space_advice(drive: str | None, required: int | None, available: int | None) -> dict[str, str]:
    """The disk-space advice naming the drive, the space needed and free and what to free, when the log gave them."""
    if drive is None and required is None:
        es, en = CATEGORY_ADVICE[rules.DISK_SPACE]
        return {"es": es, "en": en}
    where_es, where_en = (f"en la unidad {drive}", f"on drive {drive}") if drive else ("en la unidad de destino", "on the target drive")
    need_es = need_en = ""
    free_es, free_en = "Libere espacio en esa unidad", "Free space on that drive"
    if required is not None:
        need_es, need_en = f" (se necesitan {_size(required, 'es')}", f" ({_size(required, 'en')} needed"
        if available is not None:
            need_es, need_en = need_es + f"; hay {_size(available, 'es')} libres", need_en + f"; {_size(available, 'en')} free"
            if required > available:
                free_es = f"Libere al menos {_size(required - available, 'es')} en esa unidad"
                free_en = f"Free at least {_size(required - available, 'en')} on that drive"
        need_es, need_en = need_es + ")", need_en + ")"
    return {
        "es": (f"Falta espacio en disco {where_es}{need_es}. {free_es} (Microsoft pide, además, {_MICROSOFT_ES}) "
               f"y vuelva a ejecutar la instalación. {_KEEP_ES}"),
        "en": (f"There is not enough disk space {where_en}{need_en}. {free_en} (Microsoft also requires {_MICROSOFT_EN}) "
               f"and run Setup again. {_KEEP_EN}"),
    }


def advice(category: str | None, rule: str = "") -> dict[str, str]:
    """The next step for a diagnosis; a readiness rule with its own advice takes precedence."""
    es, en = RULE_ADVICE.get(rule.lower()) or CATEGORY_ADVICE.get(category or rules.UNKNOWN, CATEGORY_ADVICE[rules.UNKNOWN])
    return {"es": es, "en": en}


def outcome_advice(texts: tuple[str, str]) -> dict[str, str]:
    """One of the outcome-level texts (succeeded, still running, not a log) as an advice dict."""
    return {"es": texts[0], "en": texts[1]}
