# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 1: the IT Head's instruction that every run must carry.

The manual's first activity is the Encargado de TI instructing the technician "de acuerdo con su
planificación". A run carries that instruction (who instructed, a memo or ticket reference, and
the planned date or window); without it nothing on the server changes.

The instruction authorises a change only inside its planned window (norms 5.2 and 5.3: the IT Head
plans and supervises; 5.6: what he did not plan is his to decide, not ours). A run that starts
before the window or after it is refused before anything is sent to the server, and the IT Head
must issue a new instruction. A dry run (`--check`) changes nothing, so it may still plan outside
the window; its report says so. The controller's clock and the IT Head's are allowed to differ by
CLOCK_TOLERANCE (the default maximum clock skew Kerberos accepts in an Active Directory domain).

What the instruction orders is the procedure itself (install, cumulative update or version upgrade: norm 5.4 makes them
one), unless it says otherwise in `purpose`: `recover_server` orders rebuilding a lost server with /Mode:RecoverServer
(a server whose object Active Directory keeps, with no Exchange on the machine). Without it such a server is refused in
activity 3 (plugin_utils/_setup/mode.py, decision 7): norm 5.6, what the IT Head did not order is not done.

A window written without a UTC offset is read in Guatemala's time zone, unless the instruction
names another (`timezone`, an IANA name such as America/Mexico_City); a value that carries its own
offset (`2026-11-27T18:00-05:00`, `...Z`) is taken as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover - Python 3.9+ has zoneinfo; the controller runs 3.11+
    ZoneInfo = None  # type: ignore[assignment,misc]
    ZoneInfoNotFoundError = KeyError  # type: ignore[assignment,misc]

GUATEMALA = "America/Guatemala"
# Guatemala keeps UTC-6 all year (no daylight saving time since 2006), so its zone needs no tz database.
RPI_UTC_OFFSET = timezone(timedelta(hours=-6), GUATEMALA)
VARIABLE = "rpi_exchange_instruction"
MAX_WINDOW = timedelta(days=31)
MIN_TEXT = 3
# How far the controller's clock may be from the IT Head's: Kerberos' default maximum clock skew.
CLOCK_TOLERANCE = timedelta(minutes=5)
# The purposes an instruction may name (`purpose`); none: the procedure as norm 5.4 describes it.
PURPOSE_RECOVER_SERVER = "recover_server"
PURPOSES = (PURPOSE_RECOVER_SERVER,)

INSIDE = "inside"
TOLERANCE = "tolerance"
BEFORE = "before"
AFTER = "after"


@dataclass(frozen=True)
class InstructionProblem:
    field: str
    es: str
    en: str

    def message(self, language: str = "es") -> str:
        return f"{VARIABLE}.{self.field}: {i18n.text(language, self.es, self.en)}"


@dataclass
class Instruction:
    instructed_by: str
    reference: str
    window_start: datetime
    window_end: datetime
    notes: str = ""
    problems: list[InstructionProblem] = field(default_factory=list)
    zone: tzinfo = RPI_UTC_OFFSET
    zone_name: str = GUATEMALA
    purpose: str = ""

    def within_window(self, moment: datetime) -> bool:
        """Strictly inside the planned window (no clock tolerance; decide_window applies it)."""
        return self.window_start <= moment <= self.window_end

    def local(self, moment: datetime) -> datetime:
        """A moment in the instruction's time zone (Guatemala unless it names another)."""
        return moment.astimezone(self.zone)

    def zone_label(self, language: str = "es") -> str:
        offset = _offset_text(self.local(self.window_start))
        if self.zone_name == GUATEMALA:
            return i18n.text(language, f"hora de Guatemala, {offset}", f"Guatemala time, {offset}")
        return f"{self.zone_name}, {offset}"

    def window_text(self, language: str = "es") -> str:
        start, end = self.local(self.window_start), self.local(self.window_end)
        if language == "es":
            return f"del {start:%Y-%m-%d %H:%M} al {end:%Y-%m-%d %H:%M} ({self.zone_label(language)})"
        return f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} ({self.zone_label(language)})"

    def as_record(self) -> dict[str, Any]:
        return {"instructed_by": self.instructed_by, "reference": self.reference,
                "window_start": self.window_start.isoformat(), "window_end": self.window_end.isoformat(),
                "timezone": self.zone_name, "notes": self.notes, **({"purpose": self.purpose} if self.purpose else {})}


