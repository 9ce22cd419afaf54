# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.report_validation (documentation in plugins/modules/report_validation.py).

Activity 12 on the controller: records the IT Head's decision in a run report, or checks
that a validated report has not changed since.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import RESULT_KEY
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import ReportError
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.validation import (
    NOT_VALIDATED,
    VALID,
    ValidationError,
    choose_run_text,
    list_runs,
    record_validation,
    run_list_text,
    verify_report,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

ARGUMENT_SPEC = {
    "path": {"type": "path", "required": True},
    "state": {"type": "str", "default": "verified", "choices": ["listed", "recorded", "verified"]},
    "name": {"type": "str"},
    "decision": {"type": "str", "choices": list(v.DECISIONS)},
    "comment": {"type": "str", "default": ""},
    "recorded_at": {"type": "str"},
    "language": {"type": "str", "default": "es", "choices": list(v.LANGUAGES)},
}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        if args["state"] == "verified":
            return self._verify(result, args)
        if args["state"] == "listed":
            return self._list(result, args)
        if not args["name"] or not args["decision"]:
            raise AnsibleActionFail("state=recorded needs name and decision")
        try:
            validation = record_validation(args["path"], args["name"], args["decision"], args["comment"],
                                           when=args["recorded_at"], write=not self._task.check_mode)
        except (ValidationError, ReportError) as error:
            raise AnsibleActionFail(str(error)) from error
        decided = args["decision"] == v.DECISION_VALIDATED
        result.update(changed=True, validation=validation, msg=f"Validation recorded in {args['path']}: {args['decision']}.")
        result[RESULT_KEY] = {"evidence": [Evidence(
            kind="validation", level="ok" if decided else "warning",
            summary_es=f"{'Validación' if decided else 'Devolución'} registrada por {validation['name']} (huella {validation['digest'][:16]}...).",
            summary_en=f"{'Validation' if decided else 'Return'} recorded by {validation['name']} (digest {validation['digest'][:16]}...).",
            details={"report": args["path"], "decision": args["decision"], "digest": validation["digest"]},
        ).as_dict()]}
        if self._task.check_mode:
            result["msg"] = f"Check mode: the validation would be recorded in {args['path']}."
        return result

    def _verify(self, result, args):
        verification = verify_report(args["path"])
        details = verification.as_dict(args["language"])
        result.update(changed=False, valid=verification.valid, verification=details, msg=details["message"])
        if verification.status not in (VALID, NOT_VALIDATED):
            result["failed"] = True
        return result

    @staticmethod
    def _list(result, args):
        runs = list_runs(args["path"])
        listing = run_list_text(runs, args["language"], args["path"])
        result.update(changed=False, runs=runs, listing=listing.splitlines(), choose=choose_run_text(args["language"]),
                      msg=listing)
        return result
