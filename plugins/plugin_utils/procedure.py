# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The RPI manual ME-VAR-RPI-MNP-15, section 7.1, as data.

One place for the twelve activities: their number, the manual's own Spanish words,
an English rendering, who is responsible, the planned time, and the role that
carries the activity out. The roles, the report callback, the docs and the tests
read this table; nothing re-types it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

PROCEDURE_CODE = "ME-VAR-RPI-MNP-15"
PROCEDURE_TITLE = {
    "es": "Instalación de Servidor de Correo Electrónico del Registro de la Propiedad Intelectual",
    "en": "Installation of the Registro de la Propiedad Intelectual's e-mail server",
}

IT_HEAD = "it_head"
TECHNICIAN = "technician"

RESPONSIBLE_TITLES = {
    IT_HEAD: {
        "es": "Encargado del Departamento de Tecnologías de la Información",
        "en": "Head of the Information Technology Department",
    },
    TECHNICIAN: {
        "es": "Técnico de Operaciones y Seguridad Informática",
        "en": "Operations and IT Security Technician",
    },
}


@dataclass(frozen=True)
class Activity:
    """One row of section 7.1."""

    number: int
    role: str
    tag: str
    responsible: str
    title_es: str
    title_en: str
    # Planned minutes as the manual gives them. Activities 3-8 share 20 minutes in the
    # manual; that block is recorded on activity 3 and the others carry 0 with `group`.
    planned_minutes: tuple[int, int]
    group: str = ""
    # The data between activities, by the names the roles register (`<role>_...`). `provides`: what the activity's
    # tasks register for later ones. `needs`: what it (or the playbook's condition on it) reads from an earlier
    # activity and cannot run without; the read-only tasks that provide it carry this activity's tag, so that
    # `--tags <this activity>` runs them too. `optional`: what it reads only with a default (`| default(...)`,
    # `is defined`): registered by a task that changes the server, by an activity it does not need to run, or an
    # earlier role's default.
    provides: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    def title(self, language: str = "es") -> str:
        return i18n.text(language, self.title_es, self.title_en)


