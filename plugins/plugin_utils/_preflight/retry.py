# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 1: a retry names the run it continues and who authorised it (issue 20, item 3; norm 5.6).

After a failed or interrupted run, the next run on the same server resumes or repeats it. Norm 5.6
leaves what the manual does not foresee to the IT Head ("con las consultas a su jefe inmediato
superior"), and the failed run's report says who acts first (report/who_acts.py): the technician
(a lost connection, a restart that took too long: run it again) or the Encargado de TI (an
account without rights, a watermark, a failure the manual does not foresee).

The instruction says which run it authorises to retry: `rpi_exchange_instruction.retry_of: <run
id>`, the id of the failed run's report (its folder name, shown on its first page). Activity 1
reads the newest earlier report of this server in the report folder and decides, before anything
is sent to the server:

* the newest earlier run succeeded, or there is none: nothing to retry. A `retry_of` then is
  only recorded, with a warning (the IT Head authorised a retry that is not needed);
* it failed or was interrupted, and `retry_of` names it: an authorised retry, recorded;
* `retry_of` names another run: refused (a typing mistake, or an instruction for an older
  failure; the newest failure is the one the server carries), naming the id found;
* no `retry_of`, and the failed run's report says the Encargado de TI acts first on a failure that
  happened while the run was changing the server (setup failed, a cause the manual does not
  foresee): refused, the IT Head decides (norm 5.6) and the message gives the line to add to the
  instruction;
* no `retry_of`, and the technician acts first (or the report does not say), or the failed run was
  a refusal before any change (nothing on the server to resume; the input was corrected): allowed,
  with a warning that the retry is not named by the instruction; the link is recorded all the same.

A dry run (--check) changes nothing: a refusal becomes a warning, as for the planned window.
"""

from __future__ import annotations

import re
import typing as t
from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

VARIABLE = "rpi_exchange_instruction.retry_of"
# report/store.py new_run_id: UTC time, then 6 hexadecimal characters.
RUN_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{6}$")
ENCARGADO_TI = "encargado_ti"  # report/who_acts.py

NOTHING_TO_RETRY = "nothing_to_retry"
NOT_NEEDED = "not_needed"
AUTHORISED = "authorised"
OTHER_RUN = "other_run"
NEEDS_IT_HEAD = "needs_it_head"
NOT_NAMED = "not_named"
FAILED_STATUSES = ("failed", "interrupted")


def parse_retry_of(value: t.Any) -> tuple[str, tuple[str, str] | None]:
    """(run id, None) or ("", (problem es, problem en)); an absent or empty value is ("", None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "", None
    text = str(value).strip() if isinstance(value, (str, int)) else ""
    if RUN_ID.match(text):
        return text, None
    return "", (f"«{value}» no es el id de una ejecución. Copie el id de la primera página del informe de la ejecución que "
                "falló (el nombre de su carpeta, por ejemplo 20261127T160000Z-0f0f0f), u omítalo si no es un reintento.",
                f"'{value}' is not a run id. Copy the id from the first page of the failed run's report (its folder name, "
                "e.g. 20261127T160000Z-0f0f0f), or leave it out if this is not a retry.")


@dataclass(frozen=True)
class RetryDecision:
    status: str
    retry_of: str  # what the instruction names
    last_run: t.Mapping[str, t.Any] | None  # the newest earlier report of this server (report/earlier_runs.last_run)
    authorised_by: str = ""
    reference: str = ""
    check_mode: bool = False

    @property
    def refused(self) -> bool:
        return self.status in (OTHER_RUN, NEEDS_IT_HEAD)

    @property
    def allowed(self) -> bool:
        return not self.refused or self.check_mode

    @property
    def is_retry(self) -> bool:
        return self.status in (AUTHORISED, NOT_NAMED, NEEDS_IT_HEAD, OTHER_RUN)

    @property
    def level(self) -> str:
        if self.status in (NOTHING_TO_RETRY, AUTHORISED):
            return "ok" if self.status == AUTHORISED else "info"
        return "error" if self.refused and not self.check_mode else "warning"

    def _last(self, language: str) -> str:
        last = self.last_run or {}
        status = {"failed": ("falló", "failed"), "interrupted": ("quedó interrumpida", "was interrupted"),
                  "succeeded": ("terminó correctamente", "succeeded")}.get(str(last.get("status")), (last.get("status"), last.get("status")))
        return i18n.text(language, f"la ejecución {last.get('id')} ({status[0]})", f"run {last.get('id')} ({status[1]})")

    def message(self, language: str = "es") -> str:
        who = self.authorised_by
        if self.status == NOTHING_TO_RETRY:
            return i18n.text(language, "No hay una ejecución fallida anterior en este servidor: no es un reintento.",
                             "No earlier failed run on this server: this is not a retry.")
        if self.status == NOT_NEEDED:
            last = self._last(language) if self.last_run else i18n.text(language, "ninguna", "none")
            return i18n.text(language, f"La instrucción autoriza reintentar la ejecución {self.retry_of}, pero la última ejecución "
                                       f"registrada en este servidor es {last}: no hay nada que reintentar. Se registra la referencia.",
                             f"The instruction authorises retrying run {self.retry_of}, but the last run recorded on this server "
                             f"is {last}: there is nothing to retry. The reference is recorded.")
        if self.status == AUTHORISED:
            return i18n.text(language, f"Reintento de {self._last(language)}, autorizado por {who} ({self.reference}).",
                             f"Retry of {self._last(language)}, authorised by {who} ({self.reference}).")
        dry = i18n.text(language, " Es una ejecución de prueba (--check): no cambia nada, solo se advierte.",
                        " This is a dry run (--check): nothing changes, this is only a warning.") if self.check_mode else ""
        if self.status == OTHER_RUN:
            return i18n.text(
                language,
                f"{VARIABLE} autoriza reintentar la ejecución {self.retry_of}, pero la última ejecución en este servidor es "
                f"{self._last(language)}. Corrija {VARIABLE} con el id de esa ejecución si el Encargado de TI autoriza "
                f"reintentarla; no se cambia nada en el servidor.{dry}",
                f"{VARIABLE} authorises retrying run {self.retry_of}, but the last run on this server is {self._last(language)}. "
                f"Correct {VARIABLE} with that run's id if the IT Head authorises retrying it; nothing on the server is "
                f"changed.{dry}")
        last_id = (self.last_run or {}).get("id")
        if self.status == NEEDS_IT_HEAD:
            return i18n.text(
                language,
                f"La última ejecución en este servidor, {self._last(language)}, indica en su informe que el primero en actuar es el "
                f"Encargado de TI (norma 5.6). Reintente solo con su autorización: agregue a la instrucción "
                f"«retry_of: {last_id}» (rpi_exchange_instruction); no se cambia nada en el servidor.{dry}",
                f"The last run on this server, {self._last(language)}, says in its report that the IT Head acts first (norm 5.6). "
                f"Retry only with his authorisation: add 'retry_of: {last_id}' to the instruction (rpi_exchange_instruction); "
                f"nothing on the server is changed.{dry}")
        if str((self.last_run or {}).get("basis") or "").startswith("refusal"):
            # A refusal before any change: whoever had to act (the IT Head, perhaps), nothing was left half-done to resume.
            return i18n.text(
                language,
                f"Reintento de {self._last(language)} sin que la instrucción lo nombre ({VARIABLE}); esa ejecución se detuvo antes "
                f"de cambiar nada en el servidor. Se registra el vínculo entre las dos ejecuciones.",
                f"Retry of {self._last(language)} not named by the instruction ({VARIABLE}); that run stopped before changing "
                f"anything on the server. The link between the two runs is recorded.")
        return i18n.text(
            language,
            f"Reintento de {self._last(language)} sin que la instrucción lo nombre ({VARIABLE}); su informe indica que actúa el "
            f"técnico. Se registra el vínculo entre las dos ejecuciones.",
            f"Retry of {self._last(language)} not named by the instruction ({VARIABLE}); its report says the technician acts. "
            f"The link between the two runs is recorded.")

    def as_record(self) -> dict[str, t.Any] | None:
        """report.json's run.retry_of: the run this one continues and who authorised it (None when it is not a retry)."""
        if not self.is_retry and not self.retry_of:
            return None
        last = self.last_run or {}
        record: dict[str, t.Any] = {"id": str(last.get("id") if self.is_retry else self.retry_of), "decision": self.status,
                                    "authorised": self.status == AUTHORISED}
        if self.is_retry and last.get("status"):
            record["status"] = str(last["status"])
        if self.retry_of:
            record.update(named_by_instruction=self.retry_of, authorised_by=self.authorised_by, reference=self.reference)
        return record

    def evidence(self) -> dict[str, t.Any]:
        details = {"decision": self.status, "retry_of": self.retry_of or None, "last_run": dict(self.last_run or {}) or None}
        return {"kind": "check", "level": self.level, "summary_es": self.message("es"), "summary_en": self.message("en"),
                "details": details}


def decide_retry(last_run: t.Mapping[str, t.Any] | None, retry_of: str, *, authorised_by: str = "", reference: str = "",
                 check_mode: bool = False) -> RetryDecision:
    """Whether this run may retry the newest earlier run of its server (see the module's docstring)."""
    failed = bool(last_run) and str((last_run or {}).get("status")) in FAILED_STATUSES

    def decision(status: str) -> RetryDecision:
        return RetryDecision(status, retry_of, last_run, authorised_by, reference, check_mode)

    if not failed:
        return decision(NOT_NEEDED if retry_of else NOTHING_TO_RETRY)
    if retry_of:
        return decision(AUTHORISED if retry_of == str((last_run or {}).get("id")) else OTHER_RUN)
    last = last_run or {}
    # A refusal before any change left nothing to resume: the corrected run is recorded as a retry, not stopped.
    refusal = str(last.get("basis") or "").startswith("refusal")
    return decision(NEEDS_IT_HEAD if last.get("who_acts") == ENCARGADO_TI and not refusal else NOT_NAMED)
