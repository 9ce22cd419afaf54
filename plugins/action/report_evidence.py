# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.report_evidence (documentation in plugins/modules/report_evidence.py).

Runs on the controller only: it validates one piece of evidence against the contract and
returns it under `rpi_report`, where the procedure_report callback picks it up.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import RESULT_KEY, normalize_payload
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import Scrubber
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import EVIDENCE_KINDS, LEVELS

ARGUMENT_SPEC = {
    "kind": {"type": "str", "choices": list(EVIDENCE_KINDS)},
    "summary_es": {"type": "str"},
    "summary_en": {"type": "str"},
    "level": {"type": "str", "default": "info", "choices": list(LEVELS)},
    "details": {"type": "dict", "default": {}},
    "run": {"type": "dict"},
    "target": {"type": "dict"},
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
        payload = {}
        if args["kind"]:
            payload["evidence"] = [{"kind": args["kind"], "summary_es": args["summary_es"], "summary_en": args["summary_en"],
                                    "level": args["level"], "details": args["details"]}]
        elif args["summary_es"] or args["summary_en"] or args["details"]:
            raise AnsibleActionFail("kind is required with summary_es, summary_en or details")
        for section in ("run", "target"):
            if args[section]:
                payload[section] = args[section]
        if not payload:
            raise AnsibleActionFail("nothing to report: give kind and summary_es (evidence), run or target")
        clean = normalize_payload(payload)
        if clean.problems:
            raise AnsibleActionFail("the evidence does not follow the report contract: " + "; ".join(clean.problems))
        report = {"evidence": clean.evidence}
        if clean.run:
            report["run"] = clean.run
        if clean.target:
            report["target"] = clean.target
        # Mask secret-looking keys here too: the result is also shown on the console with -v.
        result.update(changed=False, **{RESULT_KEY: Scrubber().deep(report, mask_names=True)})
        return result
