# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the report calls each task: a Spanish (and English) label keyed by the task's name.

The roles keep their task names in English: they are what ansible-playbook prints on the
technician's console next to ansible-core's own English lines, what the logs and the
integration tests search for, and what report.json records (unchanged, for the technician).
The report's reader sees these labels instead. A unit test checks that every task of every
role has one, so a new task cannot reach the report in English.
"""

from __future__ import annotations

import re

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH

# Task name -> (Spanish label, English label).
LABELS: dict[str, tuple[str, str]] = {
    # accept_license
    "Accept the Microsoft Exchange licence found on the media": (
        "Aceptación de la licencia de Microsoft Exchange incluida en el medio", "Acceptance of the Exchange licence on the media"),
    # await_installation
    "Restart the server to bring up the newly installed services": (
        "Reinicio del servidor para levantar los servicios recién instalados", "Restart of the server to start the new services"),
    "Wait until the Exchange services and web endpoints are up": (
        "Espera a que los servicios y los sitios web de Exchange respondan", "Wait for Exchange's services and web endpoints"),
    "Install the security update": ("Actualización de seguridad", "Security update"),
    "Check the security update before changing anything": (
        "Comprobación de la actualización de seguridad antes de cambiar nada", "Check of the security update before changing anything"),
    "Install the security update of the installed build": (
        "Instalación de la actualización de seguridad de la compilación instalada", "Installation of the installed build's security update"),
    # begin_installation
    "Restore WinRM's configuration before setup, keeping its listeners, and restart": (
        "Restauración de la configuración de WinRM antes de la instalación, conservando sus escuchas, y reinicio",
        "Restore of WinRM's configuration before setup, keeping its listeners, and restart"),
    "Make sure the installation media is mounted": (
        "Comprobación de que el medio de instalación está montado", "Check that the installation media is mounted"),
    "Prepare Active Directory before setup, as its own step (/PrepareSchema, then /PrepareAD)": (
        "Preparación de Active Directory antes de la instalación, como paso propio (/PrepareSchema y luego /PrepareAD)",
        "Active Directory prepared before setup, as its own step (/PrepareSchema, then /PrepareAD)"),
    "Wait until the domain controller shows Active Directory prepared": (
        "Espera hasta que el controlador de dominio muestre Active Directory preparado",
        "Wait until the domain controller shows Active Directory prepared"),
    "Run Exchange setup with the validated options and watch it to the end": (
        "Ejecución del programa de instalación de Exchange con las opciones validadas, vigilada hasta el final",
        "Exchange setup run with the validated options, watched to the end"),
    # instruct_installation
    "Check the IT Head's instruction (who, reference, planned window)": (
        "Comprobación de la instrucción del Encargado de TI (quién, referencia, ventana planificada)",
        "Check of the Head of IT's instruction (who, reference, planned window)"),
    "Refuse an insecure connection unless this is a declared lab": (
        "Rechazo de una conexión insegura salvo en un laboratorio declarado", "Refusal of an insecure connection outside a declared lab"),
    "Read the server in one pass (operating system, domain, hardware, Exchange)": (
        "Lectura del servidor (sistema operativo, dominio, equipo, Exchange)", "Reading of the server (operating system, domain, hardware, Exchange)"),
    "Refuse any server that is not the RPI's own (norm 5.1)": (
        "Rechazo de todo servidor que no sea del RPI (norma 5.1)", "Refusal of any server that is not the RPI's (norm 5.1)"),
    "Take the server's run lock (no other run may change it at the same time)": (
        "Toma del bloqueo de ejecución del servidor (ninguna otra ejecución puede cambiarlo a la vez)",
        "Taking of the server's run lock (no other run may change it at the same time)"),
    # prepare_server
    "Check every input of the run before changing anything (activities 1 to 11)": (
        "Comprobación de todos los datos de la ejecución antes de cambiar nada (actividades 1 a 11)",
        "Check of every input of the run before any change (activities 1 to 11)"),
    "Put back the Windows services a failed Exchange setup left disabled (WMI first)": (
        "Reactivación de los servicios de Windows que una instalación fallida dejó deshabilitados (primero WMI)",
        "Re-enabling of the Windows services a failed setup left disabled (WMI first)"),
    "Record the services put back": ("Registro de los servicios reactivados", "Record of the services re-enabled"),
    "Read the server again now that WMI answers": (
        "Nueva lectura del servidor, ahora que WMI responde", "Second reading of the server, now that WMI answers"),
    "Verify the installation media's SHA-256 and read its version and licence": (
        "Verificación de la huella SHA-256 del medio de instalación y lectura de su versión y licencia",
        "Check of the installation media's SHA-256, its version and licence"),
    "Check hardware, operating system and domain for this Exchange build": (
        "Comprobación del equipo, el sistema operativo y el dominio para esta versión de Exchange",
        "Check of hardware, operating system and domain for this Exchange build"),
    "Check Active Directory and the setup account's groups for this Exchange build": (
        "Comprobación de Active Directory y de los grupos de la cuenta de instalación para esta versión de Exchange",
        "Check of Active Directory and the setup account's groups for this Exchange build"),
    "Check the technician's choices for activities 3 to 7 before changing anything": (
        "Comprobación de las opciones del técnico para las actividades 3 a 7 antes de cambiar nada",
        "Check of the technician's choices for activities 3 to 7 before any change"),
    "Check what setup will have to do with this media": (
        "Comprobación de lo que el programa de instalación deberá hacer con este medio", "Check of what setup will do with this media"),
    "Check the licence acceptance (activity 6)": (
        "Comprobación de la aceptación de la licencia (actividad 6)", "Check of the licence acceptance (activity 6)"),
    "Check the installation folder and the custom options (activities 5 and 7)": (
        "Comprobación de la carpeta de instalación y de las opciones personalizadas (actividades 5 y 7)",
        "Check of the installation folder and the custom options (activities 5 and 7)"),
    "Mount the installation media for the prerequisites that come from it": (
        "Montaje del medio de instalación para los requisitos previos que vienen en él",
        "Mounting of the installation media for the prerequisites it carries"),
    "Install the missing Windows features and software prerequisites": (
        "Instalación de las características de Windows y los requisitos previos que faltan",
        "Installation of the missing Windows features and prerequisites"),
    # report_installation
    "Send the notice to the IT Head by e-mail": (
        "Envío del aviso al Encargado de TI por correo electrónico", "Notice to the Head of IT by e-mail"),
    "Record that the IT Head is informed": (
        "Registro de que el Encargado de TI está informado", "Record that the Head of IT is informed"),
    "Publish the run's summary (AWX job artifacts, CUSTOM STATS of ansible-playbook)": (
        "Publicación del resumen de la ejecución (artefactos de AWX, estadísticas de ansible-playbook)",
        "Publication of the run's summary (AWX job artifacts, ansible-playbook's custom stats)"),
    "Publish the run's summary": ("Publicación del resumen de la ejecución", "Publication of the run's summary"),
    # review_installation
    "List the runs when the IT Head has not chosen one": (
        "Lista de las ejecuciones cuando el Encargado de TI no eligió ninguna", "List of the runs when none was chosen"),
    "List the runs found in the reports folder": (
        "Lista de las ejecuciones de la carpeta de informes", "List of the runs in the reports folder"),
    "Show the runs to choose from": ("Presentación de las ejecuciones entre las que elegir", "Runs to choose from"),
    "Stop until the IT Head chooses the run to review": (
        "Alto hasta que el Encargado de TI elija la ejecución que revisa", "Stop until the Head of IT chooses the run"),
    "Refuse a run id that is not a run folder's name": (
        "Rechazo de un identificador que no es el de una ejecución", "Refusal of an id that is not a run's"),
    "Read the chosen run's report": ("Lectura del informe de la ejecución elegida", "Reading of the chosen run's report"),
    "Refuse to decide on a rehearsal unless the IT Head says it is one": (
        "Rechazo de una decisión sobre un ensayo que no se declaró como tal", "Refusal of a decision on an undeclared rehearsal"),
    "Read the server again with the reviewer account (read-only, optional)": (
        "Nueva lectura del servidor con la cuenta de revisión (solo lectura, opcional)",
        "Second reading of the server with the reviewer account (read-only, optional)"),
    "Verify that the run's report is intact before reviewing it": (
        "Verificación de que el informe de la ejecución está íntegro antes de revisarlo", "Check that the run's report is intact"),
    "Show the run's summary to the IT Head": (
        "Presentación del resumen de la ejecución al Encargado de TI", "Run's summary shown to the Head of IT"),
    "Show where the run's report is": ("Ubicación del informe de la ejecución", "Where the run's report is"),
    "End the review once the runs are listed": (
        "Fin de la revisión una vez listadas las ejecuciones", "End of the review once the runs are listed"),
    "Read the server again (read-only)": ("Nueva lectura del servidor (solo lectura)", "Second reading of the server (read-only)"),
    "Re-check the server's health (read-only)": (
        "Nueva comprobación del estado del servidor (solo lectura)", "Second check of the server's health (read-only)"),
    "Record the IT Head's decision in the run's report": (
        "Registro de la decisión del Encargado de TI en el informe", "Record of the Head of IT's decision in the report"),
    # run_setup_program
    "Read the server again after its preparation": (
        "Nueva lectura del servidor después de su preparación", "Reading of the server after its preparation"),
    "Decide what setup must do (install, update, upgrade to SE, resume, or nothing)": (
        "Decisión de lo que debe hacer la instalación (instalar, actualizar, pasar a SE, reanudar o nada)",
        "Decision of what setup must do (install, update, upgrade to SE, resume, or nothing)"),
    # select_custom_options
    "Validate the role and the custom installation options": (
        "Validación del rol y de las opciones de instalación personalizadas", "Check of the role and the custom options"),
    # select_install_location
    "Validate the installation folder": ("Validación de la carpeta de instalación", "Check of the installation folder"),
    # start_installation
    "Restart the server first (reboot pending, or before a cumulative update)": (
        "Reinicio previo del servidor (reinicio pendiente, o antes de una actualización acumulativa)",
        "Restart of the server first (pending reboot, or before a cumulative update)"),
    "Record that the installation starts, and in which mode": (
        "Registro del inicio de la instalación y de su modo", "Record of the installation's start and mode"),
    # verify_installation
    "Read the server after the installation": ("Lectura del servidor después de la instalación", "Reading of the server after the installation"),
    "Verify the installation (version, services, components, web endpoints, setup log)": (
        "Verificación de la instalación (versión, servicios, componentes, sitios web, registro de instalación)",
        "Verification of the installation (version, services, components, web endpoints, setup log)"),
    "Finish by unmounting the installation media": ("Desmontaje del medio de instalación", "Unmounting of the installation media"),
    "Enter the product key before the verification": (
        "Ingreso de la clave de producto antes de la verificación", "Entry of the product key before the verification"),
    "Enter the Exchange product key when the server is a trial edition": (
        "Ingreso de la clave de producto de Exchange si el servidor está en edición de prueba",
        "Entry of the Exchange product key when the server is a trial edition"),
    # ansible-core's own
    "Gathering Facts": ("Lectura de los datos del sistema (Ansible)", "Gathering of the system's facts (Ansible)"),
}

# ansible-core names the argument check of a role "Validating arguments against arg spec 'main' - <short description>".
ARG_SPEC = re.compile(r"^Validating arguments against arg spec\b")
_ARG_SPEC_LABEL = ("Comprobación de los parámetros de la actividad {number}", "Check of the parameters of activity {number}")
_ARG_SPEC_NO_ACTIVITY = ("Comprobación de los parámetros", "Check of the parameters")


def task_label(name: object, language: str, activity: int | None = None) -> str:
    """The label the report shows for a task; an unknown name (a playbook's own task) is shown as it is."""
    text = "" if name is None else str(name)
    english = language == ENGLISH
    if ARG_SPEC.match(text):
        pair = _ARG_SPEC_LABEL if activity is not None else _ARG_SPEC_NO_ACTIVITY
        return pair[1 if english else 0].format(number=activity)
    pair = LABELS.get(text)
    if pair is None:
        return text
    return pair[1 if english else 0]
