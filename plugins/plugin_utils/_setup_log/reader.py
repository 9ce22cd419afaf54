# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read an ExchangeSetup.log into the facts a diagnosis needs, in one pass.

ExchangeSetup.log is appended to by every run of setup, so only the part after the last
`Starting Microsoft Exchange Server ... Setup` banner describes the attempt that matters
(Microsoft's SetupLogReviewer reads it the same way). Each entry is
`[MM/dd/yyyy HH:mm:ss.ffff] [depth] text`; lines without that prefix continue the previous
entry (scripts, stack traces, AD responses). The reader walks those lines once, keeps only
what the rules look at, and never raises: a truncated or garbled log gives partial facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BANNER_TEXT = "Starting Microsoft Exchange Server "
_BANNER_TAIL = " Setup"
# Bounds that keep a pathological text (one 5 MB line, a loop of errors) linear: the rules
# only ever need the first and the last errors, and lines far longer than setup writes.
_MAX_CONTINUATION = 20
_MAX_SCRIPT_LINES = 600
_MAX_ERROR_CHARS = 6000
_MAX_SCRIPT_CHARS = 40000
_MAX_ERRORS = 200
_KEPT_FIRST_ERRORS = 100
_MAX_LINE = 2000
_MAX_ITEMS = 500
_BANNER_PREFIX_MAX = 64
_BANNER_LINE_MAX = 200

SUCCESS_TEXT = "The Exchange Server setup operation completed successfully"
FAILURE_TEXT = "The Exchange Server setup operation didn't complete"


@dataclass
class Entry:
    """One logged entry: where it starts, its nesting depth, its text and its continuation lines."""

    line: int
    time: str
    depth: int | None
    text: str
    more: list[str] = field(default_factory=list)
    tasks: tuple[str, ...] = ()

    @property
    def full_text(self) -> str:
        return "\n".join([self.text] + self.more) if self.more else self.text


@dataclass
class ScriptFailure:
    """A `The following error was generated when "<script>" was run: "<exception>"` entry."""

    line: int
    script: str
    exception: str


@dataclass
class RunFacts:
    """What one run of setup left in the log."""

    runs: int = 0
    banner: str = ""
    started: str = ""
    last_time: str = ""
    setup_version: str = ""
    user: str = ""
    parameters: list[tuple[str, str]] = field(default_factory=list)
    runtime_command: str = ""
    installation_mode: str = ""
    installed_version: str = ""
    previous_version: str = ""
    failed_rules: list[tuple[str, str, int]] = field(default_factory=list)
    required: list[tuple[str, int]] = field(default_factory=list)
    errors: list[Entry] = field(default_factory=list)
    script_failures: list[ScriptFailure] = field(default_factory=list)
    error_references: list[str] = field(default_factory=list)
    notes: list[Entry] = field(default_factory=list)
    prereq_failed: bool = False
    stopping: bool = False
    success_line: int = 0
    failure_line: int = 0
    end_of_setup: bool = False
    exit_code: int | None = None
    phase: str = ""
    component: str = ""
    task: str = ""
    progress_line: int = 0
    entries: int = 0
    task_stack: list[str] = field(default_factory=list)
    # Setup's copy of itself to a temporary folder: where to, and (wizard runs) the space it needed and found.
    copy_destination: str = ""
    disk_required: int | None = None
    disk_available: int | None = None


def _banner_line_start(text: str, position: int) -> int | None:
    """The offset of the line holding a real banner at `position`, or None for a mention elsewhere.

    Only a short window around `position` is examined: a banner line is short, and looking
    further would make a text full of mentions quadratic.
    """
    window = max(0, position - _BANNER_PREFIX_MAX)
    start = text.rfind("\n", window, position) + 1
    if start == 0 and window > 0:
        return None
    end = text.find("\n", position, position + _BANNER_LINE_MAX)
    if end == -1:
        if position + _BANNER_LINE_MAX < len(text):
            return None
        end = len(text)
    line = text[start:end].rstrip()
    prefix = line[:position - start]
    if not line.endswith(_BANNER_TAIL) or not (prefix == "" or prefix.endswith("] ")):
        return None
    return start


def last_run(text: str) -> tuple[str, int, int]:
    """(text of the last run, number of runs, 1-based line number where that run starts)."""
    starts = []
    position = text.find(BANNER_TEXT)
    while position != -1:
        start = _banner_line_start(text, position)
        if start is not None:
            starts.append(start)
        position = text.find(BANNER_TEXT, position + len(BANNER_TEXT))
    if not starts:
        return text, 0, 1
    return text[starts[-1]:], len(starts), text.count("\n", 0, starts[-1]) + 1


def _split_prefix(line: str) -> tuple[str, int, str] | None:
    """`[time] [depth] text` -> (time, depth, text); None when the line has no such prefix."""
    if not line.startswith("["):
        return None
    close = line.find("] [", 1, 40)
    if close == -1 or len(line) < close + 5 or line[close + 4] != "]" or not line[close + 3].isdigit():
        return None
    return line[1:close], int(line[close + 3]), line[close + 6:] if len(line) > close + 5 else ""


def _quoted(text: str, marker: str) -> str:
    """The value between the first pair of single quotes after `marker`."""
    start = text.find(marker)
    if start == -1:
        return ""
    start = text.find("'", start + len(marker))
    end = text.find("'", start + 1)
    return text[start + 1:end] if start != -1 and end != -1 else ""


def _copy_destination(text: str) -> str:
    """`Setup copy files from 'A' to 'B'` (wizard) or `Starting copy from A to B.` (unattended) -> B."""
    if text.startswith("Setup copy files from '"):
        return _quoted(text, "' to ")[:_MAX_LINE] or ""
    _source, separator, destination = text.rpartition(" to ")
    return destination.strip().rstrip(".")[:_MAX_LINE] if separator else ""


def _bytes(text: str) -> int | None:
    """`Disk space required: 1860028597 bytes.` -> 1860028597."""
    value = text.split(":", 1)[1].strip().split(" ", 1)[0]
    return int(value) if value.isdigit() else None


class _Reader:
    """The single pass. Kept as a class so each kind of line has one small handler."""

    def __init__(self, facts: RunFacts, first_line: int) -> None:
        self.facts = facts
        self.first_line = first_line
        self.current: Entry | None = None
        self.collecting = 0
        self.budget = 0

    def feed(self, lines: list[str]) -> None:
        for index, line in enumerate(lines):
            if line.endswith("\r"):
                line = line[:-1]
            parts = _split_prefix(line)
            if parts is None:
                self._continue(line)
                continue
            time, depth, text = parts
            self.facts.entries += 1
            self.facts.last_time = time
            self.current = Entry(self.first_line + index, time, depth, text[:_MAX_LINE])
            self.collecting = 0
            self._dispatch(self.current)

    def _continue(self, line: str) -> None:
        if self.current is None:
            # Text before the first prefixed line (a log cut at the front, or console output):
            # read it as an entry of its own so outcome lines are still seen.
            if line.strip():
                self.current = Entry(0, "", None, line.strip()[:_MAX_LINE])
                self._dispatch(self.current)
            return
        if len(self.current.more) < self.collecting and self.budget > 0:
            kept = line[:min(_MAX_LINE, self.budget)]
            self.budget -= len(kept) + 1
            self.current.more.append(kept)

    def _dispatch(self, entry: Entry) -> None:
        text = entry.text
        if text.startswith("[ERROR"):
            self._error(entry)
        elif text.startswith("Failed [Rule:"):
            self._failed_rule(entry)
        elif text.startswith("[REQUIRED] "):
            if len(self.facts.required) < _MAX_ITEMS:
                self.facts.required.append((text[len("[REQUIRED] "):].strip(), entry.line))
        elif text.startswith("Beginning processing "):
            task = text[len("Beginning processing "):].strip()
            if not self.facts.task_stack and entry.depth == 1 and not task.lower().startswith(("get-", "write-exchangesetuplog")):
                self._task_started(entry, task)
            self.facts.task_stack.append(task)
        elif text.startswith("Ending processing "):
            task = text[len("Ending processing "):].strip().lower()
            stack = self.facts.task_stack
            for position in range(len(stack) - 1, -1, -1):
                if stack[position].lower() == task:
                    del stack[position:]
                    break
        elif entry.depth == 0 or entry.depth is None:
            self._top_level(entry)
        elif text.startswith("Processing component "):
            self._progress(entry, "configuration", component=text)
        elif text.startswith("Setup launched task '") or text.startswith("Setup will run the task '"):
            self._task_started(entry, _quoted(text, "task").split(" ", 1)[0])
        elif "shared config DC. Error: " in text or "shared config DC. Exception: " in text:
            self.facts.notes = self.facts.notes[-4:] + [entry]
        elif text.startswith("Setup is stopping now because of one or more critical errors"):
            self.facts.stopping = True

    def _error(self, entry: Entry) -> None:
        text = entry.text
        if text.startswith("[ERROR-REFERENCE] "):
            reference = text.split("Id=", 1)[-1].split(" ", 1)[0]
            self.facts.error_references = self.facts.error_references[-19:] + [reference]
            return
        entry.text = text[len("[ERROR]"):].strip() if text.startswith("[ERROR]") else text
        entry.tasks = tuple(self.facts.task_stack)
        self.collecting, self.budget = _MAX_CONTINUATION, _MAX_ERROR_CHARS
        if entry.text.startswith("The following error was generated when "):
            self.collecting, self.budget = _MAX_SCRIPT_LINES, _MAX_SCRIPT_CHARS
            self.facts.script_failures = self.facts.script_failures[-49:] + [ScriptFailure(entry.line, "", "")]
        self._keep_error(entry)

    def _keep_error(self, entry: Entry) -> None:
        """Keep the first errors (the cause often comes first) and the latest ones (what stopped setup)."""
        errors = self.facts.errors
        errors.append(entry)
        if len(errors) > _MAX_ERRORS:
            del errors[_KEPT_FIRST_ERRORS]

    def _failed_rule(self, entry: Entry) -> None:
        text = entry.text
        rule = text[len("Failed [Rule:"):].split("]", 1)[0]
        message = text.split("[Message:", 1)[1] if "[Message:" in text else ""
        if len(self.facts.failed_rules) >= _MAX_ITEMS:
            return
        self.facts.failed_rules.append((rule, message[:-1] if message.endswith("]") else message, entry.line))
        self.facts.phase = "prerequisites"

    def _top_level(self, entry: Entry) -> None:
        facts, text = self.facts, entry.text
        if text.startswith("Setup version: "):
            facts.setup_version = facts.setup_version or text[len("Setup version: "):].strip().rstrip(".")
        elif text.startswith("Command Line Parameter Name='") and len(facts.parameters) < _MAX_ITEMS:
            facts.parameters.append((_quoted(text, "Name="), _quoted(text, "Value=")))
        elif text.startswith("The installation mode is set to: "):
            facts.installation_mode = _quoted(text, "set to:")
        elif text.startswith("Logged on user: "):
            facts.user = text[len("Logged on user: "):].strip().rstrip(".")
        elif text.startswith("RuntimeAssembly was started with the following command: "):
            facts.runtime_command = _quoted(text, "command:") or text.split("command: ", 1)[-1]
        elif text.startswith("The locally installed version is "):
            facts.installed_version = text[len("The locally installed version is "):].strip().rstrip(".")
        elif text.startswith("The backup copy of the previously installed version is "):
            facts.previous_version = _quoted(text, "version is")
        elif text.startswith(SUCCESS_TEXT):
            facts.success_line = entry.line
        elif text.startswith(FAILURE_TEXT):
            facts.failure_line = entry.line
        elif text.startswith("CurrentResult "):
            value = text.rsplit(":", 1)[-1].strip()
            if value.lstrip("-").isdigit():
                facts.exit_code = int(value)
        elif text.startswith("End of Setup"):
            facts.end_of_setup = True
        elif text.startswith("Exchange Server installation failed during prereq check"):
            facts.prereq_failed = True
        elif text.startswith("Performing Microsoft Exchange Server Prerequisite Check"):
            self._progress(entry, "prerequisites")
        elif text.startswith("Copying Files") or text.startswith("Starting file's copying"):
            self._progress(entry, "copying_files")
        elif text.startswith(("Setup copy files from '", "Starting copy from ")):
            facts.copy_destination = _copy_destination(text)
        elif text.startswith("Disk space required: "):
            facts.disk_required = _bytes(text)
        elif text.startswith("Disk space available: "):
            facts.disk_available = _bytes(text)
        elif text.startswith("Setup will run the task '"):
            self._task_started(entry, _quoted(text, "task"))
        elif text.startswith("Setup checks failed: "):
            self._keep_error(Entry(entry.line, entry.time, entry.depth, text.strip()))
        elif text.startswith(BANNER_TEXT) and not facts.banner:
            facts.banner = text.strip()
            facts.started = entry.time

    def _task_started(self, entry: Entry, task: str) -> None:
        phase = "prerequisites" if task.lower().startswith("test-setupprerequisites") else "configuration"
        self._progress(entry, phase, task=task)

    def _progress(self, entry: Entry, phase: str, component: str = "", task: str = "") -> None:
        facts = self.facts
        if phase:
            facts.phase = phase
        if component:
            facts.component = component
        if task:
            facts.task = task
        facts.progress_line = entry.line


def read_last_run(text: str) -> RunFacts:
    """Facts of the last setup run in `text` (the whole text when it has no banner)."""
    run_text, runs, first_line = last_run(text)
    facts = RunFacts(runs=runs)
    reader = _Reader(facts, first_line)
    # Split on "\n" only, so line numbers match what an editor shows for a CRLF log.
    reader.feed(run_text.split("\n"))
    for failure in facts.script_failures:
        _split_script_failure(failure, facts.errors)
    return facts


def _split_script_failure(failure: ScriptFailure, errors: list[Entry]) -> None:
    """Fill a ScriptFailure from its [ERROR] entry: the script run, and the exception it raised."""
    entry = next((error for error in errors if error.line == failure.line), None)
    if entry is None:
        return
    body = entry.full_text
    marker = body.find('" was run: "')
    if marker == -1:
        failure.script = body
        return
    failure.script = body[len("The following error was generated when \""):marker]
    exception = body[marker + len('" was run: "'):]
    failure.exception = exception[:-2] if exception.endswith('".') else exception
