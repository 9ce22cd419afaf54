# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress a person can read on the console while a long wait runs (issue 18): one line per new phase.

Setup runs for an hour or more and ansible-playbook prints nothing for a running task. The
technician sees one line each time setup enters a new phase (never one per poll), with the
elapsed time and, where the log allows it, how far along it is:

    ex01 · Setup de Exchange · Fase 9/15 · Rol de buzón: servicios de transporte · 23 min

Two parts:

* `progress_line` and `ProgressPrinter`: the line and its de-duplication, for any long wait
  (setup, a security update's own phases, a restart). The printer takes a key, the phase's
  labels (es, en), the elapsed seconds and optionally n/N, and emits only when the key changes.
* `SetupProgress`: which of setup's console phases a log position is, and its n/N.

Setup's phases are its own console's, in its order (exchange-facts §4.2, unattended console
output): "Configuring Prerequisites", "Prerequisite Analysis", then "Preparing Setup" ...
"Finalizing Setup"; an upgrade adds "Language Files", "Removing Exchange Files" and
"Preparing Files" before the copy; /PrepareSchema and /PrepareAD runs (or an install that
needs them, "Schema Update Required Status : 'True'" in the log's header) show "Extending
Active Directory schema" and "Organization Preparation" after the analysis. The log does not
print the console's names: each phase is recognised by the task setup logs for it ("Setup
launched task 'Install-BridgeheadRole ...'") or, failing that, by the description of the
component in progress ("Processing component 'Bridgehead Role Setter' (Configuring the Mailbox
role: Transport service.)"). A task that several phases run (install-msipackage copies the
files and then the language files) is placed at the next phase after the current one that
runs it. The task names of some phases are the simulator's [UNCONFIRMED] (tests/simulator/
exchange/steps.py): an unknown task keeps the current phase, nothing is guessed.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

SEPARATOR = " · "
# What the setup watch's lines are about (the security update and the restarts name their own).
SETUP_SUBJECT = ("Setup de Exchange", "Exchange Setup")
RESTART_SUBJECT = ("Reinicio del servidor", "Server restart")
# Beside the run's report: the last phase setup reached, for the report of a run whose controller stopped while setup ran.
PROGRESS_FILE = "setup_progress.json"
# install-msipackage installs Exchange's own package (the file copy) and then the language files: the package path tells
# them apart (ExchangeSetup_MSI_3.log: -packagepath 'C:\ExchangeCU23\exchangeserver.msi').
EXCHANGE_PACKAGE = "install-msipackage#exchangeserver.msi"


@dataclass(frozen=True)
class Phase:
    key: str
    es: str
    en: str  # the console's own name (exchange-facts §4.2)
    tasks: tuple[str, ...] = ()  # log task names, lower case (for role tasks: the part after the verb, e.g. "bridgeheadrole")
    described: tuple[str, ...] = ()  # component descriptions, lower case, without the final dot

    def label(self, language: str) -> str:
        return i18n.text(language, self.es, self.en)


PHASES: dict[str, Phase] = {phase.key: phase for phase in (
    Phase("configuring_prerequisites", "Configurando los prerrequisitos", "Configuring Prerequisites",
          ("start-preconfiguration",)),
    Phase("prerequisite_analysis", "Análisis de prerrequisitos", "Prerequisite Analysis", ("test-setupprerequisites",)),
    Phase("schema", "Extendiendo el esquema de Active Directory", "Extending Active Directory schema",
          ("install-exchangeorganization",), ("updating the active directory schema", "updating the resource property schema")),
    Phase("organization", "Preparando la organización de Exchange", "Organization Preparation",
          ("install-exchangeorganization",), ("creating exchange configuration objects in active directory",)),
    Phase("domain", "Preparando el dominio", "Prepare Domain Progress", ("install-exchangeorganization",)),
    Phase("preparing_setup", "Preparando Setup", "Preparing Setup", ("start-preconfiguration", "start-presetup")),
    Phase("stopping_services", "Deteniendo servicios", "Stopping Services", ("start-prefilecopy",)),
    Phase("language_files", "Archivos de idioma", "Language Files", ("install-msipackage",)),
    Phase("removing_files", "Quitando archivos de Exchange", "Removing Exchange Files", ("uninstall-msipackage",)),
    Phase("preparing_files", "Preparando archivos", "Preparing Files", ("start-midfilecopy",)),
    Phase("copying_files", "Copiando archivos de Exchange", "Copying Exchange Files", (EXCHANGE_PACKAGE,)),
    Phase("restoring_services", "Restaurando servicios", "Restoring Services", ("start-postfilecopy",)),
    Phase("language_configuration", "Configuración de idiomas", "Language Configuration", ("install-languages",)),
    Phase("management_tools", "Herramientas de administración de Exchange", "Exchange Management Tools",
          ("admintoolsrole",), ("configuring exchange management tools",)),
    Phase("transport", "Rol de buzón: servicios de transporte", "Mailbox role: Transport service", ("bridgeheadrole",),
          ("configuring the mailbox role: transport service",)),
    Phase("client_access", "Rol de buzón: servicios de acceso de clientes", "Mailbox role: Client Access service",
          ("clientaccessrole",), ("configuring the mailbox role: client access service",)),
    Phase("mailbox", "Rol de buzón: servicio de buzón", "Mailbox role: Mailbox service", ("mailboxrole",),
          ("configuring the mailbox role: mailbox service",)),
    Phase("frontend_transport", "Rol de buzón: servicio de transporte front-end", "Mailbox role: Front End Transport service",
          ("frontendtransportrole",), ("configuring the mailbox role: front end transport service",)),
    Phase("client_access_frontend", "Rol de buzón: servicio front-end de acceso de clientes",
          "Mailbox role: Client Access Front End service", ("caferole",),
          ("configuring the mailbox role: client access front end service",)),
    Phase("finalizing", "Finalizando Setup", "Finalizing Setup", ("start-postsetup",)),
)}

