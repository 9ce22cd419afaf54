# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 1: the IT Head's instruction that every run must carry.

The manual's first activity is the Encargado de TI instructing the technician "de acuerdo con su
planificación". A run carries that instruction (who instructed, a memo or ticket reference, and
the planned date or window); without it nothing on the server changes. Running outside the
planned window is the IT Head's call, not ours: it is allowed, warned and written in the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

# Guatemala keeps UTC-6 all year (no daylight saving time), so a window written without an
# offset is read in RPI local time.
RPI_UTC_OFFSET = timezone(timedelta(hours=-6), "America/Guatemala")
VARIABLE = "rpi_exchange_instruction"
MAX_WINDOW = timedelta(days=31)
MIN_TEXT = 3


@dataclass(frozen=True)
class InstructionProblem:
    field: str
    es: str
    en: str

    def message(self, language: str = "es") -> str:
        return f"{VARIABLE}.{self.field}: {self.es if language == 'es' else self.en}"


@dataclass
class Instruction:
    instructed_by: str
    reference: str
    window_start: datetime
    window_end: datetime
    notes: str = ""
    problems: list[InstructionProblem] = field(default_factory=list)

    def within_window(self, moment: datetime) -> bool:
        return self.window_start <= moment <= self.window_end

    def as_record(self) -> dict[str, Any]:
        return {"instructed_by": self.instructed_by, "reference": self.reference,
                "window_start": self.window_start.isoformat(), "window_end": self.window_end.isoformat(),
                "notes": self.notes}


def _text(raw: dict, name: str, problems: list[InstructionProblem], what_es: str, what_en: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or len(value.strip()) < MIN_TEXT:
        problems.append(InstructionProblem(
            name, f"falta {what_es}. Escríbalo tal como consta en la instrucción del Encargado de TI.",
            f"{what_en} is missing. Write it as the IT Head's instruction states it."))
        return ""
    return value.strip()


def _moment(value: Any, *, end_of_day: bool) -> datetime | None:
    """A date or an ISO 8601 date-time; a bare date covers the whole RPI day."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.max if end_of_day else time.min)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("Z", "+00:00")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return None
        if len(text) == 10:  # a date only
            moment = datetime.combine(moment.date(), time.max if end_of_day else time.min)
    else:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=RPI_UTC_OFFSET)


def _window(raw: dict, problems: list[InstructionProblem]) -> tuple[datetime | None, datetime | None]:
    if raw.get("planned_date") and not raw.get("window_start"):
        start = _moment(raw["planned_date"], end_of_day=False)
        end = _moment(raw["planned_date"], end_of_day=True)
        if start is None:
            problems.append(InstructionProblem("planned_date", "no es una fecha válida; use AAAA-MM-DD, por ejemplo 2026-11-27.",
                                               "is not a valid date; use YYYY-MM-DD, e.g. 2026-11-27."))
        return start, end
    start = _moment(raw.get("window_start"), end_of_day=False)
    end = _moment(raw.get("window_end"), end_of_day=True)
    for name, value in (("window_start", start), ("window_end", end)):
        if value is None:
            problems.append(InstructionProblem(
                name, "falta o no es una fecha y hora válida; use AAAA-MM-DDTHH:MM (hora de Guatemala), "
                      "por ejemplo 2026-11-27T18:00, o indique planned_date.",
                "is missing or not a valid date and time; use YYYY-MM-DDTHH:MM (Guatemala time), "
                "e.g. 2026-11-27T18:00, or give planned_date."))
    if start and end:
        if end <= start:
            problems.append(InstructionProblem("window_end", "debe ser posterior a window_start.", "must be after window_start."))
        elif end - start > MAX_WINDOW:
            problems.append(InstructionProblem("window_end", "la ventana planificada excede 31 días; pida al Encargado de TI una fecha concreta.",
                                               "the planned window exceeds 31 days; ask the IT Head for a definite date."))
    return start, end


def parse_instruction(raw: Any) -> Instruction:
    """Read the instruction; `problems` lists everything wrong with it (empty when usable)."""
    problems: list[InstructionProblem] = []
    if not isinstance(raw, dict) or not raw:
        problems.append(InstructionProblem(
            "instructed_by",
            "la ejecución no lleva la instrucción del Encargado de TI (actividad 1). Indique quién instruyó, la referencia "
            "(memorando o ticket) y la fecha o ventana planificada, por ejemplo: -e @instruccion.yml con "
            "rpi_exchange_instruction: {instructed_by: ..., reference: ..., window_start: ..., window_end: ...}.",
            "the run carries no instruction from the IT Head (activity 1). Give who instructed, the reference (memo or "
            "ticket) and the planned date or window, e.g. -e @instruction.yml with rpi_exchange_instruction: {...}."))
        return Instruction("", "", datetime.min.replace(tzinfo=timezone.utc), datetime.min.replace(tzinfo=timezone.utc),
                           problems=problems)
    who = _text(raw, "instructed_by", problems, "quién instruyó la instalación", "who instructed the installation")
    reference = _text(raw, "reference", problems, "la referencia del memorando o ticket", "the memo or ticket reference")
    start, end = _window(raw, problems)
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    return Instruction(who, reference, start or epoch, end or epoch, str(raw.get("notes") or "").strip(), problems)


def instruction_evidence(instruction: Instruction, now: datetime) -> dict[str, Any]:
    inside = instruction.within_window(now)
    window = f"{instruction.window_start:%Y-%m-%d %H:%M} – {instruction.window_end:%Y-%m-%d %H:%M} (UTC{instruction.window_start:%z})"
    return {
        "kind": "instruction",
        "level": "ok" if inside else "warning",
        "summary_es": (f"Instrucción de {instruction.instructed_by}, referencia {instruction.reference}, ventana {window}"
                       + ("" if inside else ". ATENCIÓN: la ejecución ocurre fuera de la ventana planificada.")),
        "summary_en": (f"Instruction from {instruction.instructed_by}, reference {instruction.reference}, window {window}"
                       + ("" if inside else ". WARNING: the run happens outside the planned window.")),
        "details": {**instruction.as_record(), "run_started": now.isoformat(), "within_window": inside},
    }
