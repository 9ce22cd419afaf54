# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_prerequisites (documentation in plugins/modules/exchange_prerequisites.py).

Python decides, standard Windows modules act: one probe (rpi.exchange.win_exchange_probe) says
what the server has, `prerequisite_plan.make_plan` decides what it lacks, and the changes go
through ansible.windows.win_feature (one call), ansible.windows.win_package (one per installer)
and rpi.exchange.server_restart's action plugin. A second probe checks the result.
"""

from __future__ import annotations

from typing import Any

from ansible.errors import AnsibleActionFail

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.server_action import ServerAction
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import LANGUAGES
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import failure_message
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.prerequisites import (
    DOTNET_CHOICES,
    DOTNET_RECOMMENDED,
    PrerequisitePlan,
    features_evidence,
    install_evidence,
    make_plan,
    missing_file_problems,
    missing_items,
    outcome_evidence,
    plan_evidence,
    plan_summary,
    present_evidence,
    reboot_evidence,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import interpret, probe_arguments
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

PROBE_MODULE = "rpi.exchange.win_exchange_probe"

ARGUMENT_SPEC = {
    "exchange_version": {"type": "str", "required": True},
    "role": {"type": "str", "default": "Mailbox", "choices": ["Mailbox", "EdgeTransport", "ManagementTools"]},
    "source": {"type": "str"},
    "installers": {"type": "dict", "default": {}},
    "media_path": {"type": "str"},
    "dotnet": {"type": "str", "default": DOTNET_RECOMMENDED, "choices": list(DOTNET_CHOICES)},
    "reboot": {"type": "bool", "default": True},
    "reboot_timeout": {"type": "int", "default": 1800},
    "language": {"type": "str", "default": "es", "choices": list(LANGUAGES)},
}

_TEXT = {
    "refused": ("Prerrequisitos no instalados", "Prerequisites not installed"),
    "probe_failed": ("No se pudo leer el servidor", "The server could not be read"),
}


class ActionModule(ServerAction):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False
    _probe_error = ""

    # ------------------------------------------------------------------------------- server calls
    def _probe(self, role: str, task_vars: dict) -> dict[str, Any] | None:
        """The whole server in one WinRM call, interpreted against the catalogue (None when the probe failed)."""
        raw = self._execute_module(module_name=PROBE_MODULE, module_args=probe_arguments(role, 0), task_vars=task_vars)
        if raw.get("failed"):
            self._probe_error = str(raw.get("msg") or "unknown error")
            return None
        return interpret(raw, role)

    def _stat(self, path: str, task_vars: dict) -> bool:
        answer = self._execute_module(module_name="ansible.windows.win_stat",
                                      module_args={"path": path, "get_checksum": False}, task_vars=task_vars)
        return bool(not answer.get("failed") and (answer.get("stat") or {}).get("exists") and not answer["stat"].get("isdir"))

    # ------------------------------------------------------------------------------- the run
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        if args["reboot_timeout"] <= 0:
            raise AnsibleActionFail("reboot_timeout must be a positive number of seconds")
        check_mode = bool(self._task.check_mode)
        evidence: list[dict[str, Any]] = []
        result.update(changed=False, installed=[], already_present=[], missing_after=[], reboots={"count": 0, "reasons": []},
                      reboot_required=False, rpi_report={"evidence": evidence})

        facts = self._probe(args["role"], task_vars)
        if facts is None:
            result.update(failed=True, msg=f"{i18n.text(language, *_TEXT['probe_failed'])}: {self._probe_error}")
            return result
        plan = make_plan(facts, exchange_version=args["exchange_version"], role=args["role"], source=args["source"],
                         installers=args["installers"], media_path=args["media_path"], dotnet=args["dotnet"])
        result["plan"] = plan.as_dict()
        if plan.problems:
            return self._refuse(result, plan.problems, language)
        # Every installer must be reachable before the first change (a reboot included).
        exists = {step.path: self._stat(step.path, task_vars) for step in plan.steps}
        if check_mode:
            # In check mode rpi.exchange.exchange_media reads the media without leaving it mounted, so the media's
            # own installer (UCMA on Server Core) may not be reachable yet: say so instead of refusing.
            unreachable = [step for step in plan.steps if step.origin == "media" and not exists[step.path]]
            for step in unreachable:
                exists[step.path] = True
                result.setdefault("warnings", []).append(
                    f"{step.path} is not reachable now (the media is not mounted in check mode); it is checked in the real run.")
        file_problems = missing_file_problems(plan, exists)
        if file_problems:
            return self._refuse(result, file_problems, language)

        result["already_present"] = [item.as_dict() for item in plan.already_present]
        if plan.already_present:
            evidence.append(present_evidence(plan))
        if check_mode:
            return self._check_mode(result, plan, args, task_vars, evidence, language)
        return self._apply(result, plan, args, task_vars, evidence, language, facts)

    def _refuse(self, result: dict, problems, language: str) -> dict:
        result.update(failed=True, msg=failure_message(*_TEXT["refused"], problems, language),
                      problems=[problem.as_dict() for problem in problems])
        result["rpi_report"]["evidence"].append(Evidence(
            kind="check", level="error",
            summary_es=failure_message(*_TEXT["refused"], problems, "es"),
            summary_en=failure_message(*_TEXT["refused"], problems, "en"),
            details={"problems": [problem.as_dict() for problem in problems]},
        ).as_dict())
        return result

    def _check_mode(self, result: dict, plan: PrerequisitePlan, args: dict, task_vars: dict, evidence: list, language: str) -> dict:
        """Nothing changes: say what would be installed and whether the server would restart."""
        features_reboot = False
        if plan.features:
            # win_feature in check mode reports whether these features would need a restart.
            answer = self._execute_module(module_name="ansible.windows.win_feature",
                                          module_args={"name": list(plan.features), "state": "present"}, task_vars=task_vars)
            features_reboot = bool(answer.get("reboot_required"))
        after_install = features_reboot or any(step.reboot_expected for step in plan.steps)
        reasons = []
        if plan.reboot_first:
            reasons.append("pending_before_start")
        if after_install:
            reasons.append("after_install")
        reboot_predicted = bool(reasons) and args["reboot"]
        result.update(
            changed=plan.has_work or reboot_predicted,
            installed=[{"key": name, "name": name, "type": "feature"} for name in plan.features] + [step.as_dict() for step in plan.steps],
            reboots={"count": len(reasons) if args["reboot"] else 0, "reasons": reasons if args["reboot"] else []},
            reboot_required=bool(reasons) and not args["reboot"],
            missing_after=[],
            msg=i18n.text(language, f"Se instalaría: {plan_summary(plan, 'es')}; reinicio: {'sí' if reboot_predicted else 'no'}.",
                          f"Would install: {plan_summary(plan, 'en')}; restart: {'yes' if reboot_predicted else 'no'}."),
        )
        evidence.append(plan_evidence(plan, reboot_predicted))
        return result

    def _apply(self, result: dict, plan: PrerequisitePlan, args: dict, task_vars: dict, evidence: list, language: str,
               facts: dict) -> dict:
        installed: list[dict[str, Any]] = []
        reboots: list[str] = []
        warnings: list[str] = []
        result.update(installed=installed, reboots={"count": 0, "reasons": reboots})

        def restart(reason: str, reason_es: str, reason_en: str) -> bool:
            answer = self._reboot(args["reboot_timeout"], "Reboot initiated by rpi.exchange.exchange_prerequisites", task_vars)
            if answer.get("failed"):
                result.update(failed=True, changed=True, reboot_result=answer,
                              msg=i18n.text(language, f"El reinicio del servidor falló ({reason_es}): {answer.get('msg')}",
                                            f"The server restart failed ({reason_en}): {answer.get('msg')}"))
                return False
            reboots.append(reason)
            result["reboots"]["count"] = len(reboots)
            result["changed"] = True
            evidence.append(reboot_evidence(reason_es, reason_en, {"reason": reason, "elapsed": answer.get("elapsed")}))
            return True

        if plan.reboot_first:
            sources = ", ".join(plan.pending_sources)
            if args["reboot"]:
                if not restart("pending_before_start", f"había un reinicio pendiente antes de empezar ({sources})",
                               f"a restart was pending before starting ({sources})"):
                    return result
            elif plan.has_work:
                warnings.append(f"A restart is pending ({sources}) and reboot=false: installers may fail until the server restarts.")

        needs_restart: list[str] = []
        if plan.features:
            answer = self._execute_module(module_name="ansible.windows.win_feature",
                                          module_args={"name": list(plan.features), "state": "present"}, task_vars=task_vars)
            if answer.get("failed"):
                return self._install_failed(result, "win_feature", answer, language, evidence)
            result["changed"] = result["changed"] or bool(answer.get("changed"))
            installed += [{"key": name, "name": name, "type": "feature"} for name in plan.features]
            if answer.get("reboot_required"):
                needs_restart.append("features")
            evidence.append(features_evidence(plan.features, bool(answer.get("reboot_required"))))

        for step in plan.steps:
            answer = self._execute_module(module_name="ansible.windows.win_package", module_args=step.module_args(),
                                          task_vars=task_vars)
            if answer.get("failed"):
                return self._install_failed(result, step.name, answer, language, evidence, step.path)
            reboot_required = bool(answer.get("reboot_required")) or answer.get("rc") == 3010
            result["changed"] = result["changed"] or bool(answer.get("changed"))
            installed.append(dict(step.as_dict(), rc=answer.get("rc"), reboot_required=reboot_required))
            if reboot_required:
                needs_restart.append(step.key)
            evidence.append(install_evidence(step, answer.get("rc"), reboot_required))

        if needs_restart and args["reboot"]:
            what = ", ".join(needs_restart)
            if not restart("after_install", f"lo requieren {what}", f"required by {what}"):
                return result

        if installed or reboots:
            after = self._probe(args["role"], task_vars)
            if after is None:
                result.update(failed=True, msg=f"{i18n.text(language, *_TEXT['probe_failed'])}: {self._probe_error}")
                return result
        else:
            after = facts  # nothing was done: the first probe is still the truth, no second round trip
        missing_after = missing_items(after, plan.target)
        pending_after = bool((after.get("pending_reboot") or {}).get("pending"))
        reboot_required = pending_after or (bool(needs_restart) and not args["reboot"])
        result.update(missing_after=[item.as_dict() for item in missing_after], reboot_required=reboot_required,
                      dotnet_after={"release": (after.get("dotnet") or {}).get("release"),
                                    "version": (after.get("dotnet") or {}).get("version")})
        evidence.append(outcome_evidence(plan.target, missing_after, reboot_required))
        if warnings:
            result["warnings"] = warnings
        if missing_after:
            names = ", ".join(item.name for item in missing_after)
            result.update(failed=True, msg=i18n.text(language, f"Siguen faltando prerrequisitos después de instalar: {names}.",
                                                     f"Prerequisites still missing after installing: {names}."))
            return result
        result["msg"] = self._summary(plan, installed, reboots, reboot_required, language)
        return result

    @staticmethod
    def _summary(plan: PrerequisitePlan, installed: list, reboots: list, reboot_required: bool, language: str) -> str:
        if language == "es":
            text = f"Instalado: {plan_summary(plan, 'es')}." if installed else "Todos los prerrequisitos ya estaban presentes."
            text += f" Reinicios: {len(reboots)}." if reboots else ""
            return text + (" Falta reiniciar el servidor." if reboot_required else "")
        text = f"Installed: {plan_summary(plan, 'en')}." if installed else "Every prerequisite was already present."
        text += f" Restarts: {len(reboots)}." if reboots else ""
        return text + (" The server still needs a restart." if reboot_required else "")

    @staticmethod
    def _install_failed(result: dict, what: str, answer: dict, language: str, evidence: list, path: str = "") -> dict:
        detail = answer.get("msg") or "unknown error"
        where = f" ({path})" if path else ""
        result.update(failed=True, module_result=answer,
                      msg=i18n.text(language, f"Falló la instalación de {what}{where}: {detail} (código {answer.get('rc')})",
                                    f"Installing {what}{where} failed: {detail} (exit code {answer.get('rc')})"))
        evidence.append(Evidence(kind="change", level="error", summary_es=f"Falló la instalación de {what}{where}: {detail}",
                                 summary_en=f"Installing {what}{where} failed: {detail}",
                                 details={"rc": answer.get("rc"), "stdout": answer.get("stdout"), "stderr": answer.get("stderr"),
                                          "installed_before_failure": list(result.get("installed") or [])}).as_dict())
        return result
