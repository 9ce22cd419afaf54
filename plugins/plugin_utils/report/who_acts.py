# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Who acts first on a failure, what to do and what not to do (issue 20, item 4).

Decided from what is known, most specific first: the setup result's category (`_setup/result.py`, which is the log
triage's category when the log explains the failure), the setup-log triage's category (`_setup_log/rules.py`), the
Ansible message table's row (`report/ansible_messages.py`), a refusal before any change (norm 5.6: the Encargado de TI
decides), else a generic entry. `do` is the first step; the category's advice gives the detail. Each entry names the
actions it tells and forbids (ACTIONS), so a test checks that no message tells and forbids the same thing.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import rules

TECNICO = "tecnico"
ENCARGADO_TI = "encargado_ti"
WHO_LABEL = {TECNICO: ("Técnico de Operaciones y Seguridad Informática", "Operations and IT Security Technician"),
             ENCARGADO_TI: ("Encargado del Departamento de TI", "Head of the IT Department")}

# An action as a sentence tells it: (Spanish pattern, English pattern). A sentence with a negation before the match forbids it.
ACTIONS: dict[str, tuple[str, str]] = {
    "delete_watermark": (r"\b(?:borr|elimin|quit)\w*\b[^.;]*\b(?:marca de agua|watermark)", r"\b(?:delet|remov|clear)\w*\b[^.;]*\bwatermark"),
    "rerun": (r"\bvuelva a ejecutar\b|\bejecute de nuevo\b|\breanude\b", r"\brun (?:setup|the installation|the procedure|it) again\b|\bresume the run\b"),
    "restart_server": (r"\breinici\w* (?:el|del) servidor\b", r"\brestart\w* the server\b"),
    "stop_setup": (r"\bdeten\w*\b[^.;]*\b(?:setup|la tarea)\b", r"\bstop\w*\b[^.;]*\b(?:setup|the task)\b"),
    "grant_rights_yourself": (r"\bagregu\w*\b[^.;]*\bgrupos?\b", r"\badd\w*\b[^.;]*\bgroups?\b"),
    "change_ad": (r"\b(?:modifi|cambi|edit)\w*\b[^.;]*\bActive Directory\b", r"\b(?:modif|chang|edit)\w*\b[^.;]*\b(?:Active Directory|AD)\b"),
    "manual_setup": (r"\bejecute Setup\.exe a mano\b", r"\brun Setup\.exe by hand\b"),
}
# A negation, or a condition that makes the action wait for someone ("escale ... antes de cambiar Active Directory").
_NEGATION = {"es": re.compile(r"\b(?:no|nunca|ni|sin|antes de)\b", re.IGNORECASE),
             "en": re.compile(r"\b(?:not|never|don't|do not|nor|without|before)\b", re.IGNORECASE)}


def tells(action: str, text: str | None, language: str, negated: bool = False) -> bool:
    """Whether `text` tells to do `action` (or, with `negated`, tells not to do it): sentence by sentence."""
    pattern = re.compile(ACTIONS[action][0 if language == "es" else 1], re.IGNORECASE)
    for sentence in re.split(r"(?<=[.;:])\s+", text or ""):
        for match in pattern.finditer(sentence):
            is_negated = bool(_NEGATION[language].search(sentence[:match.start()]))
            if is_negated == negated:
                return True
    return False


@dataclass(frozen=True)
class Step:
    who: str
    do_es: str
    do_en: str
    dont: tuple[tuple[str, str], ...]
    do_actions: tuple[str, ...] = ()
    dont_actions: tuple[str, ...] = ()


_RERUN = ("rerun",)
_HAND = ("No ejecute Setup.exe a mano ni cambie el servidor fuera del procedimiento.",
         "Do not run Setup.exe by hand or change the server outside the procedure.")
_WATERMARK = ("No borre la marca de agua de setup (valor Watermark del registro): la reanudación la necesita.",
              "Do not delete Setup's watermark (the Watermark registry value): resuming needs it.")
_STOP = ("No detenga la tarea de Setup ni reinicie el servidor mientras Setup siga en ejecución.",
         "Do not stop Setup's task or restart the server while Setup is still running.")
_AD = ("No modifique Active Directory sin la autorización del Encargado de TI.",
       "Do not change Active Directory without the Head of IT's authorisation.")
_GROUPS = ("No agregue usted la cuenta a grupos privilegiados: lo decide y lo hace el Encargado de TI.",
           "Do not add the account to privileged groups yourself: the Head of IT decides and does it.")
