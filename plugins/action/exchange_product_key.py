# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.exchange_product_key (documentation in plugins/modules/exchange_product_key.py).

Activity 10, before the verification: reads the server's licence with win_exchange_product_key (as the Exchange
administrator: the shell is a second hop), decides in plugin_utils/_server/product_key.py whether to enter the key, and
only then calls the module again with the key. The key is checked before anything is read and never leaves the plugin:
every message and evidence shows it masked except its last five characters.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.plugins.loader import become_loader

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import product_key as pk
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

MODULE = "rpi.exchange.win_exchange_product_key"
MASK = "********"

ARGUMENT_SPEC = {
    "product_key": {"type": "str", "no_log": True},
    "expected_edition": {"type": "str", "choices": list(pk.EDITIONS)},
    "role": {"type": "str", "default": "Mailbox", "choices": ["Mailbox", "EdgeTransport", "ManagementTools"]},
    "run_as_user": {"type": "str"},
    "run_as_password": {"type": "str", "no_log": True},
    "language": {"type": "str", "default": "es", "choices": ["es", "en"]},
}


def _scrub(value, secrets):
    """The key and the password never leave the plugin, whatever a cmdlet's error echoes (in any case)."""
    if isinstance(value, dict):
        return {key: _scrub(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, secrets) for item in value]
    if isinstance(value, str):
        for secret in secrets:
            if secret:
                index = value.lower().find(secret.lower())
                while index >= 0:
                    value = value[:index] + MASK + value[index + len(secret):]
                    index = value.lower().find(secret.lower())
    return value


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = True
    _supports_check_mode = True
    _supports_async = False

    def _call(self, module_args, args, task_vars):
        """win_exchange_product_key as run_as_user when given (become runas), as exchange_verify reads the health."""
        if not args["run_as_user"]:
            result = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
        else:
            become = become_loader.get("runas")
            become.set_options(direct={"become_user": args["run_as_user"], "become_pass": args["run_as_password"] or "",
                                       "become_flags": ""})
            previous = self._connection.become
            self._connection.set_become_plugin(become)
            try:
                result = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
            finally:
                self._connection.set_become_plugin(previous)
        result.pop("invocation", None)
        return result

    @staticmethod
    def _read_problem(answer, language):
        """Why the licence could not be read (the module failed, the shell did not load, a cmdlet failed), or None."""
        if answer.get("failed"):
            return i18n.text(language, f"No se pudo leer la licencia de Exchange: {answer.get('msg', 'error')}",
                             f"Exchange's licence could not be read: {answer.get('msg', 'error')}")
        shell = answer.get("shell") or {}
        if not shell.get("loaded"):
            why = "; ".join([str(shell.get("error") or "")] + [str(text) for text in shell.get("messages") or []]).strip("; ")
            return i18n.text(language, f"No cargó el shell de administración de Exchange para leer la licencia: {why}",
                             f"The Exchange Management Shell did not load to read the licence: {why}")
        errors = answer.get("errors") or []
        if errors:
            text = "; ".join(f"{item.get('source')}: {item.get('message')}" for item in errors)
            if any(item.get("source") == "Set-ExchangeServer" for item in errors):
                return i18n.text(language,
                                 f"Set-ExchangeServer rechazó la clave de producto de {pk.VARIABLE}: «{text}». No se cambió la "
                                 "licencia. Revise que la clave sea la comprada para esta versión de Exchange y corríjala en el "
                                 "almacén cifrado (ansible-vault edit).",
                                 f"Set-ExchangeServer refused the product key in {pk.VARIABLE}: \"{text}\". The licence was not "
                                 "changed. Check that the key is the one purchased for this version of Exchange and correct it in "
                                 "the vault (ansible-vault edit).")
            return i18n.text(language, f"No se pudo leer la licencia de Exchange: {text}", f"Exchange's licence could not be read: {text}")
        return None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        language = args["language"]
        key = pk.normalize_key(args["product_key"]) if args["product_key"] else ""
        secrets = [key, args["run_as_password"] or ""]
        check_mode = bool(self._task.check_mode)
        expected = args["expected_edition"]
        # Before anything is read: a malformed key is refused naming the variable, never showing the key.
        if key:
            problem = pk.format_problem(key)
            if problem is not None:
                raise AnsibleActionFail(i18n.text(language, problem.es, problem.en))
        masked = pk.mask(key) if key else None
        result.update(changed=False, licence_masked=masked)
        if args["role"] == "ManagementTools":
            result.update(decision=pk.NOT_APPLICABLE,
                          msg=i18n.text(language, "Las herramientas de administración no tienen licencia propia: no hay clave que ingresar.",
                                        "The management tools have no licence of their own: there is no key to enter."))
            return result

        answer = self._call({}, args, task_vars)
        problem = self._read_problem(answer, language)
        if problem:
            result.update(failed=True, msg=problem)
            return _scrub(result, secrets)
        before = pk.ServerLicence.from_module(answer)
        today = datetime.now(timezone.utc)
        decision = pk.decide(before, key, expected)
        result.update(decision=decision.action, reason=decision.reason, edition=before.edition, trial=before.trial,
                      trial_days_left=pk.trial_days_left(before.installed_on, today, before.remaining) if before.trial else None)
        evidence = [Evidence(kind="check", level="ok" if not before.trial else "warning", summary_es=decision.es, summary_en=decision.en,
                             details={"edition": before.edition, "trial": before.trial, "installed_on": before.installed_on,
                                      "expected_edition": expected, "source": pk.SOURCE}).as_dict()]
        if decision.action != pk.ENTER:
            if decision.action != pk.NOT_APPLICABLE:
                evidence.append(pk.licence_notice(before, key=key, today=today))
            result.update(msg=decision.message(language), rpi_report={"evidence": evidence})
            return _scrub(result, secrets)

        restart = pk.restarts_information_store(before)
        answer = self._call({"product_key": key, "restart_information_store": restart}, args, task_vars)
        problem = self._read_problem(answer, language)
        if problem:
            result.update(failed=True, msg=problem, rpi_report={"evidence": evidence})
            return _scrub(result, secrets)
        if check_mode:
            plan_es = f"Se ingresaría la clave de producto {masked} con Set-ExchangeServer -ProductKey" + (
                " y se reiniciaría el servicio MSExchangeIS." if restart else ".")
            plan_en = f"The product key {masked} would be entered with Set-ExchangeServer -ProductKey" + (
                " and the MSExchangeIS service restarted." if restart else ".")
            evidence.append(Evidence(kind="plan", level="info", summary_es=plan_es, summary_en=plan_en,
                                     details={"licence_masked": masked, "restart_information_store": restart,
                                              "source": pk.SOURCE}).as_dict())
            evidence.append(pk.licence_notice(before, key=key, entered=True, check_mode=True))
            result.update(changed=True, msg=i18n.text(language, f"Se ingresaría la clave de producto {masked} (modo de comprobación).",
                                                      f"The product key {masked} would be entered (check mode)."),
                          rpi_report={"evidence": evidence})
            return _scrub(result, secrets)

        after = pk.ServerLicence.from_module({"exchange_server": answer.get("after")})
        store = answer.get("information_store") or {}
        result.update(changed=True, edition=after.licensed_edition or after.edition, trial=after.trial, trial_days_left=None,
                      information_store=store, warnings_from_exchange=answer.get("warnings_from_exchange") or [])
        change_es = f"Clave de producto {masked} ingresada con Set-ExchangeServer -ProductKey" + (
            "; servicio MSExchangeIS reiniciado." if store.get("restarted") else ".")
        change_en = f"Product key {masked} entered with Set-ExchangeServer -ProductKey" + (
            "; MSExchangeIS service restarted." if store.get("restarted") else ".")
        evidence.append(Evidence(kind="change", level="ok", summary_es=change_es, summary_en=change_en,
                                 details={"licence_masked": masked, "edition_before": before.edition,
                                          "edition_after": after.edition, "information_store": store,
                                          "warnings_from_exchange": answer.get("warnings_from_exchange") or [],
                                          "source": pk.SOURCE}).as_dict())
        wrong = pk.verify(after, expected)
        if restart and not store.get("restarted"):
            error = store.get("error") or "?"
            wrong = wrong or i18n.Text(
                f"La clave se ingresó, pero el servicio MSExchangeIS no se reinició: {error}. Reinícielo (Restart-Service MSExchangeIS) "
                "para que el almacén aplique la licencia.",
                f"The key was entered, but the MSExchangeIS service did not restart: {error}. Restart it (Restart-Service MSExchangeIS) "
                "so that the store applies the licence.")
        if wrong is not None:
            evidence.append(Evidence(kind="verification", level="error", summary_es=wrong.es, summary_en=wrong.en,
                                     details={"edition": after.edition, "trial": after.trial, "expected_edition": expected}).as_dict())
            result.update(failed=True, msg=i18n.text(language, wrong.es, wrong.en), rpi_report={"evidence": evidence})
            return _scrub(result, secrets)
        evidence.append(pk.licence_notice(after, key=key, entered=True))
        result.update(msg=i18n.text(language, f"Exchange con licencia: edición {result['edition']}, clave {masked}.",
                                    f"Exchange is licensed: {result['edition']} edition, key {masked}."),
                      rpi_report={"evidence": evidence})
        return _scrub(result, secrets)
