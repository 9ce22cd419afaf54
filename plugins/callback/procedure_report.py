# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: procedure_report
type: notification
short_description: Writes the run report of manual ME-VAR-RPI-MNP-15 (report.json and report.html)
version_added: 0.1.0
description:
  - Maps every task to the activity of the manual ME-VAR-RPI-MNP-15 whose role it belongs to (section 7.1, the twelve
    activities) and writes, for each run, a folder with C(report.json) (machine-readable, see docs/report-schema.md) and
    C(report.html) (self-contained, printable, Spanish by default) for the Head of IT.
  - The folder is named after the run id (UTC time and a short random suffix); a C(latest) symbolic link in the report
    directory points at the newest run.
  - The report is rewritten atomically at every task start and result, so an interrupted or failed run (Ctrl-C, an
    unreachable host, a failed task, a killed process) still leaves a complete and true report. Until the run ends the
    report reads C(interrupted) with C(finalized=false); the end of the run sets C(succeeded), C(failed), C(check),
    C(partial) or, after Ctrl-C, C(interrupted) with C(finalized=true).
  - A report is created only for playbooks that run a role of the procedure. A playbook that runs only the review
    activity (12) writes no report of its own; it records the validation in the install run's report
    (M(rpi.exchange.report_validation)).
  - Roles and modules add evidence through the C(rpi_report) key of a task result (the evidence contract, see
    M(rpi.exchange.report_evidence)). Results hidden by C(no_log) keep only their status, and the values of the variables
    the roles declare C(no_log), of ansible-core's connection and become passwords and of variables whose names look secret
    (password, secret, key, token, product_key ...) are masked in everything written. They are read, through ansible-core's
    public interfaces, from the play's variables and from each host's as a task starts on it; only those values are
    decrypted, never the rest of a host's variables.
  - A failure whose message is ansible-core's or ansible.windows' own (a restart that never came back, an unreachable
    host, a WinRM error, an undefined variable ...) is explained in both languages, naming the variable that bounds it
    and what to do, beside the original text. A failed run ends on the console with that explanation, in the report's
    language.
requirements:
  - Enabled in C(callbacks_enabled), as the collection's ansible.cfg does.