_MAIL = ("No dé el correo por disponible: el correo puede estar detenido hasta que se reanude la ejecución.",
         "Do not assume mail is available: mail is likely down until the run is resumed.")
_IMPROVISE = ("No improvise una corrección que el manual no prevé (norma 5.6).",
              "Do not improvise a fix the manual does not foresee (norm 5.6).")


def _tec(do_es: str, do_en: str, *dont: tuple[str, str], dont_actions: tuple[str, ...] = ("manual_setup",)) -> Step:
    return Step(TECNICO, do_es, do_en, dont or (_HAND,), _RERUN, dont_actions)


def _head(do_es: str, do_en: str, *dont: tuple[str, str], dont_actions: tuple[str, ...] = ()) -> Step:
    return Step(ENCARGADO_TI, do_es, do_en, dont or (_IMPROVISE,), (), dont_actions)


_FIX = ("Corrija la causa que indica el diagnóstico y vuelva a ejecutar la instalación.",
        "Fix the cause the diagnosis names and run the installation again.")
_REPORT = ("Informe al Encargado de TI con este reporte; él decide la corrección y autoriza la nueva ejecución (norma 5.6).",
           "Report to the Head of IT with this report; they decide the fix and authorise the next run (norm 5.6).")

SETUP_LOG: dict[str, Step] = {
    rules.REBOOT_PENDING: _tec("Reinicie el servidor y vuelva a ejecutar la instalación.", "Restart the server and run the installation again."),
    rules.INSUFFICIENT_PERMISSIONS: _head(
        "El Encargado de TI concede a la cuenta de instalación los grupos que indica el error; después el técnico vuelve a "
        "ejecutar la instalación.",
        "The Head of IT grants the setup account the groups the error names; then the technician runs the installation again.",
        _GROUPS, dont_actions=("grant_rights_yourself",)),
    rules.AD_PREPARATION_REQUIRED: _head(*_REPORT, _AD, dont_actions=("change_ad",)),
    rules.DOMAIN_CONTROLLER_SITE: _tec(*_FIX, _AD, dont_actions=("change_ad",)),
    rules.AD_OBJECT_PROBLEM: _head(*_REPORT, _AD, dont_actions=("change_ad",)),
    rules.AD_ACCESS_DENIED: _head(*_REPORT, _AD, dont_actions=("change_ad",)),
    rules.SCHEMA_IMPORT_FAILED: _head(*_REPORT, _AD, dont_actions=("change_ad",)),
    rules.SERVICE_DISABLED: _tec(*_FIX),
    rules.AD_TOPOLOGY_SERVICE: _tec(*_FIX),
    rules.MSI_INSTALLER: _tec(*_FIX),
    rules.VIRTUAL_DIRECTORY: _tec(*_FIX),
    rules.SEARCH_FOUNDATION: _tec(*_FIX),
    rules.INSTALL_FROM_BIN: _tec(*_FIX),
    rules.WINDOWS_FIREWALL: _tec(*_FIX),
    rules.DATABASE_MOUNT: _tec(*_FIX),
    rules.MAILBOX_OBJECT_PROBLEM: _head(*_REPORT, _AD, dont_actions=("change_ad",)),
    rules.FILE_ACCESS_DENIED: _tec(*_FIX),
    rules.MISSING_DIRECTORY: _tec(*_FIX),
    rules.SETUP_SCRIPT_ERROR: _tec(*_FIX),
    rules.UNKNOWN: _head(*_REPORT),
    rules.MISSING_PREREQUISITE: _tec(*_FIX),
    rules.PREREQUISITE_CHECK: _tec(*_FIX),
    rules.INVALID_COMMAND_LINE: _tec(*_FIX),
    rules.DISK_SPACE: _tec(*_FIX),
}
# Readiness failures: setup stopped before changing anything, so mail is as it was.
BEFORE_ANY_CHANGE = frozenset((rules.REBOOT_PENDING, rules.INSUFFICIENT_PERMISSIONS, rules.AD_PREPARATION_REQUIRED,
                               rules.DOMAIN_CONTROLLER_SITE, rules.MISSING_PREREQUISITE, rules.PREREQUISITE_CHECK,
                               rules.INVALID_COMMAND_LINE, "not_started"))

_ATTACH = ("Vuelva a ejecutar el procedimiento: se conecta a la ejecución de Setup en curso o lee su resultado.",
           "Run the procedure again: it attaches to the running setup or reads its result.")