_PREREQUISITES = ("configuring_prerequisites", "prerequisite_analysis")
_MAILBOX_ROLES = ("transport", "client_access", "mailbox", "frontend_transport", "client_access_frontend")
# Setup's role tasks are "<verb>-<Role>" (Install-, BuildToBuildUpgrade-, DisasterRecovery- [UNCONFIRMED the last]).
_ROLE_TASK = re.compile(r"^(install|buildtobuildupgrade|disasterrecovery|uninstall)-(\w+role)$")
_TASK_START = re.compile(r"^\[(\d\d)/(\d\d)/(\d{4}) ([\d:.]+)\] \[\d\] Setup launched task '([^' ]+)(.*)$", re.M)
_HEADER_PREPARE = re.compile(r"Command Line Parameter Name='(prepare\w+)'", re.I)
_HEADER_MODE = re.compile(r"The installation mode is set to: '(\w+)'")
_HEADER_SCHEMA = re.compile(r"Schema Update Required Status : '(\w+)'")
_HEADER_ORG = re.compile(r"Organization Configuration Update Required Status : '(\w+)'")
UPGRADE_MODES = ("upgrade", "buildtobuildupgrade")


def plan(mode: str | None, role: str | None = "Mailbox", *, schema: bool = False, organization: bool = False,
         prepare: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The phases setup's console shows for this run, in order. `mode`: install, upgrade, recover (or setup's own
    'BuildToBuildUpgrade', 'DisasterRecovery'); `prepare`: the /Prepare* switches of an AD-only run."""
    if prepare:
        wanted = {name.lower() for name in prepare}
        phases = ["prerequisite_analysis"]
        if "prepareschema" in wanted or ("preparead" in wanted and schema):
            phases.append("schema")
        if wanted & {"preparead", "preparealldomains"}:
            phases.append("organization")
        elif "preparedomain" in wanted:
            phases.append("domain")
        return tuple(phases)
    phases = list(_PREREQUISITES) + (["schema"] if schema else []) + (["organization"] if organization else [])
    phases += ["preparing_setup", "stopping_services"]
    if (mode or "").lower() in UPGRADE_MODES:
        phases += ["language_files", "removing_files", "preparing_files"]
    phases += ["copying_files", "language_files", "restoring_services", "language_configuration", "management_tools"]
    if (role or "Mailbox").lower() == "mailbox":
        phases += list(_MAILBOX_ROLES)
    phases.append("finalizing")
    return tuple(phases)


def _matches(phase: Phase, task: str, description: str) -> bool:
    if task:
        role_task = _ROLE_TASK.match(task)
        return (role_task.group(2) if role_task else task) in phase.tasks
    return bool(description) and description in phase.described


@dataclass(frozen=True)
class Position:
    """A phase of a run's plan: `index` is 1-based; `index`/`total` are None when the phase is not in the plan."""

    key: str
    label_es: str
    label_en: str
    index: int | None = None
    total: int | None = None
    elapsed_seconds: float = 0.0

    def label(self, language: str) -> str:
        return i18n.text(language, self.label_es, self.label_en)

    def counter(self, language: str) -> str:
        """"Fase 9/15" (empty when the plan does not place it)."""
        if self.index is None or not self.total:
            return ""
        return f"{i18n.text(language, 'Fase', 'Phase')} {self.index}/{self.total}"

    def text(self, language: str) -> str:
        """"Fase 9/15 · Rol de buzón: servicios de transporte" (the phase alone when it has no place)."""
        return SEPARATOR.join(part for part in (self.counter(language), self.label(language)) if part)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "index": self.index, "total": self.total, "label_es": self.label_es,
                "label_en": self.label_en, "elapsed_seconds": round(self.elapsed_seconds, 1)}


