# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 1: no run without its report (norm 5.2).

The report is written by a callback (rpi.exchange.procedure_report) that runs only when ansible.cfg
enables it. A collection installed from Galaxy and run without the checkout's ansible.cfg wrote no
report at all; the IT Head then had nothing to review. Activity 1 refuses to start unless this very
run's report is being written.

How the action knows: when the callback creates the run's folder it publishes, to the forked workers,
the folder (RUN_DIR_ENV) and the id of the ansible-playbook process that writes it (WRITER_ENV). The
report is being written when the marker names the process this worker belongs to and the folder
exists. A marker left in the environment by another run names another process, so it does not count.
When it is missing, the message says why from the configuration (callback not enabled, report
disabled, folder not writable) and how to fix it.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

CALLBACK = "rpi.exchange.procedure_report"
NOT_ENABLED = "not_enabled"
DISABLED = "disabled"
NOT_WRITTEN = "not_written"
WRITTEN = "written"
WORKSPACE_ES = ("o cree una carpeta de trabajo lista (ansible.cfg, plantillas del inventario, de la instrucción y de la revisión) con "
                "«ansible-playbook rpi.exchange.new_workspace -e dest=<carpeta>» y ejecute desde ella")
WORKSPACE_EN = ("or create a ready working folder (ansible.cfg, inventory, instruction and review templates) with "
                "'ansible-playbook rpi.exchange.new_workspace -e dest=<folder>' and run from it")


@dataclass(frozen=True)
class ReportSettings:
    """What the configuration in use says about the report callback (read only to explain a refusal)."""

    callbacks_enabled: tuple[str, ...] = ()
    report_enabled: bool = True
    report_root: str = ""
    config_file: str | None = None

    @property
    def callback_enabled(self) -> bool:
        return any(name.strip() in (CALLBACK, CALLBACK.rsplit(".", 1)[-1]) for name in self.callbacks_enabled)


def report_written(writer: str | None, run_dir: str | None, own_pids: t.Iterable[int]) -> bool:
    """Is this run's report being written: the marker names a process this worker belongs to, and its folder exists?"""
    if not writer or not writer.strip().isdigit() or not run_dir:
        return False
    return int(writer) in set(own_pids) and Path(run_dir).is_dir()


def report_state(written: bool, settings: ReportSettings) -> str:
    if written:
        return WRITTEN
    if not settings.callback_enabled:
        return NOT_ENABLED
    if not settings.report_enabled:
        return DISABLED
    return NOT_WRITTEN


def refusal(state: str, settings: ReportSettings, language: str = "es") -> str:
    """The refusal a person reads: what is wrong and how to enable the report. Empty when the report is written."""
    if state == WRITTEN:
        return ""
    config = settings.config_file or i18n.text(language, "ninguno", "none")
    head = i18n.text(
        language,
        "Actividad 1 (Encargado de TI instruye la instalación): ninguna ejecución sin su informe (norma 5.2): ",
        "Activity 1 (the IT Head instructs the installation): no run without its report (norm 5.2): ")
    tail = i18n.text(language, f" No se cambia nada en el servidor. ansible.cfg en uso: {config}.",
                     f" Nothing on the server is changed. ansible.cfg in use: {config}.")
    if state == NOT_ENABLED:
        body = i18n.text(
            language,
            f"el informe de la ejecución no está habilitado. Habilite el callback {CALLBACK} en el ansible.cfg de la carpeta desde "
            f"la que ejecuta: en [defaults], «callbacks_enabled = {CALLBACK}», y en [rpi_exchange], «report_dir = <carpeta de "
            f"informes>»; {WORKSPACE_ES}.",
            f"the run report is not enabled. Enable the callback {CALLBACK} in the ansible.cfg of the folder you run from: in "
            f"[defaults], 'callbacks_enabled = {CALLBACK}', and in [rpi_exchange], 'report_dir = <reports folder>'; {WORKSPACE_EN}.")
    elif state == DISABLED:
        body = i18n.text(
            language,
            "el informe está desactivado (la variable de entorno RPI_EXCHANGE_REPORT_ENABLED o «report_enabled» en la sección "
            "[rpi_exchange] de ansible.cfg vale false). Quite ese ajuste para ejecutar el procedimiento.",
            "the report is disabled (the environment variable RPI_EXCHANGE_REPORT_ENABLED or 'report_enabled' in the [rpi_exchange] "
            "section of ansible.cfg is false). Remove that setting to run the procedure.")
    else:
        body = i18n.text(
            language,
            f"el callback {CALLBACK} está habilitado pero no escribe el informe de esta ejecución (vea su advertencia al comienzo "
            f"de la salida). Revise que la carpeta de informes exista y se pueda escribir: {settings.report_root or 'reports'} "
            "(«report_dir» en [rpi_exchange] de ansible.cfg, o RPI_EXCHANGE_REPORT_DIR).",
            f"the callback {CALLBACK} is enabled but writes no report for this run (see its warning at the start of the output). "
            f"Check that the reports folder exists and is writable: {settings.report_root or 'reports'} ('report_dir' in "
            "[rpi_exchange] of ansible.cfg, or RPI_EXCHANGE_REPORT_DIR).")
    return head + body + tail