SETUP_RESULT: dict[str, Step] = {
    "timeout": _tec(*_ATTACH, _STOP, dont_actions=("stop_setup",)),
    "unreachable": _tec(*_ATTACH, _STOP, dont_actions=("stop_setup",)),
    "not_started": _tec("Compruebe la cuenta de instalación y el medio; después vuelva a ejecutar la instalación.",
                        "Check the setup account and the media; then run the installation again."),
    "task_vanished": _head(*_REPORT, _WATERMARK, dont_actions=("delete_watermark",)),
    "interrupted": _tec("Averigüe qué interrumpió Setup y vuelva a ejecutar la instalación: la reanudación retoma desde la marca de agua.",
                        "Find out what interrupted Setup and run the installation again: resuming continues from the watermark.",
                        _WATERMARK, _HAND, dont_actions=("delete_watermark", "manual_setup")),
    "inconsistent": _head(*_REPORT, _WATERMARK, dont_actions=("delete_watermark",)),
    "watch_failed": _tec(*_ATTACH, _STOP, dont_actions=("stop_setup",)),
    "not_confirmed": _head(*_REPORT, _WATERMARK, dont_actions=("delete_watermark",)),
    "no_setup_log": _tec("Revise el registro de eventos Aplicación del servidor, corrija la causa y vuelva a ejecutar la instalación.",
                         "Review the server's Application event log, fix the cause and run the installation again."),
}

_ANSIBLE_FIX = ("Siga la indicación de «Qué pasó», corrija la causa y vuelva a ejecutar la instalación.",
                "Follow what 'What happened' says, fix the cause and run the installation again.")
ANSIBLE: dict[str, Step] = {key: _tec(*_ANSIBLE_FIX) for key in (
    "reboot_timeout", "reboot_not_ready", "boot_time_unreadable", "reboot_refused", "kerberos_missing", "credentials_rejected",
    "certificate_untrusted", "winrm_operation_timeout", "winrm_read_timeout", "winrm_unreachable", "winrm_dropped",
    "async_timeout", "async_job_lost", "undefined_variable", "missing_file", "bad_arguments", "module_crashed")}
ANSIBLE["internal_error"] = _head(*_REPORT)

REFUSAL = Step(ENCARGADO_TI, "El servidor no se modificó. " + _REPORT[0], "The server was not changed. " + _REPORT[1],
               (("No vuelva a ejecutar la instalación sin la decisión del Encargado de TI.",
                 "Do not run the installation again without the Head of IT's decision."),), (), ("rerun",))
GENERIC = _tec("Lea el mensaje, corrija la causa y vuelva a ejecutar la instalación; si la causa no está clara, informe al "
               "Encargado de TI (norma 5.6).",
               "Read the message, fix the cause and run the installation again; if the cause is unclear, report to the Head of "
               "IT (norm 5.6).")


def table(source: str) -> dict[str, Step]:
    return {"setup_log": SETUP_LOG, "setup_result": SETUP_RESULT, "ansible": ANSIBLE,
            "refusal": {"refusal": REFUSAL}, "generic": {"generic": GENERIC}}[source]


def _pick(failure: t.Mapping[str, t.Any]) -> tuple[str, str, Step]:
    setup_category = failure.get("setup_category")
    triage_category = (failure.get("triage") or {}).get("category")
    known = (failure.get("explanation") or {}).get("known")
    if setup_category in SETUP_RESULT:
        return "setup_result", setup_category, SETUP_RESULT[setup_category]
    for category in (setup_category, triage_category):
        if category in SETUP_LOG:
            return "setup_log", category, SETUP_LOG[category]
    if failure.get("refused"):
        return "refusal", "refusal", REFUSAL
    if known in ANSIBLE:
        return "ansible", known, ANSIBLE[known]
    return "generic", "generic", GENERIC


def decide(failure: t.Mapping[str, t.Any], mode: str | None) -> dict[str, t.Any]:
    """`who_acts` of a failure: {who, who_label {es, en}, do {es, en}, dont {es, en}, basis}."""
    source, key, step = _pick(failure)
    dont = list(step.dont)
    changed = source in ("setup_log", "setup_result") and key not in BEFORE_ANY_CHANGE
    if changed and mode not in (None, "install", "nothing", "refuse"):
        if _WATERMARK not in dont:
            dont.append(_WATERMARK)
        dont.append(_MAIL)
    return {"who": step.who, "who_label": {"es": WHO_LABEL[step.who][0], "en": WHO_LABEL[step.who][1]},
            "do": {"es": step.do_es, "en": step.do_en},
            "dont": {"es": " ".join(item[0] for item in dont), "en": " ".join(item[1] for item in dont)},
            "basis": f"{source}:{key}"}
