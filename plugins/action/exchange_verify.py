# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_verify (documentation in plugins/modules/exchange_verify.py).

Reads the server with exchange_facts' probe (once) and with win_exchange_health (as the Exchange
administrator, again after each wait while services come up), and decides in
plugin_utils/_server/verification.py. Read-only, unless start_stopped_services (activity 9, after the
restart): then the automatic Exchange services left Stopped are started once with
ansible.windows.win_service (not in check mode, where the report says what would be started).
"""

from __future__ import annotations

import copy
import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import become_loader
from ansible.utils.display import Display

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import verification
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.services import COMPONENTS_INACTIVE_ON_PREMISES
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import clean_text, interpret, probe_arguments
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

PROBE_MODULE = "rpi.exchange.win_exchange_probe"
HEALTH_MODULE = "rpi.exchange.win_exchange_health"
SERVICE_MODULE = "ansible.windows.win_service"

display = Display()

ARGUMENT_SPEC = {
    "expected_version": {"type": "str"},
    "role": {"type": "str", "default": "Mailbox", "choices": ["Mailbox", "EdgeTransport", "ManagementTools"]},
    "run_as_user": {"type": "str"},
    "run_as_password": {"type": "str", "no_log": True},
    "health_paths": {"type": "list", "elements": "str"},
    "required_services": {"type": "list", "elements": "str"},
    "ignored_components": {"type": "list", "elements": "str", "default": list(COMPONENTS_INACTIVE_ON_PREMISES)},
    # The wait uses all of `timeout` (issue 14): `retries`, when given, only limits how many new readings it does.
    "retries": {"type": "int"},
    "delay": {"type": "int", "default": 20},
    "timeout": {"type": "int", "default": 900},
    "request_timeout": {"type": "int", "default": 30},
    "setup_log_tail_bytes": {"type": "int", "default": 262144},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
    # Activity 9 (issue 16): start once the automatic Exchange services the restart left stopped, then judge them.
    "start_stopped_services": {"type": "bool", "default": False},
    "setup_command_line": {"type": "str"},
    # Issue 19: the reading rpi.exchange.exchange_facts made just before (its ansible_facts.rpi_exchange), when nothing
    # that changes what it judges (version, setup log, pending restart) ran since: the probe is not sent again.
    "facts": {"type": "dict"},
}


def _scrub(value, secret):
    """Belt and braces: the run-as password never leaves the plugin, whatever a module echoes."""
    if not secret:
        return value
    if isinstance(value, dict):
        return {key: _scrub(item, secret) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secret) for item in value]
    if isinstance(value, str) and secret in value:
        return value.replace(secret, "********")
    return value


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    @staticmethod
    def _problems(args):
        """Wrong options, each as (Spanish, English), found before anything is read from the server."""
        problems = []
        version = args["expected_version"]
        if version and try_parse_version(version) is None:
            problems.append((f"expected_version: '{version}' no es una versión de Exchange (por ejemplo 15.2.1748.10).",
                             f"expected_version: '{version}' is not an Exchange version (for example 15.2.1748.10)."))
        for name in ("retries", "delay", "timeout"):
            if args[name] is not None and args[name] < 0:
                problems.append((f"{name}: debe ser 0 o mayor.", f"{name}: must be 0 or more."))
        if args["setup_log_tail_bytes"] < 1:
            problems.append(("setup_log_tail_bytes: debe ser 1 o mayor (sin el final de ExchangeSetup.log no se sabe cómo terminó setup).",
                             "setup_log_tail_bytes: must be 1 or more (without the end of ExchangeSetup.log the setup outcome is unknown)."))
        if args["request_timeout"] < 1:
            problems.append(("request_timeout: debe ser 1 o mayor (segundos por página healthcheck.htm).",
                             "request_timeout: must be 1 or more (seconds per healthcheck.htm page)."))
        if args["run_as_password"] and not args["run_as_user"]:
            problems.append(("run_as_password: indique también run_as_user.", "run_as_password: give run_as_user too."))
        for path in args["health_paths"] or []:
            try:
                verification.health_url_path(path)
            except ValueError:
                problems.append((f"health_paths: '{path}' no es el nombre de un directorio virtual (por ejemplo owa).",
                                 f"health_paths: '{path}' is not a virtual directory name (for example owa)."))
        return problems

    @staticmethod
    def _next_wait(checks, attempts, deadline, args):
        """The wait before the next reading, or None: nothing failed that waiting may fix, or the wait is over."""
        if not verification.worth_waiting(checks):
            return None
        return verification.next_wait(attempts, deadline - time.monotonic(), args["delay"], args["retries"])

    def _read_health(self, module_args, args, task_vars):
        """win_exchange_health, as run_as_user when given (become runas): the shell is a second hop (exchange-facts §6.1)."""
        if not args["run_as_user"]:
            return self._execute_module(module_name=HEALTH_MODULE, module_args=module_args, task_vars=task_vars)
        become = become_loader.get("runas")
        become.set_options(direct={"become_user": args["run_as_user"], "become_pass": args["run_as_password"] or "",
                                   "become_flags": ""})
        previous = self._connection.become
        self._connection.set_become_plugin(become)
        try:
            return self._execute_module(module_name=HEALTH_MODULE, module_args=module_args, task_vars=task_vars)
        finally:
            self._connection.set_become_plugin(previous)

    def _start_services(self, names, starts, task_vars):
        """The one start: each service through ansible.windows.win_service (state started), as the connection user, who is
        a local administrator; in check mode only recorded as what would be started."""
        for name in names:
            if starts.check_mode:
                starts.planned.append(name)
                continue
            outcome = self._execute_module(module_name=SERVICE_MODULE, module_args={"name": name, "state": "started"},
                                           task_vars=task_vars)
            if outcome.get("failed"):
                starts.failed[name] = verification.start_error(outcome)
                display.vvv(f"exchange_verify: {name} did not start: {starts.failed[name]}")
            else:
                starts.started.append(name)
                display.vvv(f"exchange_verify: started {name}")
        starts.done = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        secret = args["run_as_password"]
        language = args["language"]
        problems = self._problems(args)
        if problems:
            index = i18n.text(language, 0, 1)
            title = i18n.text(language, "Opciones de exchange_verify no válidas", "Invalid exchange_verify options")
            raise AnsibleActionFail(title + ":\n- " + "\n- ".join(problem[index] for problem in problems))
        role = args["role"]

        given = args["facts"] or {}
        if isinstance(given.get("exchange"), dict) and isinstance(given.get("setup_log"), dict):
            # The reading of the task before (the same probe, the same tail of the setup log, already triaged); the
            # services, components and web endpoints are read below in any case.
            facts = copy.deepcopy(given)
            result["probed"] = False
        else:
            probe = self._execute_module(module_name=PROBE_MODULE, module_args=probe_arguments(role, args["setup_log_tail_bytes"]),
                                         task_vars=task_vars)
            if probe.get("failed"):
                text = i18n.text(language, "No se pudo leer el servidor", "The server could not be read")
                result.update(failed=True, changed=False, msg=f"{text}: {probe.get('msg', 'error')}")
                return _scrub(result, secret)
            facts = interpret(probe, role)
            tail = clean_text(facts["setup_log"].pop("tail", "") or "")
            facts["setup_log"]["last_run"] = triage(tail) if tail else None
            result["probed"] = True

        expected = args["expected_version"] or None
        services = args["required_services"]
        if services is None:
            services = verification.default_services(role, expected or facts["exchange"].get("version"))
        paths = args["health_paths"] if args["health_paths"] is not None else verification.default_health_paths(role)
        module_args = verification.health_arguments(role, services, paths, args["request_timeout"])

        # The one start of the automatic services the restart left stopped (activity 9): decided on each reading until made.
        starts = None
        if args["start_stopped_services"]:
            starts = verification.ServiceStarts(check_mode=bool(self._task.check_mode),
                                                held_known=bool((args["setup_command_line"] or "").strip()))
        hold_transport = verification.holds_transport(args["setup_command_line"])

        # The deadline is on the clock, not a count of waits: the time each reading takes counts too, and the last wait
        # ends on the deadline for one last reading.
        started = time.monotonic()
        deadline = started + args["timeout"]
        attempts, checks, health = 0, [], {}
        while True:
            attempts += 1
            health = self._read_health(module_args, args, task_vars)
            if health.get("failed"):
                if language == "es":
                    text = f"No se pudo leer la salud de Exchange como {args['run_as_user'] or 'el usuario de la conexión'}"
                else:
                    text = f"Exchange's health could not be read as {args['run_as_user'] or 'the connection user'}"
                result.update(failed=True, changed=bool(starts and starts.started), attempts=attempts,
                              msg=f"{text}: {health.get('msg', 'error')}")
                if starts is not None:
                    result.update(starts.as_result())
                return _scrub(result, secret)
            plan = None
            if starts is not None and not starts.done:
                plan = verification.plan_service_starts(health.get("services") or [], role, hold_transport=hold_transport)
                starts.held = list(plan.held)
            checks = verification.evaluate(facts, health, role=role, expected_version=expected, required_services=services,
                                           health_paths=paths, ignored_components=args["ignored_components"], starts=starts)
            wait = self._next_wait(checks, attempts, deadline, args)
            if plan is not None and verification.time_to_start(plan, last_reading=wait is None):
                self._start_services(plan.start, starts, task_vars)
                if not starts.check_mode:
                    continue  # read again at once: the services are judged on what their one start did
                checks = verification.evaluate(facts, health, role=role, expected_version=expected, required_services=services,
                                               health_paths=paths, ignored_components=args["ignored_components"],
                                               starts=starts)
                wait = self._next_wait(checks, attempts, deadline, args)
            if wait is None:
                break
            waiting_for = ", ".join(check.name for check in verification.failed_checks(checks))
            display.vvv(f"exchange_verify: attempt {attempts}: waiting {wait:.0f}s for {waiting_for}")
            time.sleep(wait)
        elapsed = max(0, round(time.monotonic() - started))

        failing = verification.failed_checks(checks)
        shell = health.get("shell") or {}
        result.update(
            changed=bool(starts and starts.started),
            ok=not failing,
            checks=[check.as_dict() for check in checks],
            failed_checks=[check.name for check in failing],
            attempts=attempts,
            elapsed_seconds=elapsed,
            installed_version=verification.installed_version(checks),
            exchange_server=health.get("exchange_server"),
            msg=verification.summary(checks, language, attempts=attempts, elapsed_seconds=elapsed, starts=starts),
            rpi_report=verification.evidence(checks, attempts=attempts, run_as=str(shell.get("user") or ""),
                                             installed=bool(facts["exchange"].get("installed")), elapsed_seconds=elapsed,
                                             starts=starts),
        )
        if starts is not None:
            result.update(starts.as_result())
        if failing:
            result["failed"] = True
        return _scrub(result, secret)
