# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.run_lock (documentation in plugins/modules/run_lock.py)."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timezone
from pathlib import Path

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import run_lock as lock
from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.controller_process import playbook_pid, process_alive
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import RUN_DIR_ENV
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

LOCK_MODULE = "rpi.exchange.win_exchange_run_lock"

ARGUMENT_SPEC = {
    "state": {"type": "str", "default": "acquired", "choices": ["acquired", "released"]},
    "path": {"type": "str", "default": lock.LOCK_PATH},
    "max_age_hours": {"type": "float", "default": lock.DEFAULT_MAX_AGE_HOURS},
    "break_run_id": {"type": "str"},
    "technician": {"type": "str", "default": ""},
    "reference": {"type": "str", "default": ""},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}


def this_run_id(pid: int) -> str:
    """The report's run id when the report callback runs (so lock and report name the same run); else one per process."""
    run_dir = os.environ.get(RUN_DIR_ENV)
    if run_dir and Path(run_dir).is_dir():
        return Path(run_dir).name
    try:
        started = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[-1].split()[19]
    except (OSError, IndexError):
        started = "0"
    return f"pid{pid}-{started}"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        if args["max_age_hours"] <= 0:
            raise AnsibleActionFail(i18n.text(language, "rpi_exchange_lock_max_age_hours debe ser mayor que 0 (horas).",
                                              "rpi_exchange_lock_max_age_hours must be more than 0 (hours)."))
        pid = playbook_pid()
        me = lock.LockRecord(run_id=this_run_id(pid), controller_host=socket.gethostname(), controller_pid=pid,
                             started=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                             technician=args["technician"], reference=args["reference"])
        if args["state"] == "released":
            return self._release(result, me, args, task_vars)
        return self._acquire(result, me, args, task_vars)

    def _call(self, task_vars, **options):
        answer = self._execute_module(module_name=LOCK_MODULE, module_args=options, task_vars=task_vars)
        if answer.get("failed"):
            raise AnsibleActionFail(f"The run lock could not be read or written: {answer.get('msg', 'unknown error')}")
        return answer

    def _acquire(self, result, me, args, task_vars):
        language = args["language"]
        # One call in the usual case: create the lock if there is none; the answer names a holder otherwise.
        answer = self._call(task_vars, state="acquired", path=args["path"], run_id=me.run_id, record=me.to_text())
        if answer["acquired"] and answer.get("holder") is None:
            verdict = lock.Verdict(lock.ACQUIRE)
        else:
            verdict = lock.judge(lock.parse_record(answer.get("holder")), me, now=datetime.now(timezone.utc),
                                 max_age_hours=args["max_age_hours"], break_run_id=args["break_run_id"], process_alive=process_alive)
        if verdict.action == lock.REFUSE:
            if self._task.check_mode:
                # A dry run changes nothing, so it may look while another run works: it warns instead.
                result.update(changed=False, locked_by=answer.get("holder"), warnings=[verdict.message(language)],
                              rpi_report={"evidence": [Evidence(kind="notice", level="warning", summary_es=verdict.message_es,
                                                                summary_en=verdict.message_en, details={"holder": answer.get("holder")}).as_dict()]})
                return result
            result.update(failed=True, changed=False, locked_by=answer.get("holder"), msg=verdict.message(language))
            return result
        if verdict.action == lock.TAKE_OVER and not self._task.check_mode:
            answer = self._call(task_vars, state="acquired", path=args["path"], run_id=me.run_id, record=me.to_text(),
                                replace_run_id=verdict.holder.run_id)
            if not answer["acquired"]:
                # Someone else took it over first: that run is alive now.
                again = lock.parse_record(answer.get("holder"))
                message = lock.judge(again, me, now=datetime.now(timezone.utc), max_age_hours=args["max_age_hours"], break_run_id=None,
                                     process_alive=lambda pid: True).message(language)
                result.update(failed=True, changed=False, locked_by=answer.get("holder"), msg=message)
                return result
        # The lock is bookkeeping of the run, gone again when it ends: not a change to the server's configuration.
        result.update(changed=False, run_id=me.run_id, verdict=verdict.action,
                      rpi_report={"evidence": [lock.lock_evidence(verdict, me, self._task.check_mode, path=answer.get("path") or args["path"])]})
        return result

    def _release(self, result, me, args, task_vars):
        language = args["language"]
        try:
            answer = self._call(task_vars, state="released", path=args["path"], run_id=me.run_id)
        except Exception as error:  # pylint: disable=broad-except
            # Never fail the run here: its outcome is already decided. The next run takes the lock over (see the docs).
            warning = i18n.text(language, f"No se pudo liberar el bloqueo del servidor ({error}). "
                                          "La próxima ejecución desde este equipo de control lo retomará; "
                                          f"desde otro, use -e rpi_exchange_lock_break={me.run_id}.",
                                f"The server's lock could not be released ({error}). The next run from this controller takes it over; "
                                f"from another one, use -e rpi_exchange_lock_break={me.run_id}.")
            result.update(changed=False, run_id=me.run_id, released=False, warnings=[warning])
            return result
        result.update(changed=False, run_id=me.run_id, released=bool(answer.get("released")))
        return result
