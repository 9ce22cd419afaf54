# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a setup run came to: exit code, ExchangeSetup.log and registry read together.

No single source is trusted alone (exchange-facts §4.4: exit codes other than 0/1 are
unconfirmed; Install-Exchange15 also requires the Uninstall key, ExchangeDsc decides from
the registry only). A run succeeded when the task's exit code is 0, the log's last run says
"completed successfully" (when the log shows the run at all), and the registry shows the
media's build installed with no interrupted role. Anything else is a failure, named by the
log triage's category when the log explains it, or by one of this module's own categories
(`timeout`, `unreachable`, `not_started`, `interrupted`, `inconsistent`, `no_setup_log`...).
When setup wrote nothing to ExchangeSetup.log (it exited at once, e.g. with an unhandled .NET
exception), the message says so, gives the exit code in hexadecimal with its meaning where
known, and points to what exists (the task's result, the Application event log). A failure
is never retried or repaired here: norm 5.6 of the manual sends what it does not foresee to
the IT Head, so the message says what happened, the line to read and the advice.

`report_payload` builds the `rpi_report` evidence (kinds from the report vocabulary).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue import build_info
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import family, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import TaskState, exit_code_text
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.watch import (
    CALL_FAILED,
    FINISHED,
    NOT_STARTED,
    TASK_VANISHED,
    TIMED_OUT,
    UNREACHABLE,
    WatchResult,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import mode_label
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

SUCCEEDED = "succeeded"
# Categories of this module (the log triage's categories are used when the log explains the failure).
TIMEOUT = "timeout"
LOST_CONTACT = "unreachable"
SETUP_NOT_STARTED = "not_started"
TASK_GONE = "task_vanished"
INTERRUPTED = "interrupted"
INCONSISTENT = "inconsistent"
WATCH_FAILED = "watch_failed"
NOT_CONFIRMED = "not_confirmed"
NO_SETUP_LOG = "no_setup_log"
OWN_CATEGORIES = (TIMEOUT, LOST_CONTACT, SETUP_NOT_STARTED, TASK_GONE, INTERRUPTED, INCONSISTENT, WATCH_FAILED, NOT_CONFIRMED,
                  NO_SETUP_LOG)
_LOG = "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log"
# Exit codes whose meaning is documented, as Task Scheduler's LastTaskResult shows them (unsigned): (meaning es, en; what
# to do next when setup left no log, es, en). Sources: 0xE0434352 is the exception code of every CLR (.NET) exception,
# raised as the process ends when no code handles it (learn.microsoft.com/shows/inside/e0434352); Windows then logs
# ".NET Runtime" event 1026 ("The process was terminated due to an unhandled exception.") and "Application Error" event
# 1000 (exception code 0xe0434352) in the Application log (both shown in stackoverflow.com/questions/23292547).
# 0x80070005 is E_ACCESSDENIED, Win32 error 5 (learn.microsoft.com/windows/win32/seccrypto/common-hresult-values).
# 1603 ERROR_INSTALL_FAILURE, 1618 ERROR_INSTALL_ALREADY_RUNNING and 3010 ERROR_SUCCESS_REBOOT_REQUIRED are Windows
# Installer's (learn.microsoft.com/windows/win32/msi/error-codes). 0xC000013A is STATUS_CONTROL_C_EXIT, a process ended
# by CTRL+C or by the closing of its console ([MS-ERREF] NTSTATUS values).
EXIT_CODES: dict[int, tuple[str, str, str, str]] = {
    # Setup's own failure code: a failed run's log ends with "CurrentResult ...: 1" [S2 Setup/Tests logs].
    1: ("la instalación no se completó", "setup did not complete", "", ""),
    0xE0434352: (
        "excepción .NET no controlada (Setup.exe se cerró por un error interno)",
        "unhandled .NET exception (Setup.exe closed on an internal error)",
        "En el registro de eventos Aplicación, los eventos «.NET Runtime» (ID 1026) y «Application Error» (ID 1000) de "
        "Setup.exe a esa hora nombran la excepción y el módulo que falló: llévelos al Encargado de TI.",
        "In the Application event log, the \".NET Runtime\" (ID 1026) and \"Application Error\" (ID 1000) events of "
        "Setup.exe at that time name the exception and the failing module: take them to the Head of IT."),
    0x80070005: (
        "acceso denegado (E_ACCESSDENIED)", "access denied (E_ACCESSDENIED)",
        "Compruebe que la cuenta de instalación es administradora local del servidor y puede leer el medio montado.",
        "Check that the setup account is a local administrator of the server and can read the mounted media."),
    1603: (
        "error grave durante la instalación (Windows Installer)", "fatal error during installation (Windows Installer)",
        "Busque los archivos .msilog recientes en %SystemDrive%\\ExchangeSetupLogs, si los hay, y los eventos de origen MsiInstaller "
        "en el registro Aplicación.",
        "Look for recent .msilog files in %SystemDrive%\\ExchangeSetupLogs, if any, and the MsiInstaller events in the Application "
        "log."),
    1618: (
        "otra instalación está en curso (Windows Installer)", "another installation is in progress (Windows Installer)",
        "Espere a que termine la otra instalación (o reinicie el servidor) antes de volver a ejecutar.",
        "Wait for the other installation to finish (or restart the server) before running again."),
    3010: (
        "correcto, pero hay que reiniciar para completar la operación", "success, but a restart is required to complete it",
        "Reinicie el servidor y vuelva a ejecutar el procedimiento.", "Restart the server and run the procedure again."),
    0xC000013A: (
        "terminado con CTRL+C o al cerrarse su consola (STATUS_CONTROL_C_EXIT)",
        "terminated by CTRL+C or by its console closing (STATUS_CONTROL_C_EXIT)",
        "Averigüe quién o qué detuvo la tarea antes de volver a ejecutar.", "Find out who or what stopped the task before "
        "running again."),
}
# Exit codes of a process killed from outside (restart/logoff, Ctrl+C, Stop-ScheduledTask).
_KILLED = (0x40010004, 0xC000013A, 0x41306)
_IT_HEAD_ES = "Según la norma 5.6 del manual, informe al Encargado de TI antes de cualquier otra acción; no improvise."
_IT_HEAD_EN = "Per norm 5.6 of the manual, report to the IT Head before any other action; do not improvise."

_OWN_ADVICE: dict[str, tuple[str, str]] = {
    TIMEOUT: (
        "Setup sigue en ejecución en el servidor y no se detuvo (detenerlo dejaría una instalación a medias). Vuelva a "
        "ejecutar el procedimiento: este módulo se conecta a la ejecución en curso y sigue esperando.",
        "Setup is still running on the server and was not stopped (stopping it would leave a half-done installation). Run "
        "the procedure again: this module attaches to the running setup and keeps waiting."),
    LOST_CONTACT: (
        "Se perdió el contacto con el servidor; Setup puede seguir en ejecución. Compruebe la red y WinRM y vuelva a "
        "ejecutar el procedimiento: se conectará a la ejecución en curso o leerá su resultado.",
        "Contact with the server was lost; setup may still be running. Check the network and WinRM and run the procedure "
        "again: it attaches to the running setup or reads its result."),
    SETUP_NOT_STARTED: (
        "La tarea programada no inició Setup.exe. Compruebe la cuenta de instalación (contraseña, derecho 'Iniciar sesión "
        "como trabajo por lotes') y que el medio siga montado.",
        "The scheduled task did not start Setup.exe. Check the setup account (password, 'Log on as a batch job' right) and "
        "that the media is still mounted."),
    TASK_GONE: (
        "La tarea programada de la instalación desapareció durante la ejecución; alguien la borró en el servidor. Revise "
        "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log.",
        "The setup's scheduled task disappeared during the run; someone deleted it on the server. Review "
        "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log."),
    INTERRUPTED: (
        "Setup fue interrumpido desde fuera (reinicio, cierre de sesión o detención de la tarea) y dejó una instalación a "
        "medias. No borre la marca de agua del registro.",
        "Setup was interrupted from outside (restart, logoff or the task was stopped) and left a half-done installation. Do "
        "not remove the watermark from the registry."),
    INCONSISTENT: (
        "El código de salida, el registro de instalación y el registro de Windows no coinciden; revise "
        "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log y el estado del servidor.",
        "The exit code, the setup log and the Windows registry disagree; review %SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log "
        "and the server's state."),
    WATCH_FAILED: (
        "El servidor respondió con errores a las consultas de seguimiento; Setup puede seguir en ejecución. Revise el "
        "servidor y vuelva a ejecutar el procedimiento.",
        "The server answered the watch's queries with errors; setup may still be running. Check the server and run the "
        "procedure again."),
    NOT_CONFIRMED: (
        "Setup terminó con error y el registro de instalación no explica la causa; revise "
        "%SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log y el Visor de eventos (origen MSExchangeSetup).",
        "Setup failed and the setup log does not explain why; review %SystemDrive%\\ExchangeSetupLogs\\ExchangeSetup.log and the "
        "Event Viewer (source MSExchangeSetup)."),
}


_NO_LOG_ADVICE = {
    TASK_GONE: (
        "La tarea programada de la instalación desapareció durante la ejecución; alguien la borró en el servidor. Setup no "
        "escribió nada en ExchangeSetup.log en esta ejecución: revise el registro de eventos Aplicación y el estado del "
        "servidor.",
        "The setup's scheduled task disappeared during the run; someone deleted it on the server. Setup wrote nothing to "
        "ExchangeSetup.log in this run: review the Application event log and the server's state."),
    INCONSISTENT: (
        "Setup.exe terminó con código 0 pero no escribió nada en ExchangeSetup.log y el registro de Windows no muestra la "
        "versión del medio instalada; revise el registro de eventos Aplicación y el estado del servidor.",
        "Setup.exe exited with code 0 but wrote nothing to ExchangeSetup.log and the Windows registry doesn't show the "
        "media's version installed; review the Application event log and the server's state."),
}


def exit_code_hex(code: int) -> str:
    """`0xE0434352 (3762504530)`: the code as Task Scheduler's LastTaskResult shows it, in hexadecimal and decimal."""
    value = code & 0xFFFFFFFF
    return f"0x{value:08X} ({value})"


def exit_code_meaning(code: int | None, language: str = "es") -> str:
    """`código de salida 0xE0434352 (3762504530): excepción .NET no controlada...`; the meaning only where documented."""
    if code is None:
        return i18n.text(language, "código de salida desconocido", "unknown exit code")
    known = EXIT_CODES.get(code & 0xFFFFFFFF)
    head = i18n.text(language, f"código de salida {exit_code_hex(code)}", f"exit code {exit_code_hex(code)}")
    if known is None:
        return head + i18n.text(language, " (significado no catalogado)", " (meaning not catalogued)")
    return f"{head}: {i18n.text(language, known[0], known[1])}"


def _exit_text(code: int, language: str) -> str:
    """The exit code sentence of the failure message: hexadecimal and meaning for documented codes."""
    if (code & 0xFFFFFFFF) in EXIT_CODES:
        sentence = exit_code_meaning(code, language)
        return sentence[0].upper() + sentence[1:] + "."
    return exit_code_text(code, language)


def no_log_advice(code: int | None) -> tuple[str, str]:
    """What to do when Setup.exe wrote nothing to ExchangeSetup.log: what exists instead, and the code's own next step."""
    known = EXIT_CODES.get(code & 0xFFFFFFFF) if code is not None else None
    es = (f"Setup.exe terminó con el {exit_code_meaning(code, 'es')}, sin escribir nada en {_LOG} en esta ejecución: no hay "
          "registro de instalación que revisar. Lo que existe es el resultado de la tarea programada (LastTaskResult, ese "
          "mismo código) y el registro de eventos Aplicación del servidor a la hora de la ejecución.")
    en = (f"Setup.exe ended with {exit_code_meaning(code, 'en')}, without writing anything to {_LOG} in this run: there is "
          "no setup log to review. What exists is the scheduled task's result (LastTaskResult, that same code) and the "
          "server's Application event log at the time of the run.")
    if known is not None and known[2]:
        es, en = f"{es} {known[2]}", f"{en} {known[3]}"
    return f"{es} Corrija la causa antes de volver a ejecutar.", f"{en} Fix the cause before running again."


def version_label(version: str | None) -> str:
    """`15.2.1748.10 (2019 CU15)`; `-` when there is no version."""
    if not version:
        return "-"
    info = build_info(version)
    return f"{version} ({info.label})" if info else str(version)


def same_cu(installed: str | None, media: str | None) -> bool:
    """Whether `installed` is the media's CU (any SU on top of it counts)."""
    left, right = try_parse_version(installed), try_parse_version(media)
    return left is not None and right is not None and family(left) == family(right)


@dataclass
class SetupOutcome:
    """The reading of one run."""

    succeeded: bool
    category: str | None
    exit_code: int | None
    version_before: str | None
    version_after: str | None
    reboot_required: bool
    triage: dict[str, Any] | None = None
    interrupted: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    error_line: int | None = None
    advice_es: str = ""
    advice_en: str = ""
    exit_text_es: str = ""
    exit_text_en: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"succeeded": self.succeeded, "category": self.category, "exit_code": self.exit_code,
                "version_before": self.version_before, "version_after": self.version_after,
                "reboot_required": self.reboot_required, "interrupted": self.interrupted, "error": self.error,
                "error_line": self.error_line, "advice_es": self.advice_es, "advice_en": self.advice_en}


def _advice(triage: Mapping[str, Any] | None) -> tuple[str, str]:
    advice = (triage or {}).get("advice") or {}
    return str(advice.get("es") or ""), str(advice.get("en") or "")


def read_outcome(watch: WatchResult, *, media_version: str, version_before: str | None,
                 after: Mapping[str, Any] | None, run_triage: Mapping[str, Any] | None) -> SetupOutcome:
    """Read a finished (or abandoned) watch: `after` are the facts read after setup ended, `run_triage` the triage
    of this run's part of ExchangeSetup.log (None when the log shows no new run)."""
    facts = after or watch.facts or {}
    exchange = facts.get("exchange") or {}
    pending = bool((facts.get("pending_reboot") or {}).get("pending"))
    task: TaskState | None = watch.task
    code = task.last_result if task is not None and task.finished else None
    tri = dict(run_triage) if run_triage else None
    outcome = SetupOutcome(
        succeeded=False, category=None, exit_code=code, version_before=version_before,
        version_after=exchange.get("version"), reboot_required=pending, triage=tri,
        interrupted=dict(exchange.get("interrupted") or {}),
        exit_text_es=_exit_text(code, "es") if code is not None else "",
        exit_text_en=_exit_text(code, "en") if code is not None else "")
    own = {TIMED_OUT: TIMEOUT, UNREACHABLE: LOST_CONTACT, NOT_STARTED: SETUP_NOT_STARTED, CALL_FAILED: WATCH_FAILED,
           TASK_VANISHED: TASK_GONE}
    if watch.status != FINISHED:
        outcome.category = own.get(watch.status, WATCH_FAILED)
        outcome.advice_es, outcome.advice_en = _own_advice(outcome.category, tri)
        if watch.status == NOT_STARTED and task is not None:
            outcome.exit_code = task.last_result
            outcome.exit_text_es, outcome.exit_text_en = _exit_text(task.last_result, "es"), _exit_text(task.last_result, "en")
        _from_log(outcome, tri, keep_category=True)
        return outcome
    log_ok = tri is None or tri.get("outcome") == SUCCEEDED
    registry_ok = bool(exchange.get("installed")) and not outcome.interrupted and same_cu(exchange.get("version"), media_version)
    if code == 0 and log_ok and registry_ok:
        outcome.succeeded = True
        # Microsoft requires a restart after every install and CU (exchange-facts §6.4).
        outcome.reboot_required = True
        outcome.advice_es, outcome.advice_en = _advice(tri) if tri else ("", "")
        return outcome
    if code is not None and code != 0 and (code & 0xFFFFFFFF) in _KILLED:
        outcome.category = INTERRUPTED
        outcome.advice_es, outcome.advice_en = _OWN_ADVICE[INTERRUPTED]
        _from_log(outcome, tri, keep_category=True)
        return outcome
    if code == 0 or (tri is not None and tri.get("outcome") == SUCCEEDED):
        # One source says success, another does not.
        outcome.category = INCONSISTENT
        outcome.advice_es, outcome.advice_en = _own_advice(INCONSISTENT, tri)
        _from_log(outcome, tri, keep_category=True)
        return outcome
    if tri is not None and tri.get("category"):
        _from_log(outcome, tri, keep_category=False)
        return outcome
    if tri is None:
        # Nothing of this run in ExchangeSetup.log: setup exited before writing it (or couldn't write it).
        outcome.category = NO_SETUP_LOG
        outcome.advice_es, outcome.advice_en = no_log_advice(code)
        return outcome
    outcome.category = NOT_CONFIRMED
    outcome.advice_es, outcome.advice_en = _OWN_ADVICE[NOT_CONFIRMED]
    _from_log(outcome, tri, keep_category=True)
    return outcome


def _own_advice(category: str, tri: Mapping[str, Any] | None) -> tuple[str, str]:
    """This module's advice for `category`; when the run left nothing in ExchangeSetup.log, the variant that doesn't send
    anyone to it."""
    if tri is None and category in _NO_LOG_ADVICE:
        return _NO_LOG_ADVICE[category]
    return _OWN_ADVICE[category]


def _from_log(outcome: SetupOutcome, tri: Mapping[str, Any] | None, *, keep_category: bool) -> None:
    """Take the error line (and, unless told otherwise, the category and advice) from the log triage."""
    if not tri:
        return
    outcome.error = tri.get("error") or outcome.error
    outcome.error_line = tri.get("error_line") or outcome.error_line
    if keep_category:
        return
    outcome.category = tri.get("category")
    outcome.advice_es, outcome.advice_en = _advice(tri)


def success_message(outcome: SetupOutcome, mode: str, media_version: str, minutes: float, language: str = "es") -> str:
    before, after = version_label(outcome.version_before), version_label(outcome.version_after)
    if language == "es":
        return (f"Setup de Exchange terminó correctamente ({mode_label(mode, 'es')}) en {minutes:.1f} min: {before} -> {after}. "
                "Microsoft exige reiniciar el servidor antes de ponerlo en producción.")
    return (f"Exchange setup completed successfully ({mode_label(mode, 'en')}) in {minutes:.1f} min: {before} -> {after}. Microsoft "
            "requires a restart of the server before it goes into production.")


def failure_message(outcome: SetupOutcome, mode: str, minutes: float, language: str = "es") -> str:
    """One message that names the category, the error line and the advice."""
    spanish = language == "es"
    parts = [(f"Setup de Exchange falló ({mode_label(mode, 'es')}, {minutes:.1f} min). Categoría: {outcome.category or 'unknown'}."
              if spanish else
              f"Exchange setup failed ({mode_label(mode, 'en')}, {minutes:.1f} min). Category: {outcome.category or 'unknown'}.")]
    if outcome.error:
        where = (f" (línea {outcome.error_line} de ExchangeSetup.log)" if spanish else
                 f" (line {outcome.error_line} of ExchangeSetup.log)") if outcome.error_line else ""
        parts.append((f"Mensaje de Setup: «{outcome.error}»{where}." if spanish else f"Setup's message: «{outcome.error}»{where}."))
    exit_text = outcome.exit_text_es if spanish else outcome.exit_text_en
    if exit_text and outcome.category != NO_SETUP_LOG:  # that advice gives the code and its meaning itself
        parts.append(exit_text)
    if outcome.interrupted:
        keys = ", ".join(sorted(outcome.interrupted))
        parts.append(f"Roles interrumpidos (marca de agua): {keys}." if spanish else f"Interrupted roles (watermark): {keys}.")
    advice = outcome.advice_es if spanish else outcome.advice_en
    if advice:
        parts.append(("Recomendación: " if spanish else "Advice: ") + advice)
    parts.append(_IT_HEAD_ES if spanish else _IT_HEAD_EN)
    return " ".join(parts)


def _exchange_version(version: str | None, installed: bool, interrupted: bool = False) -> dict[str, Any]:
    info = build_info(version) if version else None
    value: dict[str, Any] = {"installed": installed}
    if interrupted:  # setup's watermark: the report says "interrupted", not "not installed"
        value["interrupted"] = True
    if version:
        value["version"] = version
    if info:
        value["label"] = info.label
    return value


# recoverserver: a lost server rebuilt (issue 17, item 4); the report reads it as "recuperación".
REPORT_MODES = ("install", "upgrade", "resume", "recoverserver", "nothing")


def report_target(mode: str, media_version: str, before: Mapping[str, Any] | None,
                  after: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """`rpi_report.target`: mode, the media's build, Exchange before (and after)."""
    target: dict[str, Any] = {"setup_version": media_version}
    if mode in REPORT_MODES:
        target["mode"] = mode
    for name, facts in (("exchange_before", before), ("exchange_after", after)):
        if facts is not None:
            exchange = facts.get("exchange") or {}
            target[name] = _exchange_version(exchange.get("version"), bool(exchange.get("installed")), bool(exchange.get("interrupted")))
    return target


def plan_item(decision: Mapping[str, Any], command: Mapping[str, Any] | None, *, check_mode: bool,
              run_as_user: str, warnings: list[tuple[str, str]]) -> dict[str, Any]:
    """Evidence of the decision and, when setup runs, of its exact command line."""
    summary_es, summary_en = str(decision.get("message_es") or ""), str(decision.get("message_en") or "")
    details: dict[str, Any] = {"activities": [3, 4, 5, 6, 7, 8], "decision": dict(decision)}
    if command:
        details["command"] = dict(command)
        details["run_as_user"] = run_as_user
        summary_es += f" Línea de comandos: {command['command_line']} (cuenta {run_as_user})."
        summary_en += f" Command line: {command['command_line']} (account {run_as_user})."
    if warnings:
        details["warnings"] = [{"es": es, "en": en} for es, en in warnings]
    kind = "plan" if check_mode else ("command" if command else "check")
    level = "error" if decision.get("mode") == "refuse" else ("ok" if decision.get("mode") == "nothing" else "info")
    return Evidence(kind, level, summary_es, summary_en, details).as_dict()


# The triage's outcome as the report says it ("ExchangeSetup.log: la última ejecución falló").
_LOG_OUTCOMES = {
    "es": {"succeeded": "la última ejecución terminó correctamente", "failed": "la última ejecución falló",
           "incomplete": "la última ejecución quedó incompleta", "unknown": "resultado sin identificar"},
    "en": {"succeeded": "the last run completed successfully", "failed": "the last run failed",
           "incomplete": "the last run is incomplete", "unknown": "outcome not identified"},
}


def run_items(outcome: SetupOutcome, watch: WatchResult, *, mode: str, command_line: str, media_version: str,
              task_path: str, attached: bool) -> list[dict[str, Any]]:
    """Evidence of the run: what changed (or the failure), versions, progress, triage."""
    minutes = watch.elapsed_seconds / 60
    items = []
    before, after = version_label(outcome.version_before), version_label(outcome.version_after)
    run_details = {"mode": mode, "command_line": command_line, "task": task_path, "attached": attached,
                   "exit_code": outcome.exit_code, "duration_seconds": round(watch.elapsed_seconds, 1), "polls": watch.polls,
                   "reboot_required": outcome.reboot_required, "media_version": media_version}
    if outcome.succeeded:
        items.append(Evidence("change", "ok", success_message(outcome, mode, media_version, minutes, "es"),
                              success_message(outcome, mode, media_version, minutes, "en"), run_details).as_dict())
    else:
        items.append(Evidence("change", "error", failure_message(outcome, mode, minutes, "es"),
                              failure_message(outcome, mode, minutes, "en"), {**run_details, "category": outcome.category}).as_dict())
    items.append(Evidence("version", "ok" if outcome.succeeded else "warning", f"Exchange antes: {before}; después: {after}.",
                          f"Exchange before: {before}; after: {after}.",
                          {"before": outcome.version_before, "after": outcome.version_after, "media": media_version}).as_dict())
    milestones = [item.as_dict() for item in watch.milestones]
    steps = " > ".join(dict.fromkeys(item.label for item in watch.milestones)) or "-"
    items.append(Evidence("note", "info" if not watch.interruptions else "warning",
                          f"Progreso de Setup ({minutes:.1f} min, {watch.polls} consultas, {len(watch.interruptions)} "
                          f"interrupciones de la conexión): {steps}",
                          f"Setup progress ({minutes:.1f} min, {watch.polls} polls, {len(watch.interruptions)} connection "
                          f"interruptions): {steps}",
                          {"milestones": milestones, "interruptions": watch.interruptions,
                           "detection_window_seconds": watch.as_dict()["detection_window_seconds"]}).as_dict())
    if outcome.triage is not None:
        tri = outcome.triage
        if outcome.succeeded:
            summary_es = "ExchangeSetup.log: la última ejecución terminó correctamente."
            summary_en = "ExchangeSetup.log: the last run completed successfully."
        else:
            summary_es = (f"ExchangeSetup.log: {_LOG_OUTCOMES['es'].get(tri.get('outcome'), tri.get('outcome'))}, "
                          f"categoría {tri.get('category')}: «{tri.get('error') or '-'}»")
            summary_en = (f"ExchangeSetup.log: {_LOG_OUTCOMES['en'].get(tri.get('outcome'), tri.get('outcome'))}, "
                          f"category {tri.get('category')}: «{tri.get('error') or '-'}»")
        items.append(Evidence("triage", "ok" if outcome.succeeded else "error", summary_es, summary_en, tri).as_dict())
    elif outcome.category == NO_SETUP_LOG:
        code = outcome.exit_code
        items.append(Evidence("triage", "error",
                              f"ExchangeSetup.log: Setup.exe no escribió nada en esta ejecución ({exit_code_meaning(code, 'es')}).",
                              f"ExchangeSetup.log: Setup.exe wrote nothing in this run ({exit_code_meaning(code, 'en')}).",
                              {"setup_log_written": False, "exit_code": code,
                               "exit_code_hex": exit_code_hex(code).split(" ", 1)[0] if code is not None else None}).as_dict())
    return items
