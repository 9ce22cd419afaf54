# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Triage of an ExchangeSetup.log: did the last run succeed, and if not, why and what next.

`triage(text)` is what the roles and the `rpi.exchange.setup_log_triage` filter call after
setup.exe returns (or times out). It reads the last run only, decides the outcome from the
final lines setup writes, and diagnoses a failure from readiness-rule failures first (they
name the condition outright) and otherwise from the critical error that stopped setup,
then from every other error. It is pure, runs in one pass over the lines, and never raises:
an empty, truncated or garbled text gives `outcome: unknown` or a partial reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log import rules
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.advice import (
    EMPTY_LOG_ADVICE,
    NOT_A_LOG_ADVICE,
    RUNNING_ADVICE,
    SUCCEEDED_ADVICE,
    advice,
    disk_space_advice,
    outcome_advice,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.reader import (
    FAILURE_TEXT,
    SUCCESS_TEXT,
    RunFacts,
    read_last_run,
)

SUCCEEDED = "succeeded"
FAILED = "failed"
INCOMPLETE = "incomplete"
UNKNOWN_OUTCOME = "unknown"
OUTCOMES = (SUCCEEDED, FAILED, INCOMPLETE, UNKNOWN_OUTCOME)

_PREPARATIONS = {
    "prepareschema": "prepareschema", "ps": "prepareschema", "preparead": "preparead", "p": "preparead",
    "preparedomain": "preparedomain", "pd": "preparedomain", "preparealldomains": "preparealldomains",
    "pad": "preparealldomains", "newprovisionedserver": "newprovisionedserver", "nprs": "newprovisionedserver",
    "removeprovisionedserver": "removeprovisionedserver", "rprs": "removeprovisionedserver",
}
# What setup decides when no /Mode is given (the wizard), by `The installation mode is set to:`.
_INSTALLATION_MODES = {"install": "install", "buildtobuildupgrade": "upgrade", "uninstall": "uninstall",
                       "disasterrecovery": "recoverserver", "recoverserver": "recoverserver"}


# The exception's message and the top of its stack are what the signatures look at.
_MAX_EXCEPTION_CHARS = 8000


@dataclass
class _Evidence:
    line: int
    text: str
    tasks: tuple[str, ...] = ()
    script: str = ""
    from_exception: bool = False
    lower: str = ""

    def __post_init__(self) -> None:
        self.lower = self.text.lower()


def _as_text(value: object) -> str:
    """Whatever arrived (str, bytes in UTF-8 or UTF-16, None) as text, without raising."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        data = bytes(value)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16", errors="replace")
        return data.decode("utf-8-sig", errors="replace")
    return str(value)


def _iso(timestamp: str) -> str | None:
    """`03/21/2024 16:23:15.0265` -> `2024-03-21T16:23:15`; None when it isn't a log timestamp."""
    try:
        day, clock = timestamp.split(" ", 1)
        month, mday, year = (int(part) for part in day.split("/"))
        hours, minutes, seconds = clock.split(".", 1)[0].split(":")
        return f"{year:04d}-{month:02d}-{mday:02d}T{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}"
    except ValueError:
        return None


def _operation(facts: RunFacts) -> str | None:
    """What setup was asked to do: a preparation switch, else /Mode, else setup's own decision."""
    mode = ""
    for name, value in facts.parameters:
        key = name.strip().lower()
        if key in _PREPARATIONS:
            return _PREPARATIONS[key]
        if key in ("mode", "m") and value.strip():
            mode = value.strip().lower()
    if not mode and facts.runtime_command:
        for token in facts.runtime_command.split():
            key = token.lstrip("/-").lower()
            if key in _PREPARATIONS:
                return _PREPARATIONS[key]
            if key.startswith(("mode:", "m:")):
                mode = key.split(":", 1)[1].strip('"')
    if mode:
        return mode
    return _INSTALLATION_MODES.get(facts.installation_mode.lower()) if facts.installation_mode else None


def _finding(category: str, message: str, line: int | None, source: str, rule: str | None = None,
             signature: str | None = None) -> dict:
    """One diagnosis as the filter returns it (source: readiness_rule, error or parameters)."""
    return {"category": category, "message": message, "line": line, "source": source, "rule": rule, "signature": signature}


def _readiness_findings(facts: RunFacts) -> list[dict]:
    """One finding per failed readiness rule; the [REQUIRED] lines stand in when the Failed lines are missing."""
    if facts.failed_rules:
        return [_finding(rules.readiness_category(rule, message), message or rule, line, "readiness_rule", rule=rule)
                for rule, message, line in facts.failed_rules]
    return [_finding(rules.readiness_category("", message), message, line, "readiness_rule")
            for message, line in facts.required if message]


def _evidence_groups(facts: RunFacts) -> tuple[list[_Evidence], list[_Evidence]]:
    """(critical, other): the error that stopped setup and what it logged after, then everything else."""
    failures = {failure.line: failure for failure in facts.script_failures}
    other: list[_Evidence] = []
    for error in facts.errors:
        failure = failures.get(error.line)
        if failure is None:
            other.append(_Evidence(error.line, error.full_text, error.tasks))
        elif failure.exception:
            other.append(_Evidence(error.line, failure.exception[:_MAX_EXCEPTION_CHARS], error.tasks, failure.script,
                                   from_exception=True))
    if not facts.script_failures:
        return [], other
    last = facts.script_failures[-1]
    critical = [item for item in other if item.line > last.line]
    critical += [item for item in other if item.line == last.line]
    return critical, other


def _match(signature: rules.Signature, evidence: _Evidence) -> str | None:
    """The line to show when `signature` fits `evidence`, else None."""
    if signature.needles and not any(needle in evidence.lower for needle in signature.needles):
        return None
    if signature.task is not None and not any(signature.task.search(task) for task in evidence.tasks):
        return None
    if signature.script is not None and not signature.script.search(evidence.script):
        return None
    if signature.context is not None and not signature.context.search(evidence.text):
        return None
    first_line = evidence.text.split("\n", 1)[0]
    if signature.pattern is None:
        return first_line
    found = signature.pattern.search(evidence.text)
    if found is None:
        return None
    if signature.show_first_line:
        return first_line
    start = evidence.text.rfind("\n", 0, found.start()) + 1
    end = evidence.text.find("\n", found.start())
    return evidence.text[start:end if end != -1 else len(evidence.text)]


def _readable(line: str, from_exception: bool) -> str:
    """Drop the .NET exception type in front of an exception message: people read the message."""
    text = line.strip()
    if from_exception:
        head, separator, rest = text.partition(": ")
        if separator and " " not in head.split(" (", 1)[0] and head.split(" (", 1)[0].endswith(("Exception", "Error")):
            return rest.strip()
    return text


def _error_findings(facts: RunFacts) -> list[dict]:
    """Signature matches, critical evidence first, one finding per category."""
    findings: list[dict] = []
    seen: set[str] = set()
    for group in _evidence_groups(facts):
        for signature in rules.SIGNATURES:
            if signature.category in seen:
                continue
            for evidence in group:
                shown = _match(signature, evidence)
                if shown is not None:
                    seen.add(signature.category)
                    findings.append(_finding(signature.category, _readable(shown, evidence.from_exception), evidence.line,
                                             "error", signature=signature.key))
                    break
    source_dir = next((value for name, value in facts.parameters if name.lower() == "sourcedir"), "")
    if source_dir and rules.BIN_SOURCE_DIR.search(source_dir.strip()) and rules.INSTALL_FROM_BIN not in seen:
        findings.append(_finding(rules.INSTALL_FROM_BIN, f"Setup was started from '{source_dir}', the Exchange Bin folder.",
                                 None, "parameters", signature="source_dir_in_bin"))
    return findings


def _unclassified_error(facts: RunFacts) -> dict | None:
    """The critical error when no signature fits: the first [ERROR] after the failing script, else the first error."""
    critical, other = _evidence_groups(facts)
    for evidence in critical + other:
        if evidence.text.strip():
            category = rules.SETUP_SCRIPT_ERROR if facts.script_failures else rules.UNKNOWN
            return _finding(category, _readable(evidence.text.split("\n", 1)[0], evidence.from_exception), evidence.line, "error")
    return None


def _primary(readiness: list[dict], errors: list[dict]) -> dict | None:
    """The finding to act on first: the readiness failure Microsoft's reviewer would report first
    (rules.READINESS_PRECEDENCE; ties in the log's order), else the first error finding."""
    if readiness:
        return min(readiness, key=lambda finding: rules.readiness_rank(finding["rule"] or "", finding["category"]))
    if errors:
        generic = (rules.SETUP_SCRIPT_ERROR, rules.UNKNOWN)
        specific = [finding for finding in errors if finding["source"] == "parameters"]
        if errors[0]["category"] in generic and specific:
            return specific[0]
        return errors[0]
    return None


def _outcome(facts: RunFacts, text: str, has_failure: bool) -> str:
    if facts.success_line > facts.failure_line:
        return SUCCEEDED
    if facts.failure_line:
        return FAILED
    if facts.end_of_setup:
        # Setup can stop before its summary sentence (a refused command line): its exit code tells.
        return FAILED if has_failure or facts.exit_code else SUCCEEDED
    if facts.entries == 0:
        # Not a log: maybe setup.exe's console output, which carries the same final sentence.
        if SUCCESS_TEXT in text and FAILURE_TEXT not in text:
            return SUCCEEDED
        return FAILED if FAILURE_TEXT in text else UNKNOWN_OUTCOME
    # Errors without a final line (setup died or the log was cut), or a run still going.
    return INCOMPLETE


def _progress(facts: RunFacts) -> dict:
    step = facts.component
    if step.startswith("Processing component "):
        description = step[step.find("(") + 1:step.rfind(")")] if "(" in step and ")" in step else ""
        name = step.split("'", 2)[1] if step.count("'") >= 2 else step
        step = description.rstrip(".") or name
    return {"phase": facts.phase or None, "step": step or None, "task": facts.task or None, "line": facts.progress_line or None}


def _msi_code(findings: list[dict]) -> int | None:
    for finding in findings:
        found = rules.MSI_ERROR_CODE.search(finding["message"] or "")
        if finding["category"] == rules.MSI_INSTALLER and found:
            return int(found.group(1))
    return None


def _drive(volume: str) -> str:
    """`C:\\` or `c:` -> `C:`; anything else (a volume GUID path) as written."""
    volume = volume.strip()
    if len(volume) >= 2 and volume[1] == ":" and volume[0].isalpha() and volume[2:].strip("\\") == "":
        return volume[0].upper() + ":"
    return volume


def _disk_space(facts: RunFacts, primary: dict) -> dict:
    """The drive short of space and the space needed and free, as far as the log says: Windows Installer's message
    first, then a path after the error's own words, then setup's copy step when it logged a shortfall."""
    found = {"drive": None, "required_bytes": None, "available_bytes": None}
    texts = [error.full_text for error in facts.errors] + [failure.exception for failure in facts.script_failures]
    for text in texts:
        match = rules.MSI_OUT_OF_DISK.search(text)
        if match:
            return {"drive": _drive(match.group("volume")), "required_bytes": int(match.group("required")) * 1024,
                    "available_bytes": int(match.group("available")) * 1024}
    message = primary["message"] or ""
    phrase = rules.SIGNATURES_BY_KEY["not_enough_disk_space"].pattern.search(message)
    after = rules.DRIVE_IN_PATH.search(message, phrase.end()) if phrase else None
    if after:
        found["drive"] = after.group(1).upper()
    required, available = facts.disk_required, facts.disk_available
    if required is not None and available is not None and required > available:
        found.update(required_bytes=required, available_bytes=available)
        destination = rules.DRIVE_IN_PATH.match(facts.copy_destination or "")
        if found["drive"] is None and destination:
            found["drive"] = destination.group(1).upper()
    return found


def _diagnose(facts: RunFacts, text: str) -> dict:
    """Outcome, primary diagnosis, the error to read, every finding and the advice."""
    readiness = _readiness_findings(facts)
    errors = _error_findings(facts)
    if not errors and not readiness:
        fallback = _unclassified_error(facts)
        errors = [fallback] if fallback else []
    elif errors and all(finding["source"] == "parameters" for finding in errors):
        fallback = _unclassified_error(facts)
        errors = ([fallback] if fallback else []) + errors
    has_failure = bool(readiness or errors or facts.stopping or facts.prereq_failed)
    outcome = _outcome(facts, text, has_failure)
    # A successful run may log [ERROR] lines setup tolerated; they are not diagnoses.
    findings = [] if outcome == SUCCEEDED else readiness + errors
    primary = _primary(readiness, errors) if outcome in (FAILED, INCOMPLETE) else None
    if outcome == FAILED and primary is None:
        primary = _finding(rules.UNKNOWN, FAILURE_TEXT + ".", facts.failure_line, "error")
    error = primary["message"] if primary else None
    error_line = primary["line"] if primary else None
    if primary and primary["category"] == rules.AD_TOPOLOGY_SERVICE and facts.notes:
        error, error_line = facts.notes[-1].text.strip(), facts.notes[-1].line
    space = _disk_space(facts, primary) if primary and primary["category"] == rules.DISK_SPACE else None
    if outcome == SUCCEEDED:
        next_step = outcome_advice(SUCCEEDED_ADVICE)
    elif outcome == UNKNOWN_OUTCOME:
        next_step = outcome_advice(EMPTY_LOG_ADVICE if not text.strip() else NOT_A_LOG_ADVICE)
    elif primary is None:
        next_step = outcome_advice(RUNNING_ADVICE)
    elif space is not None:
        next_step = disk_space_advice(space["drive"], space["required_bytes"], space["available_bytes"])
    else:
        next_step = advice(primary["category"], primary["rule"] or "")
    return {
        "outcome": outcome,
        "category": primary["category"] if primary else (rules.UNKNOWN if outcome == UNKNOWN_OUTCOME else None),
        "error": error,
        "error_line": error_line,
        "findings": findings,
        "advice": next_step,
        "msi_error_code": _msi_code(findings),
        "disk_space": space,
    }


def _run_details(facts: RunFacts) -> dict:
    """What the run was and how far it got, independent of the diagnosis."""
    final = facts.success_line or facts.failure_line or facts.end_of_setup
    reference = facts.error_references[-1] if facts.error_references else ""
    return {
        "operation": _operation(facts),
        "installation_mode": facts.installation_mode or None,
        "setup_version": facts.setup_version or None,
        "installed_version": facts.installed_version or facts.previous_version or None,
        "failed_rules": sorted({rule for rule, _message, _line in facts.failed_rules}),
        "progress": _progress(facts),
        "exit_code": facts.exit_code if final else None,
        "last_run_started": _iso(facts.started) if facts.started else None,
        "last_entry_time": _iso(facts.last_time) if facts.last_time else None,
        "runs": facts.runs,
        "user": facts.user or None,
        "failed_component": reference.split("___", 1)[0] or None if reference else None,
    }


def _blank_result(error: str) -> dict:
    """The answer when the text could not be read at all."""
    return {"outcome": UNKNOWN_OUTCOME, "category": rules.UNKNOWN, "error": error, "error_line": None, "operation": None,
            "installation_mode": None, "setup_version": None, "installed_version": None, "failed_rules": [], "findings": [],
            "advice": outcome_advice(NOT_A_LOG_ADVICE), "progress": {"phase": None, "step": None, "task": None, "line": None},
            "exit_code": None, "last_run_started": None, "last_entry_time": None, "runs": 0, "user": None,
            "msi_error_code": None, "failed_component": None, "disk_space": None}


def triage(text: str | bytes | None) -> dict:
    """Read an ExchangeSetup.log (or setup.exe's console output) and say what happened.

    Returns a dict: outcome (succeeded, failed, incomplete, unknown), category, error (the
    line to read), error_line, operation, installation_mode, setup_version,
    installed_version, failed_rules, findings, advice {es, en}, progress, exit_code,
    last_run_started, last_entry_time, runs, user, msi_error_code, failed_component,
    disk_space ({drive, required_bytes, available_bytes} when the category is disk_space).
    An empty text (setup wrote no log) is `outcome: unknown` with advice that doesn't send
    anyone to a log that isn't there.
    """
    source = _as_text(text)
    try:
        facts = read_last_run(source)
        result = _diagnose(facts, source)
        result.update(_run_details(facts))
    except Exception as exc:  # pylint: disable=broad-exception-caught
        # A reader bug must not turn a failed installation into a crashed playbook.
        return _blank_result(f"setup log triage failed: {exc!r}")
    return result