def _offset_text(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _text(raw: dict, name: str, problems: list[InstructionProblem], what_es: str, what_en: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or len(value.strip()) < MIN_TEXT:
        problems.append(InstructionProblem(
            name, f"falta {what_es}. Escríbalo tal como consta en la instrucción del Encargado de TI.",
            f"{what_en} is missing. Write it as the IT Head's instruction states it."))
        return ""
    return value.strip()


def _zone(raw: dict, problems: list[InstructionProblem]) -> tuple[tzinfo, str]:
    """The instruction's time zone: its `timezone` (an IANA name), else Guatemala's."""
    name = raw.get("timezone")
    if name is None or (isinstance(name, str) and name.strip() in ("", GUATEMALA)):
        return RPI_UTC_OFFSET, GUATEMALA
    if isinstance(name, str) and ZoneInfo is not None:
        try:
            return ZoneInfo(name.strip()), name.strip()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    problems.append(InstructionProblem(
        "timezone", f"«{name}» no es una zona horaria conocida. Use un nombre IANA, por ejemplo America/Mexico_City, u omítalo "
                    "para leer la ventana en hora de Guatemala.",
        f"'{name}' is not a known time zone. Use an IANA name, e.g. America/Mexico_City, or leave it out to read the window "
        "in Guatemala time."))
    return RPI_UTC_OFFSET, GUATEMALA


def _moment(value: Any, *, end_of_day: bool, zone: tzinfo = RPI_UTC_OFFSET) -> datetime | None:
    """A date or an ISO 8601 date-time; a bare date covers the whole day in the instruction's zone."""
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
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _window(raw: dict, problems: list[InstructionProblem], zone: tzinfo) -> tuple[datetime | None, datetime | None]:
    if raw.get("planned_date") and not raw.get("window_start"):
        start = _moment(raw["planned_date"], end_of_day=False, zone=zone)
        end = _moment(raw["planned_date"], end_of_day=True, zone=zone)
        if start is None:
            problems.append(InstructionProblem("planned_date", "no es una fecha válida; use AAAA-MM-DD, por ejemplo 2026-11-27.",
                                               "is not a valid date; use YYYY-MM-DD, e.g. 2026-11-27."))
        return start, end
    start = _moment(raw.get("window_start"), end_of_day=False, zone=zone)
    end = _moment(raw.get("window_end"), end_of_day=True, zone=zone)
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


def _purpose(raw: dict, problems: list[InstructionProblem]) -> str:
    value = raw.get("purpose")
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    text = str(value).strip().lower() if isinstance(value, str) else ""
    if text in PURPOSES:
        return text
    problems.append(InstructionProblem(
        "purpose", f"«{value}» no es un propósito que este procedimiento conozca. Use recover_server solo si el Encargado de TI "
                   "ordena recuperar un servidor perdido (/Mode:RecoverServer), u omítalo para instalar o actualizar.",
        f"'{value}' is not a purpose this procedure knows. Use recover_server only if the IT Head orders recovering a lost "
        "server (/Mode:RecoverServer), or leave it out to install or update."))
    return ""


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
    zone, zone_name = _zone(raw, problems)
    start, end = _window(raw, problems, zone)
    purpose = _purpose(raw, problems)
    epoch = datetime.min.replace(tzinfo=timezone.utc)
    return Instruction(who, reference, start or epoch, end or epoch, str(raw.get("notes") or "").strip(), problems, zone, zone_name,
                       purpose)


def _span(delta: timedelta, language: str) -> str:
    """A duration in words, to the minute, in its two largest units: "8 días y 3 horas", "12 minutes"."""
    minutes = max(1, int(abs(delta).total_seconds() + 59) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    names = {"es": (("día", "días"), ("hora", "horas"), ("minuto", "minutos")),
             "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes"))}[i18n.text(language, "es", "en")]
    parts = [f"{count} {name[0] if count == 1 else name[1]}" for count, name in zip((days, hours, minutes), names) if count]
    return i18n.text(language, " y ", " and ").join(parts[:2])


@dataclass(frozen=True)
class WindowDecision:
    """Whether the instruction authorises this run at `now`: inside its window, or refused (a dry run only plans)."""

    instruction: Instruction
    now: datetime
    position: str  # INSIDE, TOLERANCE (outside, but within the clock tolerance), BEFORE or AFTER
    check_mode: bool
    tolerance: timedelta

    @property
    def within_window(self) -> bool:
        return self.position in (INSIDE, TOLERANCE)

    @property
    def allowed(self) -> bool:
        """A run outside the window changes nothing only if it is a dry run."""
        return self.within_window or self.check_mode

    @property
    def level(self) -> str:
        if self.within_window:
            return "ok"
        return "warning" if self.check_mode else "error"

    def _distance(self) -> timedelta:
        if self.position == BEFORE or (self.position == TOLERANCE and self.now < self.instruction.window_start):
            return self.instruction.window_start - self.now
        return self.now - self.instruction.window_end

    def _tolerance_minutes(self) -> int:
        return int(self.tolerance.total_seconds()) // 60

    def _heading(self, language: str) -> str:
        who, reference = self.instruction.instructed_by, self.instruction.reference
        if language == "es":
            return f"Instrucción de {who}, referencia {reference}, ventana {self.instruction.window_text(language)}"
        return f"Instruction from {who}, reference {reference}, window {self.instruction.window_text(language)}"

    def _where(self, language: str) -> str:
        """Where the run stands against the window, in one sentence."""
        span = _span(self._distance(), language)
        now = f"{self.instruction.local(self.now):%Y-%m-%d %H:%M}"
        if language == "es":
            return (f"La ventana terminó hace {span} (ahora: {now})." if self.position == AFTER else
                    f"La ventana comienza dentro de {span} (ahora: {now}).")
        return (f"The window ended {span} ago (now: {now})." if self.position == AFTER else
                f"The window begins in {span} (now: {now}).")

    def message(self, language: str = "es") -> str:
        """The refusal a person reads: when the window was, and what to do. Empty when the run is allowed."""
        if self.allowed:
            return ""
        field_name = f"{VARIABLE}.window_end" if self.position == AFTER else f"{VARIABLE}.window_start"
        window = self.instruction.window_text(language)
        reference = self.instruction.reference
        minutes = self._tolerance_minutes()
        if language == "es":
            what = "ya no autoriza" if self.position == AFTER else "todavía no autoriza"
            fix = ("El Encargado de TI debe emitir una nueva instrucción cuya ventana incluya la ejecución"
                   if self.position == AFTER else
                   "Ejecute dentro de la ventana, o el Encargado de TI debe emitir una nueva instrucción cuya ventana incluya la ejecución")
            return (f"Actividad 1 (Encargado de TI instruye la instalación): {field_name}: la instrucción {reference} {what} cambios en "
                    f"el servidor; solo es válida dentro de su ventana planificada, {window}. {self._where(language)} "
                    f"No se cambia nada en el servidor. {fix} (rpi_exchange_instruction.window_start y window_end, o planned_date; "
                    f"normas 5.2 y 5.6). Se admite una diferencia de reloj de {minutes} minutos. Para solo planificar fuera de la ventana, "
                    "ejecute con --check.")
        what = "no longer authorises" if self.position == AFTER else "does not yet authorise"
        fix = ("The IT Head must issue a new instruction whose window includes the run" if self.position == AFTER else
               "Run inside the window, or the IT Head must issue a new instruction whose window includes the run")
        return (f"Activity 1 (the IT Head instructs the installation): {field_name}: instruction {reference} {what} changes to the "
                f"server; it is valid only inside its planned window, {window}. {self._where(language)} Nothing on the server is "
                f"changed. {fix} (rpi_exchange_instruction.window_start and window_end, or planned_date; norms 5.2 and 5.6). "
                f"A clock difference of {minutes} minutes is allowed. To only plan outside the window, run with --check.")

    def _summary(self, language: str) -> str:
        heading = self._heading(language)
        minutes = self._tolerance_minutes()
        if self.position == INSIDE:
            return heading
        if self.position == TOLERANCE:
            side_es = "antes del inicio" if self.now < self.instruction.window_start else "después del fin"
            side_en = "before the start" if self.now < self.instruction.window_start else "after the end"
            span = _span(self._distance(), language)
            return i18n.text(
                language,
                f"{heading}. La ejecución comenzó {span} {side_es} de la ventana, dentro de la tolerancia de reloj de {minutes} minutos.",
                f"{heading}. The run started {span} {side_en} of the window, within the clock tolerance of {minutes} minutes.")
        if self.check_mode:
            return i18n.text(
                language,
                f"{heading}. ATENCIÓN: simulacro fuera de la ventana planificada. {self._where(language)} Se planifica sin cambiar "
                "nada; una ejecución real será rechazada hasta que el Encargado de TI emita una nueva instrucción cuya ventana la incluya.",
                f"{heading}. WARNING: dry run outside the planned window. {self._where(language)} It plans without changing anything; "
                "a real run will be refused until the IT Head issues a new instruction whose window includes it.")
        return i18n.text(language, f"{heading}. RECHAZADA: la ejecución ocurre fuera de la ventana planificada. {self._where(language)} No se cambió nada en "
                                   "el servidor; el Encargado de TI debe emitir una nueva instrucción.",
                         f"{heading}. REFUSED: the run happens outside the planned window. {self._where(language)} Nothing on the server was "
                         "changed; the IT Head must issue a new instruction.")

    def evidence(self) -> dict[str, Any]:
        return Evidence(
            kind="instruction",
            level=self.level,
            summary_es=self._summary("es"),
            summary_en=self._summary("en"),
            details={**self.instruction.as_record(), "run_started": self.now.isoformat(), "within_window": self.within_window,
                     "position": self.position, "check_mode": self.check_mode, "refused": not self.allowed,
                     "clock_tolerance_minutes": self._tolerance_minutes()},
        ).as_dict()


def decide_window(instruction: Instruction, now: datetime, *, check_mode: bool = False,
                  tolerance: timedelta = CLOCK_TOLERANCE) -> WindowDecision:
    """Place `now` against the instruction's window; a `now` without an offset is in the instruction's time zone."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=instruction.zone)
    start, end = instruction.window_start, instruction.window_end
    if start <= now <= end:
        position = INSIDE
    elif start - tolerance <= now <= end + tolerance:
        position = TOLERANCE
    elif now < start:
        position = BEFORE
    else:
        position = AFTER
    return WindowDecision(instruction, now, position, bool(check_mode), tolerance)


def instruction_evidence(instruction: Instruction, now: datetime, check_mode: bool = False) -> dict[str, Any]:
    return decide_window(instruction, now, check_mode=check_mode).evidence()