class SetupProgress:
    """Follows setup's log to its console phases. `observe` is given the run's log text (as followed so far) and the
    triage's `progress` (whose `step` is the description of the component in progress); it returns a Position when
    setup entered another phase, None otherwise."""

    def __init__(self, mode: str | None, role: str | None = "Mailbox", prepare: tuple[str, ...] = ()):
        self.mode = mode
        self.role = role
        self.prepare = tuple(prepare)
        self._header_read = False
        self.phases = plan(mode, role, prepare=self.prepare)
        self.current: Position | None = None
        self._cursor = -1  # index in self.phases of the current phase
        self._seen: set[tuple[tuple[int, ...], str]] = set()
        self._last_stamp: tuple[int, ...] = ()

    def _read_header(self, text: str) -> None:
        """The run's header says the mode and whether this install also extends the schema or prepares the organization;
        read once (a follower that attached mid-run may never see it: the plan stays as the action's mode says)."""
        if self._header_read or not text:
            return
        mode = _HEADER_MODE.search(text)
        if mode is None:
            return
        self._header_read = True
        # An Active Directory preparation (/PrepareSchema, /PrepareAD ...) says so in its parameters, not in its mode.
        self.prepare = self.prepare or tuple(dict.fromkeys(name.lower() for name in _HEADER_PREPARE.findall(text[:mode.start()])))
        if self.prepare:
            schema = _HEADER_SCHEMA.search(text)
            self.phases = plan(None, None, schema=bool(schema and schema.group(1).lower() == "true"), prepare=self.prepare)
            self._cursor = -1
            return
        schema, organization = _HEADER_SCHEMA.search(text), _HEADER_ORG.search(text)
        if mode.group(1).lower() in UPGRADE_MODES:
            self.mode = "upgrade"
        current_key = self.phases[self._cursor] if self._cursor >= 0 else None
        self.phases = plan(self.mode, self.role, schema=bool(schema and schema.group(1).lower() == "true"),
                           organization=bool(organization and organization.group(1).lower() == "true"))
        self._cursor = self.phases.index(current_key) if current_key in self.phases else -1

    def _place(self, task: str, description: str, after: int) -> int | None:
        """The first phase at or after `after` that runs this task (or shows this description); for a task the plan
        places only earlier (a run that goes back), the first phase that runs it."""
        candidates = [index for index, key in enumerate(self.phases) if _matches(PHASES[key], task, description)]
        if not candidates:
            return None
        later = [index for index in candidates if index >= after]
        return later[0] if later else (candidates[0] if task else None)

    def _new_starts(self, text: str) -> list[str]:
        """The tasks setup started since the last look, in order ("Setup launched task 'X ...'"): a task that runs twice
        (uninstall, then install) is two starts; a start seen before is never counted again, however the kept
        text was trimmed."""
        starts = []
        for found in _TASK_START.finditer(text or ""):
            month, day, year, clock = found.group(1), found.group(2), found.group(3), found.group(4)
            stamp = (int(year), int(month), int(day), *(int(part) for part in re.split(r"[:.]", clock)))
            identity = (stamp, found.group(5).lower())
            if stamp < self._last_stamp or identity in self._seen:
                continue
            self._seen.add(identity)
            self._last_stamp = stamp
            task = found.group(5).lower()
            starts.append(EXCHANGE_PACKAGE if task == "install-msipackage" and "exchangeserver.msi" in found.group(6).lower()
                          else task)
        return starts

    def observe(self, progress: Mapping[str, Any] | None, elapsed_seconds: float, text: str = "") -> Position | None:
        self._read_header(text)
        cursor = self._cursor
        for task in self._new_starts(text):
            index = self._place(task, "", cursor + 1)
            cursor = index if index is not None else cursor
        # The component in progress: Install-ExchangeOrganization extends the schema, then prepares the organization; a
        # role's description places a run whose task names are not known. Never backwards (a description outlives its task).
        description = str((progress or {}).get("step") or "").strip().lower().rstrip(".")
        if description:
            index = self._place("", description, cursor)
            if index is not None and index > cursor and (cursor < 0 or self._shares_task(cursor, index)):
                cursor = index
        if cursor == self._cursor or cursor < 0:
            return None
        self._cursor = cursor
        phase = PHASES[self.phases[cursor]]
        self.current = Position(phase.key, phase.es, phase.en, cursor + 1, len(self.phases), elapsed_seconds)
        return self.current

    def _shares_task(self, current: int, later: int) -> bool:
        """A description moves setup on within the same task (schema -> organization), or past a phase whose task was
        not seen at all."""
        return bool(set(PHASES[self.phases[current]].tasks) & set(PHASES[self.phases[later]].tasks)) or later == current + 1


