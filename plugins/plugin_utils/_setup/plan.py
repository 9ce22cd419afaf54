# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Setup planning: the mode decision and the exact Setup.exe command line, in one place.

`decide_mode` (setup_mode.py) says what the server needs; `plan_setup` joins that
decision with the licence (activity 6) and the role and options (activities 5 and 7) into
a `SetupPlan`; `build_command` (setup_command.py) turns the plan into the command that
activity 8 starts. `plan_evidence` is the `rpi_report` evidence for the plan. A plugin
that runs setup imports from here.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import INSTALL, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import report_evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.command import (
    SETUP_EXE,
    SETUP_MODES,
    SWITCH_ORDER,
    PlanError,
    SecretInCommandLine,
    SetupCommand,
    SetupPlan,
    assert_no_secret,
    build_command,
    setup_executable,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.mode import (
    DECISION_MODES,
    MODE_INSTALL,
    MODE_NOTHING,
    MODE_RECOVER,
    MODE_REFUSE,
    MODE_RESUME,
    MODE_UPGRADE,
    ModeDecision,
    decide_mode,
)

EVIDENCE_KIND = "plan"  # the report vocabulary (plugin_utils/report/vocabulary.py)

__all__ = [
    "DECISION_MODES", "EVIDENCE_KIND", "MODE_INSTALL", "MODE_NOTHING", "MODE_RECOVER", "MODE_REFUSE", "MODE_RESUME",
    "MODE_UPGRADE", "SETUP_EXE", "SETUP_MODES", "SWITCH_ORDER", "ModeDecision", "PlanError", "SecretInCommandLine",
    "SetupCommand", "SetupPlan", "assert_no_secret", "build_command", "decide_mode", "plan_evidence", "plan_setup",
    "setup_executable",
]


def plan_setup(decision: ModeDecision, *, media_root: str, license_switch: str, role: str | None = None,
               switches: Iterable[tuple[str, Any]] | Iterable[Mapping[str, Any]] = ()) -> SetupPlan:
    """The plan for a decision that runs setup; PlanError for `nothing`/`refuse` or a role that contradicts it.

    `license_switch` is the switch of activity 6's acceptance record (`licence.accepted_switch`),
    taken as it is; `role` and `switches` come from `exchange_setup_options`
    (its `role` and `switch_values`). With a resumed install the role must be the one
    that was interrupted.
    """
    if not decision.runs_setup or not decision.setup_mode:
        raise PlanError([f"The decision is '{decision.mode}' ({decision.reason}): there is no setup to run."])
    pairs = []
    for item in switches:
        if isinstance(item, Mapping):
            pairs.append((str(item["name"]), item.get("value")))
        else:
            name, value = item
            pairs.append((str(name), value))
    plan_role = None
    if decision.setup_mode == INSTALL:
        try:
            plan_role = normalize_role(role or decision.resume_role or "")
        except ValueError:
            raise PlanError([f"/Mode:Install needs a role (Mailbox, EdgeTransport, ManagementTools), not {role!r}."]) from None
        if decision.resume_role and plan_role != decision.resume_role:
            raise PlanError([f"The interrupted installation was of the {decision.resume_role} role, not {plan_role}."])
    return SetupPlan(media_root=media_root, media_version=decision.media_version, mode=decision.setup_mode,
                     license_switch=license_switch, role=plan_role, switches=tuple(pairs))


def plan_evidence(decision: ModeDecision, command: SetupCommand | None = None) -> dict[str, Any]:
    """The `rpi_report` evidence of the plan: the decision, and the command line when setup runs."""
    details: dict[str, Any] = {"activities": [3, 4, 5, 6, 7, 8], "decision": decision.as_dict()}
    summary_es, summary_en = decision.message_es, decision.message_en
    if command is not None:
        details["command"] = command.as_dict()
        summary_es += f" Línea de comandos: {command.command_line}"
        summary_en += f" Command line: {command.command_line}"
    return report_evidence(EVIDENCE_KIND, summary_es, summary_en, details, level="error" if decision.refused else "info")
