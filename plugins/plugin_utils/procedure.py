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

    def title(self, language: str = "es") -> str:
        return self.title_es if language == "es" else self.title_en


ACTIVITIES: tuple[Activity, ...] = (
    Activity(1, "instruct_installation", "instruct_installation", IT_HEAD,
             "Instruye la instalación de Servidor de Correo Electrónico al Técnico de Operaciones y "
             "Seguridad Informática de acuerdo con su planificación.",
             "Instructs the technician to install the e-mail server, according to his planning.",
             (10, 10)),
    Activity(2, "prepare_server", "prepare_server", TECHNICIAN,
             "Prepara el Servidor Virtual en el Centro de Datos del RPI con los prerrequisitos de "
             "hardware necesarios para su instalación.",
             "Prepares the virtual server in the RPI data centre with the hardware prerequisites.",
             (10, 10)),
    Activity(3, "run_setup_program", "run_setup_program", TECHNICIAN,
             "Ejecuta el Programa de instalación en el servidor virtual.",
             "Runs the installation program on the virtual server.",
             (20, 20), group="3-8"),
    Activity(4, "start_installation", "start_installation", TECHNICIAN,
             "Pulsa el botón \"Instalar\" para comenzar la instalación.",
             "Presses \"Install\" to start the installation.",
             (0, 0), group="3-8"),
    Activity(5, "select_install_location", "select_install_location", TECHNICIAN,
             "Selecciona la ubicación en donde se instalarán los archivos del programa.",
             "Chooses where the program files will be installed.",
             (0, 0), group="3-8"),
    Activity(6, "accept_license", "accept_license", TECHNICIAN,
             "Acepta el contrato de licenciamiento de Microsoft Exchange.",
             "Accepts the Microsoft Exchange licence agreement.",
             (0, 0), group="3-8"),
    Activity(7, "select_custom_options", "select_custom_options", TECHNICIAN,
             "Selecciona el tipo de instalación \"Personalizada\" dando clic en el botón respectivo y "
             "selecciona las opciones de instalación de acuerdo a las necesidades del RPI.",
             "Chooses the \"Custom\" installation type and the options the RPI needs.",
             (0, 0), group="3-8"),
    Activity(8, "begin_installation", "begin_installation", TECHNICIAN,
             "Pulsa el botón \"Siguiente\" para comenzar con el proceso de instalación.",
             "Presses \"Next\" to start the installation process.",
             (0, 0), group="3-8"),
    Activity(9, "await_installation", "await_installation", TECHNICIAN,
             "Espera que la instalación finalice y se reinicie el servidor para levantar los servicios "
             "y aplicaciones recién instaladas que son necesarios para iniciar Microsoft Exchange.",
             "Waits for the installation to finish and the server to restart so that the newly "
             "installed services and applications Microsoft Exchange needs come up.",
             (60, 120)),
    Activity(10, "verify_installation", "verify_installation", TECHNICIAN,
             "Verifica y finaliza la instalación de Microsoft Exchange.",
             "Verifies and finishes the Microsoft Exchange installation.",
             (10, 10)),
    Activity(11, "report_installation", "report_installation", TECHNICIAN,
             "Informa al Encargado del Departamento de Tecnologías de la Información sobre la "
             "instalación finalizada.",
             "Informs the Head of the IT Department that the installation is finished.",
             (10, 10)),
    Activity(12, "review_installation", "review_installation", IT_HEAD,
             "Revisa y valida la instalación del servidor de correo electrónico.",
             "Reviews and validates the e-mail server installation.",
             (10, 10)),
)

ACTIVITY_BY_ROLE = {activity.role: activity for activity in ACTIVITIES}
ACTIVITY_BY_NUMBER = {activity.number: activity for activity in ACTIVITIES}


def activity_for_role(role_name: str) -> Activity | None:
    """Map a role name, short (`prepare_server`) or qualified (`rpi.exchange.prepare_server`)."""
    return ACTIVITY_BY_ROLE.get(role_name.rsplit(".", 1)[-1])