def elapsed_text(seconds: float, language: str = "es") -> str:
    """"23 min", "1 h 05 min", "menos de 1 min"."""
    minutes = int(max(0.0, seconds) // 60)
    if minutes < 1:
        return i18n.text(language, "menos de 1 min", "under 1 min")
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def progress_line(what: str, elapsed_seconds: float, *, language: str = "es", subject: str | None = None,
                  host: str | None = None) -> str:
    """One console line: "ex01 · Setup de Exchange · Fase 9/15 · Rol de buzón: servicios de transporte · 23 min"."""
    return SEPARATOR.join(part for part in (host, subject, what, elapsed_text(elapsed_seconds, language)) if part)


def end_line(succeeded: bool, reached: Position | None, elapsed_seconds: float, *, language: str = "es",
             subject: tuple[str, str] | None = None, host: str | None = None) -> str:
    """The line that closes a watched wait: "terminó correctamente", or the last phase reached when it did not."""
    if succeeded:
        what = i18n.text(language, "terminó correctamente", "completed successfully")
    elif reached is not None:
        what = i18n.text(language, "no terminó correctamente; última fase: ", "did not complete; last phase: ") + reached.text(language)
    else:
        what = i18n.text(language, "no terminó correctamente, antes de su primera fase",
                         "did not complete, before its first phase")
    return progress_line(what, elapsed_seconds, language=language, subject=i18n.text(language, *subject) if subject else None,
                         host=host)


def restart_lines(language: str, timeout_seconds: float, *, host: str | None = None
                  ) -> tuple[str, Callable[[bool, float], str]]:
    """A restart's two lines: the one said when it starts, and a function for the one said when the server is back
    (or did not come back within `timeout_seconds`)."""
    subject = i18n.text(language, *RESTART_SUBJECT)
    limit = elapsed_text(timeout_seconds, language)
    started = progress_line(i18n.text(language, f"esperando a que el servidor vuelva (máximo {limit})",
                                      f"waiting for the server to come back (at most {limit})"),
                            0.0, language=language, subject=subject, host=host)

    def ended(back: bool, elapsed_seconds: float) -> str:
        what = (i18n.text(language, "el servidor volvió", "the server is back") if back
                else i18n.text(language, "el servidor no volvió a tiempo", "the server did not come back in time"))
        return progress_line(what, elapsed_seconds, language=language, subject=subject, host=host)

    return started, ended


class ProgressPrinter:
    """Emits a progress line only when the phase changes (never one per poll). `emit` prints (Display().display in an
    action); `subject` names the wait ("Setup de Exchange", "Actualización de seguridad", "Reinicio del servidor")."""

    def __init__(self, emit: Callable[[str], None], *, language: str = "es", subject: tuple[str, str] | None = None,
                 host: str | None = None):
        self.emit = emit
        self.language = language
        self.subject = i18n.text(language, *subject) if subject else None
        self.host = host
        self.lines: list[str] = []
        self._last: tuple[str, int | None] | None = None

    def phase(self, key: str, label_es: str, label_en: str, elapsed_seconds: float, *, index: int | None = None,
              total: int | None = None) -> str | None:
        """Print the phase `key` (labels in both languages, optional n/N); None when it is the phase already shown."""
        return self.position(Position(key, label_es, label_en, index, total, elapsed_seconds))

    def position(self, position: Position | None) -> str | None:
        if position is None or (position.key, position.index) == self._last:
            return None
        self._last = (position.key, position.index)
        line = progress_line(position.text(self.language), position.elapsed_seconds, language=self.language,
                             subject=self.subject, host=self.host)
        self.lines.append(line)
        self.emit(line)
        return line


def save_reached(run_dir: str | os.PathLike[str] | None, position: Position | None) -> bool:
    """Write the phase setup reached beside the run's report (the action does not live to return it when the controller
    stops: the report callback reads it, see load_reached). False when there is no report folder or it cannot be written."""
    if not run_dir or position is None or not Path(run_dir).is_dir():
        return False
    handle, temporary = tempfile.mkstemp(prefix=f".{PROGRESS_FILE}.", dir=str(run_dir))
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(position.as_dict(), stream, ensure_ascii=False)
        os.chmod(temporary, 0o644)
        os.replace(temporary, Path(run_dir) / PROGRESS_FILE)
    except OSError:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True


def load_reached(run_dir: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    """The phase save_reached wrote for this run (Position.as_dict()), or None."""
    if not run_dir:
        return None
    try:
        value = json.loads((Path(run_dir) / PROGRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(value, dict) or not value.get("key") or not value.get("label_es"):
        return None
    fields = ("key", "index", "total", "label_es", "label_en", "elapsed_seconds")
    return {name: value[name] for name in fields if name in value}
