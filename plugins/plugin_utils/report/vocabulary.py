# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fixed words of the run report: schema version, statuses, evidence kinds.

Everything that writes or reads a report (the callback, the action plugins, the HTML,
the schema in schema.json, the docs) uses these names; changing one is a schema change.
"""

from __future__ import annotations

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import ACTIVITIES, Activity

# Bump the minor for additive changes (a new optional field), the major for anything a
# reader of an older report would misread. docs/report-schema.md keeps the history.
SCHEMA_VERSION = "1.3"

REPORT_JSON = "report.json"
REPORT_HTML = "report.html"
LATEST_LINK = "latest"
# The callback publishes the current run's folder to the action plugins (forked workers
# inherit the controller's environment), so report_notice finds the report it sends.
RUN_DIR_ENV = "RPI_EXCHANGE_REPORT_RUN_DIR"
# ... and the id of the ansible-playbook process that writes it: activity 1 refuses to start unless this very run's
# report is being written (norm 5.2; plugin_utils/_preflight/report_guard.py).
WRITER_ENV = "RPI_EXCHANGE_REPORT_WRITER"

# Run statuses. A report on disk reads `interrupted` until the run closes it: a report the
# run never closed (Ctrl-C, killed process, lost controller) is then already true.
RUN_SUCCEEDED = "succeeded"
RUN_FAILED = "failed"
RUN_INTERRUPTED = "interrupted"
RUN_CHECK = "check"
RUN_PARTIAL = "partial"
RUN_STATUSES = (RUN_SUCCEEDED, RUN_FAILED, RUN_INTERRUPTED, RUN_CHECK, RUN_PARTIAL)

# Activity statuses; `interrupted` is an activity that started and has no recorded end.
DONE = "done"
FAILED = "failed"
SKIPPED = "skipped"
PENDING = "pending"
INTERRUPTED = "interrupted"
ACTIVITY_STATUSES = (DONE, FAILED, SKIPPED, PENDING, INTERRUPTED)

# Per-task outcomes, as counted per activity.
TASK_COUNTERS = ("ok", "changed", "failed", "skipped", "unreachable", "ignored", "rescued")

EVIDENCE_KINDS = (
    "instruction",   # the IT Head's instruction (activity 1)
    "check",         # a condition verified: a prerequisite, the OS, free space
    "change",        # something changed on the server
    "plan",          # what would change (check mode)
    "command",       # a command line run, e.g. the unattended Setup.exe line
    "reboot",        # a restart of the server
    "version",       # a version observed: Exchange before/after, setup media
    "verification",  # a post-install verification result
    "triage",        # the diagnosis of a setup log
    "failure",       # a task that failed (written by the callback)
    "notice",        # the notice to the IT Head (activity 11)
    "validation",    # the IT Head's validation (activity 12)
    "note",          # anything else worth the IT Head's eye
)
LEVELS = ("info", "ok", "warning", "error")

DECISION_VALIDATED = "validated"
DECISION_RETURNED = "returned"
DECISIONS = (DECISION_VALIDATED, DECISION_RETURNED)

LANGUAGES = i18n.LANGUAGES
DEFAULT_TIMEZONE = "America/Guatemala"

# The manual ends with the IT Head's review ("FIN DEL PROCEDIMIENTO" follows it). That
# activity is done only when a validation is recorded, never by an install run alone.
VALIDATION_ACTIVITY: Activity = ACTIVITIES[-1]
