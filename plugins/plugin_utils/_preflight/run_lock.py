# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The run lock: only one run of the procedure changes a server at a time.

The lock is a small file on the server (rpi.exchange.win_exchange_run_lock creates it atomically) holding
a JSON record of the run that owns it. Everything here is the controller's decision about that record:
whether a run may take the lock, take over a lock left behind, or must refuse.

A run releases its lock when it ends, failed or not (the playbook's `always`). A lock can still be left
behind when nothing on the controller could release it: the controller was killed, lost power, or the
server was unreachable at the end. Such a lock is taken over, and the report says so, when
- its owner ran on this same controller and that process no longer exists, or
- it is older than the maximum age (longer than any real run: setup's own limit is 6 hours), or
- the technician names its run id explicitly (`rpi_exchange_lock_break`), after checking nobody runs.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

# %ProgramData% is on the system drive, which is not always C:; the module expands it on the server.
LOCK_PATH = "%ProgramData%\\RPI\\rpi-exchange\\run.lock"
DEFAULT_MAX_AGE_HOURS = 12
UNKNOWN_RUN = "desconocido"
RECORD_VERSION = 1

# Verdicts
ACQUIRE = "acquire"      # no lock: take it
HELD = "held"            # the lock is already this run's
TAKE_OVER = "take_over"  # a lock left behind: replace it, and say so in the report
REFUSE = "refuse"        # another run holds it

# Why a lock is taken over
OWNER_GONE = "owner_gone"
EXPIRED = "expired"
BROKEN = "broken"


@dataclass(frozen=True)
class LockRecord:
    """Who holds the lock: written in the lock file, shown to whoever finds it held."""

    run_id: str
    controller_host: str
    controller_pid: int
    started: str  # ISO 8601, UTC
    technician: str = ""
    reference: str = ""  # the IT Head's instruction reference

    def to_text(self) -> str:
        return json.dumps({"version": RECORD_VERSION, **asdict(self)}, ensure_ascii=False, sort_keys=True)

    def started_at(self) -> datetime | None:
        try:
            moment = datetime.fromisoformat(self.started.replace("Z", "+00:00"))
        except (TypeError, ValueError):
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def parse_record(text: str | None) -> LockRecord | None:
    """The record in a lock file's text; a lock that cannot be read is still a lock (run id `desconocido`)."""
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return LockRecord(run_id=UNKNOWN_RUN, controller_host="", controller_pid=0, started="")
    try:
        pid = int(data.get("controller_pid") or 0)
    except (TypeError, ValueError):
        pid = 0
    return LockRecord(run_id=str(data.get("run_id") or UNKNOWN_RUN), controller_host=str(data.get("controller_host") or ""),
                      controller_pid=pid, started=str(data.get("started") or ""), technician=str(data.get("technician") or ""),
                      reference=str(data.get("reference") or ""))


@dataclass(frozen=True)
class Verdict:
    action: str
    holder: LockRecord | None = None
    reason: str = ""
    message_es: str = ""
    message_en: str = ""

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_es


def _holder_text(holder: LockRecord, language: str) -> str:
    who = holder.technician or ("?" if language == "en" else "desconocido")
    if language == "en":
        return (f"run {holder.run_id} (technician {who}, controller {holder.controller_host or '?'} process {holder.controller_pid or '?'}, "
                f"started {holder.started or '?'}{', instruction ' + holder.reference if holder.reference else ''})")
    return (f"la ejecución {holder.run_id} (técnico {who}, equipo de control {holder.controller_host or '?'} proceso {holder.controller_pid or '?'}, "
            f"iniciada {holder.started or '?'}{', instrucción ' + holder.reference if holder.reference else ''})")


def judge(holder: LockRecord | None, me: LockRecord, *, now: datetime, max_age_hours: float, break_run_id: str | None,
          process_alive: Callable[[int], bool]) -> Verdict:
    """What this run does about the lock it found on the server (`holder`, None when there is none).

    `process_alive(pid)` answers for processes of this controller only: a lock from another controller is
    never judged by a process number that means something else here.
    """
    if holder is None:
        return Verdict(ACQUIRE)
    if holder.run_id == me.run_id:
        return Verdict(HELD, holder)
    if break_run_id:
        if break_run_id.strip() == holder.run_id:
            return Verdict(TAKE_OVER, holder, BROKEN,
                           f"Bloqueo de {_holder_text(holder, 'es')} liberado a petición del técnico (rpi_exchange_lock_break).",
                           f"Lock of {_holder_text(holder, 'en')} broken at the technician's request (rpi_exchange_lock_break).")
        return Verdict(REFUSE, holder, "",
                       f"rpi_exchange_lock_break vale '{break_run_id}', pero el servidor está bloqueado por {_holder_text(holder, 'es')}. "
                       f"No se cambió nada. Si comprobó que esa ejecución ya no corre, use -e rpi_exchange_lock_break={holder.run_id}.",
                       f"rpi_exchange_lock_break is '{break_run_id}', but the server is locked by {_holder_text(holder, 'en')}. "
                       f"Nothing was changed. If you checked that run is no longer going, use -e rpi_exchange_lock_break={holder.run_id}.")
    if holder.controller_host and holder.controller_host == me.controller_host and holder.controller_pid \
            and not process_alive(holder.controller_pid):
        return Verdict(TAKE_OVER, holder, OWNER_GONE,
                       f"Bloqueo abandonado por {_holder_text(holder, 'es')}: ese proceso ya no existe en este equipo de control; se retoma.",
                       f"Lock left by {_holder_text(holder, 'en')}: that process no longer exists on this controller; taken over.")
    started = holder.started_at()
    if started is not None and now - started > timedelta(hours=max_age_hours):
        return Verdict(TAKE_OVER, holder, EXPIRED,
                       f"Bloqueo de {_holder_text(holder, 'es')} con más de {max_age_hours:g} horas (rpi_exchange_lock_max_age_hours): se retoma.",
                       f"Lock of {_holder_text(holder, 'en')} older than {max_age_hours:g} hours (rpi_exchange_lock_max_age_hours): taken over.")
    return Verdict(REFUSE, holder, "",
                   f"El servidor está siendo instalado por {_holder_text(holder, 'es')}: no se inicia otra ejecución y no se cambió nada. "
                   "Espere a que termine. Si está seguro de que ya no corre (por ejemplo, el equipo de control se apagó), vuelva a ejecutar con "
                   f"-e rpi_exchange_lock_break={holder.run_id}.",
                   f"The server is being installed by {_holder_text(holder, 'en')}: no second run starts and nothing was changed. "
                   "Wait for it to end. If you are sure it is no longer going (for example, its controller was switched off), run again with "
                   f"-e rpi_exchange_lock_break={holder.run_id}.")


def lock_evidence(verdict: Verdict, me: LockRecord, check_mode: bool, path: str = LOCK_PATH) -> dict[str, Any]:
    """The report's evidence for the lock this run took (or, in check mode, would take), at `path` as the server has it."""
    details: dict[str, Any] = {"run_id": me.run_id, "path": path, "verdict": verdict.action}
    if verdict.holder is not None and verdict.action != HELD:
        details["previous_holder"] = asdict(verdict.holder)
        details["reason"] = verdict.reason
    if verdict.action == TAKE_OVER:
        return Evidence(kind="notice", level="warning", summary_es=verdict.message_es, summary_en=verdict.message_en, details=details).as_dict()
    if check_mode:
        return Evidence(kind="check", level="info",
                        summary_es="Simulación: una ejecución real tomaría aquí el bloqueo del servidor.",
                        summary_en="Dry run: a real run would take the server's lock here.", details=details).as_dict()
    return Evidence(kind="check", level="ok",
                    summary_es=f"Bloqueo del servidor tomado por esta ejecución ({me.run_id}): ninguna otra puede cambiarlo a la vez.",
                    summary_en=f"Server lock taken by this run ({me.run_id}): no other run can change it at the same time.", details=details).as_dict()