options:
  report_dir:
    description:
      - The directory that receives one folder per run.
      - A relative path is taken from the directory of the ansible.cfg in use (the root of the checkout), or from the current
        directory when there is none.
    type: str
    default: reports
    env:
      - name: RPI_EXCHANGE_REPORT_DIR
    ini:
      - section: rpi_exchange
        key: report_dir
  language:
    description:
      - The language of report.html. The data in report.json always carries both languages.
      - 'One order of precedence, from the highest: the environment variable E(RPI_EXCHANGE_REPORT_LANGUAGE); the variable
        C(rpi_exchange_report_language) of the play''s hosts (inventory, group_vars, play vars or C(-e), the same variable the
        roles'' messages and the e-mail notice follow); C(report_language) in the C([rpi_exchange]) section of ansible.cfg;
        C(es).'
      - The variable is read from the hosts of the first play that runs a procedure role, each as the play's first task
        starts on it (before any host is reached, from the play's variables and C(-e)). When the run's hosts give it
        different values, or a value that is not C(es) or C(en), it is not used and a warning says so.
    type: str
    default: es
    choices: [es, en]
    env:
      - name: RPI_EXCHANGE_REPORT_LANGUAGE
    ini:
      - section: rpi_exchange
        key: report_language
  timezone:
    description:
      - The time zone report.html shows times in (report.json stores UTC).
    type: str
    default: America/Guatemala
    env:
      - name: RPI_EXCHANGE_REPORT_TIMEZONE
    ini:
      - section: rpi_exchange
        key: report_timezone
  enabled:
    description:
      - Set to false to write no report (for example in tests that do not look at it).
    type: bool
    default: true
    env:
      - name: RPI_EXCHANGE_REPORT_ENABLED
    ini:
      - section: rpi_exchange
        key: report_enabled
notes:
  - The technician is the variable C(rpi_exchange_technician) (C(name) and C(position)) when set, otherwise the user running
    ansible-playbook until activity 1 reports him (activity 1 refuses a run without it).
  - The callback exports the folder of the current run as C(RPI_EXCHANGE_REPORT_RUN_DIR) to the task workers, which is how
    M(rpi.exchange.report_notice) finds the report it sends.
seealso:
  - module: rpi.exchange.report_evidence
  - module: rpi.exchange.report_validation
  - module: rpi.exchange.report_notice
author:
  - RPI Departamento de Tecnologías de la Información (@rpi-gt)
"""

import atexit
import getpass
import os
import socket
import typing as t

from ansible import constants as C
from ansible import context
from ansible.plugins.callback import CallbackBase
from ansible.release import __version__ as ansible_version

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import activity_for_role
from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.progress import PROGRESS_FILE, load_reached
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.earlier_runs import find_resumed_run, link_back
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.failure import console_summary
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import iso, to_plain, utc_now
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.language import LANGUAGE_VARIABLE, choose_language
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import RunRecorder, TaskInfo
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import CONNECTION_SECRETS, Scrubber
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import (
    ReportError,
    create_run_dir,
    new_run_id,
    resolve_root,
    update_latest,
    write_report,
)

try:
    from ansible.utils.vars import transform_to_native_types
except ImportError:  # pragma: no cover - ansible-core before 2.19 is not supported
    transform_to_native_types = None

TECHNICIAN_VAR = "rpi_exchange_technician"
MAX_HOSTS_SCANNED = 20
# Magic variables that repeat the others (or only name hosts and groups): never walked for secrets.
_NOT_WALKED = frozenset(("hostvars", "vars", "groups"))


def _activity_of_role(role: t.Any) -> int | None:
    """The activity of a procedure role, or of the nearest procedure role that pulled this one in."""
    pending, seen = [role], set()
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        activity = activity_for_role(current.get_name())
        if activity is not None:
            return activity.number
        pending.extend(getattr(current, "get_parents", lambda: [])())
    return None


def _task_info(task: t.Any) -> TaskInfo:
    role = getattr(task, "_role", None)
    name = str(task.name or task.action or "")
    return TaskInfo(uuid=str(task._uuid), name=name, action=str(task.action or ""),
                    activity=_activity_of_role(role) if role is not None else None, in_role=role is not None)


def _rescued(task: t.Any) -> bool:
    """Whether a failure of this task is caught by a `rescue` section around it."""
    node, parent = task, getattr(task, "_parent", None)
    while parent is not None:
        rescue = getattr(parent, "rescue", None)
        if rescue:
            around = [getattr(item, "_uuid", None) for item in list(rescue) + list(getattr(parent, "always", None) or [])]
            if getattr(node, "_uuid", None) not in around:
                return True
        node, parent = parent, getattr(parent, "_parent", None)
    return False


def _native(value: t.Any) -> t.Any:
    """One variable's value as a plain value, vaulted parts decrypted: only for the secret ones, the technician and the language."""
    if transform_to_native_types is None:
        return to_plain(value)
    try:
        return transform_to_native_types(value, redact=False)
    except Exception:  # pylint: disable=broad-except
        return to_plain(value)


def _declared_secrets() -> frozenset[str]:
    """The names the roles' meta/argument_specs.yml declare `no_log: true` (a suboption by its own key), and ansible-core's
    connection and become passwords."""
    # Imported here: the declarations are read once per process, only when a play is reached.
    from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import declarations

    names: set[str] = set(CONNECTION_SECRETS)
    pending = list(declarations(strict=False).values())
    while pending:
        declaration = pending.pop()
        if declaration.no_log:
            names.add(declaration.name.rsplit(".", 1)[-1])
        pending.extend(declaration.options)
    return frozenset(names)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "notification"
    CALLBACK_NAME = "rpi.exchange.procedure_report"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, display=None):
        super().__init__(display=display)
        self._recorder: RunRecorder | None = None
        self._run_dir = None
        self._scrubber = Scrubber()
        self._playbooks: list[str] = []
        self._technician: dict[str, str] | None = None
        self._pid = os.getpid()
        self._failed_writing = False
        self._warned: set[str] = set()
        self._disabled = False
        self._play = None
        self._last_activity: int | None = None
        # Read through public interfaces only (see _collect_variables): the hosts ansible-core has started a task on
        # (v2_runner_on_start), by name, and the hosts' values of rpi_exchange_report_language (see _report_language).
        self._hosts: dict[str, t.Any] = {}
        self._language_values: dict[str, t.Any] = {}
        self._play_language: t.Any = None
        self._language_open = False  # the language may still change: the play that created the report is running
        self._language_said: tuple[str, str] | None = None
        self._secret_names: frozenset[str] | None = None
        self._write_due = False  # a task start waits for its first host's secrets before it is written

    # -- set-up ------------------------------------------------------------------------------

    def _enabled(self) -> bool:
        if self._disabled:
            return False
        try:
            return bool(self.get_option("enabled"))
        except KeyError:
            return True

    def _ensure_report(self) -> None:
        """Create the run's folder the first time a procedure activity is reached."""
        if self._recorder is not None or not self._enabled():
            return
        now = utc_now()
        run_id = new_run_id(now)
        try:
            root = resolve_root(self.get_option("report_dir"), getattr(C, "CONFIG_FILE", None))
            self._run_dir = create_run_dir(root, run_id)
        except ReportError as error:
            self._disabled = True
            self._display.warning(f"rpi.exchange.procedure_report: no run report will be written: {error}")
            return
        os.environ[v.RUN_DIR_ENV] = str(self._run_dir)
        os.environ[v.WRITER_ENV] = str(os.getpid())  # the marker activity 1 looks for: this process writes the report
        controller = {"host": socket.gethostname(), "user": getpass.getuser(), "pid": os.getpid()}
        technician = self._technician or {"name": controller["user"], "source": "controller_user"}
        run = {"id": run_id, "started": iso(now), "check_mode": bool(context.CLIARGS.get("check", False)),
               "technician": technician, "controller": controller, "ansible_core": ansible_version}
        language = self._report_language()
        self._language_open = True
        self._recorder = RunRecorder(run, language, self.get_option("timezone") or v.DEFAULT_TIMEZONE, scrubber=self._scrubber,
                                     earlier_run=lambda host: find_resumed_run(root, host, run_id))
        for path in self._playbooks:
            self._recorder.add_playbook(path)
        # Ctrl-C ends ansible-playbook through sys.exit: close the report as interrupted then.
        atexit.register(self._at_exit)
        self._display.vv(f"rpi.exchange.procedure_report: writing the run report in {self._run_dir}")
        self._write()
        # `latest` moves only once the new folder holds a complete report.
        try:
            update_latest(root, run_id)
        except ReportError as error:
            self._display.warning(f"rpi.exchange.procedure_report: {error}")

    def _report_language(self) -> str:
        """The language of report.html: environment > the hosts' variable > ansible.cfg > es (plugin_utils/report/language.py)."""
        try:
            value, origin = self.get_option_and_origin("language")
        except KeyError:
            value, origin = None, "default"
        # The hosts' values (the play's, extra vars included, until a host is reached).
        values = list(self._language_values.values()) or [self._play_language]
        choice = choose_language(value, origin, values)
        for message in choice.warnings:
            if message not in self._warned:
                self._warned.add(message)
                self._display.warning(f"rpi.exchange.procedure_report: {message}")
        if self._language_said != (choice.language, choice.source):
            self._language_said = (choice.language, choice.source)
            self._display.vv(f"rpi.exchange.procedure_report: {choice.describe()}")
        return choice.language

    def _write(self) -> None:
        self._write_due = False
        if self._recorder is None or self._run_dir is None:
            return
        try:
            document = self._recorder.document(utc_now())
            # Where setup is (or stopped): the setup action writes it beside the report as each phase starts (issue 18).
            reached = load_reached(self._run_dir)
            if reached:
                document["run"]["setup_reached"] = reached
            write_report(self._run_dir, document, render(document))
        except Exception as error:  # pylint: disable=broad-except
            # The report must never break the installation it describes.
            if not self._failed_writing:
                self._display.warning(f"rpi.exchange.procedure_report: the run report could not be written: {error}")
            self._failed_writing = True
        for message in self._recorder.warnings:
            if message not in self._warned:
                self._warned.add(message)
                self._display.warning(f"rpi.exchange.procedure_report: {message}")
        self._recorder.warnings.clear()

    def _link_back(self) -> None:
        """A run that retried or resumed an earlier one is recorded beside it (report/earlier_runs.py; issue 20, item 3)."""
        if self._recorder is None or self._run_dir is None:
            return
        try:
            link_back(self._run_dir.parent, self._recorder.document(utc_now()))
        except Exception as error:  # pylint: disable=broad-except  # the link must never break the run's own report
            self._display.warning(f"rpi.exchange.procedure_report: the earlier run's report could not be linked: {error}")

    def _at_exit(self) -> None:
        if os.getpid() != self._pid or self._recorder is None or self._recorder.finalized:
            return
        self._recorder.finalize(utc_now(), interrupted=True)
        self._write()

    def _secrets_declared(self) -> frozenset[str]:
        if self._secret_names is None:
            try:
                self._secret_names = _declared_secrets()
            except Exception as error:  # pylint: disable=broad-except
                self._display.warning(f"rpi.exchange.procedure_report: the roles' no_log variables could not be read: {error}")
                self._secret_names = frozenset(CONNECTION_SECRETS)
        return self._secret_names

    def _learn_scope(self, scope: t.Mapping[str, t.Any], host: str | None) -> None:
        """From one scope of variables, read three things only: the secret values, the technician and the language."""
        walked = {name: value for name, value in scope.items() if name not in _NOT_WALKED}
        self._scrubber.collect_secrets(walked, self._secrets_declared(), native=_native)
        technician = _native(scope.get(TECHNICIAN_VAR))
        # {name, position} since 0.4.0 (activity 1 refuses anything else); read here so that a run refused earlier names him.
        name = technician.get("name") if isinstance(technician, t.Mapping) else None
        position = technician.get("position") if isinstance(technician, t.Mapping) else None
        if isinstance(name, str) and name.strip() and "{{" not in name and self._technician is None:
            self._technician = {"name": name.strip(), "source": "variable"}
            if isinstance(position, str) and position.strip() and "{{" not in position:
                self._technician["position"] = position.strip()
        language = _native(scope.get(LANGUAGE_VARIABLE))
        if host is None:
            self._play_language = language
        elif (self._language_open or self._recorder is None) and host not in self._language_values:
            self._language_values[host] = language  # a host's value as first read: one language per report

    def _collect_variables(self, play: t.Any, hosts: t.Iterable[t.Any] | None = None) -> None:
        """Learn the run's secret values (by variable name), the technician's name and the hosts' report language, through
        ansible-core's public interfaces: the play's variable manager (`get_vars`) for the play's variables and for the
        hosts ansible-core handed the callback (`v2_runner_on_start`). `hosts` None: the play and the play's hosts seen so
        far (the magic variable ansible_play_hosts_all names them); otherwise those hosts (remembered up to
        MAX_HOSTS_SCANNED)."""
        manager = play.get_variable_manager()
        if manager is None:
            return
        if hosts is None:
            scope = manager.get_vars(play=play, include_hostvars=False)
            self._learn_scope(scope, None)
            in_play = scope.get("ansible_play_hosts_all")
            hosts = [host for name, host in self._hosts.items() if not isinstance(in_play, list) or name in in_play]
        for host in hosts:
            name = str(host.get_name())
            if name not in self._hosts and len(self._hosts) < MAX_HOSTS_SCANNED:
                self._hosts[name] = host
            self._learn_scope(manager.get_vars(play=play, host=host, include_hostvars=False), name)
        if self._recorder is not None:
            if self._technician and self._technician["source"] == "variable":
                self._recorder.set_technician(self._technician)
            if self._language_open:
                self._recorder.set_language(self._report_language())

    # -- events ------------------------------------------------------------------------------

    def v2_playbook_on_start(self, playbook):
        path = getattr(playbook, "_file_name", None)
        if path:
            self._playbooks.append(str(path))
            if self._recorder is not None:
                self._recorder.add_playbook(str(path))

    def _learn_secrets(self, hosts: t.Iterable[t.Any] | None = None) -> None:
        if self._play is None:
            return
        try:
            self._collect_variables(self._play, hosts)
        except Exception as error:  # pylint: disable=broad-except
            self._display.warning(f"rpi.exchange.procedure_report: could not read the play's variables to mask secrets: {error}")

    def v2_playbook_on_play_start(self, play):
        self._play = play
        self._last_activity = None
        # The language follows the hosts of the play that creates the report; a later play no longer changes it.
        self._language_open = False
        if self._recorder is None:
            self._language_values.clear()
        self._learn_secrets()
        activities = {_activity_of_role(role) for role in play.get_roles()}
        if activities - {None, v.VALIDATION_ACTIVITY.number}:
            self._ensure_report()
        if self._recorder is not None:
            self._recorder.play_started()
            self._write()

    def _task_start(self, task: t.Any) -> None:
        info = _task_info(task)
        if info.activity != self._last_activity:
            # Facts set since (set_fact, include_vars, even under no_log) may hold new secrets.
            self._last_activity = info.activity
            self._learn_secrets()
        if self._recorder is None and info.activity not in (None, v.VALIDATION_ACTIVITY.number):
            self._ensure_report()
        if self._recorder is not None:
            self._recorder.task_started(info, utc_now())
            # The task's name was templated with its first host's variables: written once that host is read.
            self._write_due = True

    def v2_runner_on_start(self, host, task):
        """ansible-core starts the task on a host: read that host's variables (first task start: the host's secrets may be in
        the task's name) or those of a host not seen before, then write what waited for them."""
        if self._play is None or host is None:
            return
        if self._write_due or (str(host.get_name()) not in self._hosts and len(self._hosts) < MAX_HOSTS_SCANNED):
            self._learn_secrets([host])
            self._write()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start(task)

    def _result(self, result: t.Any, outcome: str) -> None:
        if self._recorder is None:
            return
        self._recorder.task_result(_task_info(result.task), result.host.get_name(), outcome, result.result, utc_now())
        self._write()

    def v2_runner_on_ok(self, result):
        self._result(result, "changed" if result.result.get("changed") else "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._learn_secrets()
        self._result(result, "ignored" if ignore_errors else ("rescued" if _rescued(result.task) else "failed"))

    def v2_runner_on_skipped(self, result):
        self._result(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._result(result, "unreachable")

    def v2_playbook_on_stats(self, stats):
        if self._recorder is None:
            return
        hosts_failed = any(stats.failures.values()) or any(stats.dark.values())
        self._recorder.finalize(utc_now(), interrupted=False, hosts_failed=hosts_failed)
        self._write()
        self._link_back()
        if self._run_dir is not None and not self._failed_writing:
            # report.json now holds the phase setup reached; the file beside it is kept only by a run that never got here.
            (self._run_dir / PROGRESS_FILE).unlink(missing_ok=True)
        # A failed run ends with its failure explained in the report's language (ansible's own text is English).
        for line in console_summary(self._recorder.document(utc_now())):
            self._display.display(line, color=C.COLOR_ERROR, stderr=False)
        self._display.display(f"Informe de la ejecución / run report: {self._run_dir / v.REPORT_HTML}")