ACTIVITIES: tuple[Activity, ...] = (
    Activity(1, "instruct_installation", "instruct_installation", IT_HEAD,
             "Instruye la instalación de Servidor de Correo Electrónico al Técnico de Operaciones y "
             "Seguridad Informática de acuerdo con su planificación.",
             "Instructs the technician to install the e-mail server, according to his planning.",
             (10, 10),
             provides=("instruct_installation_result", "instruct_installation_lock")),
    Activity(2, "prepare_server", "prepare_server", TECHNICIAN,
             "Prepara el Servidor Virtual en el Centro de Datos del RPI con los prerrequisitos de "
             "hardware necesarios para su instalación.",
             "Prepares the virtual server in the RPI data centre with the hardware prerequisites.",
             (10, 10),
             provides=("prepare_server_media", "prepare_server_decision", "prepare_server_mounted_media", "prepare_server_prerequisites",
                       "prepare_server_ad", "prepare_server_security_update"),
             needs=("instruct_installation_result",),
             optional=("instruct_installation_setup_log_tail_bytes",)),
    Activity(3, "run_setup_program", "run_setup_program", TECHNICIAN,
             "Ejecuta el Programa de instalación en el servidor virtual.",
             "Runs the installation program on the virtual server.",
             (20, 20), group="3-8",
             provides=("run_setup_program_decision",),
             needs=("prepare_server_media",),
             optional=("prepare_server_prerequisites", "prepare_server_mounted_media", "instruct_installation_setup_log_tail_bytes",
                       "prepare_server_ad")),
    Activity(4, "start_installation", "start_installation", TECHNICIAN,
             "Pulsa el botón \"Instalar\" para comenzar la instalación.",
             "Presses \"Install\" to start the installation.",
             (0, 0), group="3-8",
             needs=("prepare_server_media", "run_setup_program_decision")),
    Activity(5, "select_install_location", "select_install_location", TECHNICIAN,
             "Selecciona la ubicación en donde se instalarán los archivos del programa.",
             "Chooses where the program files will be installed.",
             (0, 0), group="3-8",
             provides=("select_install_location_result",),
             needs=("prepare_server_media", "run_setup_program_decision")),
    Activity(6, "accept_license", "accept_license", TECHNICIAN,
             "Acepta el contrato de licenciamiento de Microsoft Exchange.",
             "Accepts the Microsoft Exchange licence agreement.",
             (0, 0), group="3-8",
             provides=("accept_license_result",),
             needs=("instruct_installation_result", "prepare_server_media", "run_setup_program_decision")),
    Activity(7, "select_custom_options", "select_custom_options", TECHNICIAN,
             "Selecciona el tipo de instalación \"Personalizada\" dando clic en el botón respectivo y "
             "selecciona las opciones de instalación de acuerdo a las necesidades del RPI.",
             "Chooses the \"Custom\" installation type and the options the RPI needs.",
             (0, 0), group="3-8",
             provides=("select_custom_options_result",),
             needs=("prepare_server_media", "run_setup_program_decision")),
    Activity(8, "begin_installation", "begin_installation", TECHNICIAN,
             "Pulsa el botón \"Siguiente\" para comenzar con el proceso de instalación.",
             "Presses \"Next\" to start the installation process.",
             (0, 0), group="3-8",
             provides=("begin_installation_media", "begin_installation_ad_prepare", "begin_installation_ad_after", "begin_installation_setup"),
             needs=("prepare_server_media", "run_setup_program_decision", "accept_license_result", "select_custom_options_result"),
             optional=("prepare_server_ad",)),
    Activity(9, "await_installation", "await_installation", TECHNICIAN,
             "Espera que la instalación finalice y se reinicie el servidor para levantar los servicios "
             "y aplicaciones recién instaladas que son necesarios para iniciar Microsoft Exchange.",
             "Waits for the installation to finish and the server to restart so that the newly "
             "installed services and applications Microsoft Exchange needs come up.",
             (60, 120),
             provides=("await_installation_services", "await_installation_security_update"),
             needs=("prepare_server_media",),
             optional=("begin_installation_setup", "run_setup_program_decision", "prepare_server_security_update")),
    Activity(10, "verify_installation", "verify_installation", TECHNICIAN,
             "Verifica y finaliza la instalación de Microsoft Exchange.",
             "Verifies and finishes the Microsoft Exchange installation.",
             (10, 10),
             provides=("verify_installation_result", "verify_installation_licence"),
             # Alone (--tags verify_installation) it only reads the server: the version is checked when activity 2 ran.
             optional=("prepare_server_media", "run_setup_program_decision", "await_installation_security_update")),
    Activity(11, "report_installation", "report_installation", TECHNICIAN,
             "Informa al Encargado del Departamento de Tecnologías de la Información sobre la "
             "instalación finalizada.",
             "Informs the Head of the IT Department that the installation is finished.",
             (10, 10),
             provides=("report_installation_notice_result",),
             optional=("prepare_server_media", "run_setup_program_decision", "verify_installation_result")),
    Activity(12, "review_installation", "review_installation", IT_HEAD,
             "Revisa y valida la instalación del servidor de correo electrónico.",
             "Reviews and validates the e-mail server installation.",
             (10, 10)),
)

ACTIVITY_BY_ROLE = {activity.role: activity for activity in ACTIVITIES}
ACTIVITY_BY_NUMBER = {activity.number: activity for activity in ACTIVITIES}


PROVIDER = {name: activity for activity in ACTIVITIES for name in activity.provides}


def pulled_in(activity: Activity) -> frozenset[str]:
    """Every variable `--tags <activity>` must produce before the activity's own tasks: what it needs, and what the
    activities providing that need in turn (read-only work of theirs that runs under this activity's tag)."""
    seen: set[str] = set()
    pending = list(activity.needs)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        provider = PROVIDER.get(name)
        if provider is not None and provider is not activity:
            pending.extend(provider.needs)
    return frozenset(seen)


def context_tags(name: str) -> tuple[str, ...]:
    """The tags a read-only task registering `name` carries besides its own activity's: every activity that pulls
    it in, in the manual's order. Activity 1 always runs (tag `always`), so it never needs another's tag."""
    provider = PROVIDER.get(name)
    return tuple(activity.tag for activity in ACTIVITIES
                 if activity is not provider and activity.number > 1 and name in pulled_in(activity))


def activity_for_role(role_name: str) -> Activity | None:
    """Map a role name, short (`prepare_server`) or qualified (`rpi.exchange.prepare_server`)."""
    return ACTIVITY_BY_ROLE.get(role_name.rsplit(".", 1)[-1])
