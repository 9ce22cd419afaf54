# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action plugin behind rpi.exchange.report_notice (documentation in plugins/modules/report_notice.py).

Activity 11 on the controller: e-mails the IT Head a summary with the run report attached.
Not sending (no relay configured, or the relay unreachable) never fails the run: the
report folder stays the notice, and the result says so as a warning and as evidence.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import vocabulary as v
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import provisional
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import RESULT_KEY
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import iso, utc_now
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.notice import SECURITY_MODES, NoticeError, SmtpSettings, compose, send
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import Scrubber
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import ReportError, json_bytes, load_report
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

ARGUMENT_SPEC = {
    "report_dir": {"type": "path"},
    "smtp_host": {"type": "str"},
    "smtp_port": {"type": "int"},
    "smtp_security": {"type": "str", "default": "starttls", "choices": list(SECURITY_MODES)},
    "smtp_username": {"type": "str"},
    "smtp_password": {"type": "str", "no_log": True},
    "validate_certs": {"type": "bool", "default": True},
    "ca_path": {"type": "path"},
    "sender": {"type": "str"},
    "recipients": {"type": "list", "elements": "str", "default": []},
    "subject": {"type": "str"},
    "language": {"type": "str", "choices": list(v.LANGUAGES)},
    "timeout": {"type": "int", "default": 30},
    "attach_json": {"type": "bool", "default": True},
}


def _ca_problem(settings: SmtpSettings) -> tuple[str, str] | None:
    """Why the configured CA can't be used, in Spanish and English, before trying the relay; None when it can (or isn't used)."""
    path = settings.ca_path
    if not path or settings.security == "none" or not settings.validate_certs:
        return None
    if not os.path.exists(path):
        return (f"el archivo de la CA del relé indicado en ca_path ({path}) no existe en el equipo de control",
                f"the relay's CA file given in ca_path ({path}) does not exist on the controller")
    if not os.access(path, os.R_OK):
        return (f"el usuario que ejecuta ansible-playbook no puede leer la CA del relé indicada en ca_path ({path})",
                f"the user running ansible-playbook cannot read the relay's CA given in ca_path ({path})")
    return None


def _evidence(level: str, summary_es: str, summary_en: str, details: dict) -> dict:
    return {"evidence": [Evidence(kind="notice", level=level, summary_es=summary_es, summary_en=summary_en, details=details).as_dict()]}


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        folder = args["report_dir"] or os.environ.get(v.RUN_DIR_ENV)
        if not folder:
            # The report is switched off or not written: nothing to attach, and still no reason to stop the run.
            warning = "No run report to send: the procedure_report callback is not writing one and report_dir is not set."
            result.update(changed=False, sent=False, msg=warning, warnings=[warning])
            return result
        try:
            document = provisional(load_report(folder), iso(utc_now()))
        except ReportError as error:
            raise AnsibleActionFail(str(error)) from error
        result.update(changed=False, sent=False, report_dir=folder)

        if not args["smtp_host"]:
            result["msg"] = "No e-mail relay configured: the report folder is the notice."
            result[RESULT_KEY] = _evidence("info", f"Informe disponible para el Encargado de TI en {folder} (sin envío por correo).",
                                           f"Report available to the Head of IT in {folder} (no e-mail sent).", {"report_dir": folder})
            return result
        if not args["sender"] or not args["recipients"]:
            raise AnsibleActionFail("sender and recipients are required with smtp_host")

        language = args["language"] or (document.get("presentation") or {}).get("language") or "es"
        settings = SmtpSettings(host=args["smtp_host"], port=args["smtp_port"], security=args["smtp_security"], sender=args["sender"],
                                recipients=list(args["recipients"]), username=args["smtp_username"], password=args["smtp_password"],
                                timeout=args["timeout"], validate_certs=args["validate_certs"], ca_path=args["ca_path"])
        attachments = {v.REPORT_HTML: (render(document, language).encode("utf-8"), "text/html")}
        if args["attach_json"]:
            attachments[v.REPORT_JSON] = (json_bytes(document), "application/json")
        message = compose(document, settings, language, folder, attachments, args["subject"])
        where = f"{settings.host}:{settings.effective_port}"
        details = {"relay": where, "security": settings.security, "recipients": settings.recipients, "subject": message["Subject"],
                   "attachments": sorted(attachments)}
        result.update(recipients=settings.recipients, subject=message["Subject"])

        if self._task.check_mode:
            result["msg"] = f"Check mode: the notice would be sent to {', '.join(settings.recipients)} through {where}."
            result[RESULT_KEY] = _evidence("info", f"Se enviaría el aviso a {', '.join(settings.recipients)}.",
                                           f"The notice would be sent to {', '.join(settings.recipients)}.", details)
            return result
        ca_problem = _ca_problem(settings)
        try:
            if ca_problem is not None:
                raise NoticeError(ca_problem[1])
            refused = send(message, settings)
        except NoticeError as error:
            scrubber = Scrubber()
            scrubber.add_value(settings.password)
            reason = scrubber.text(str(error))
            reason_es = ca_problem[0] if ca_problem is not None else reason
            warning = f"The notice to the Head of IT could not be sent through {where}: {reason}. The report is in {folder}."
            result["warnings"] = [warning]
            result["msg"] = warning
            result[RESULT_KEY] = _evidence("warning", f"No se pudo enviar el aviso por correo ({where}): {reason_es}. "
                                                      f"Entregue el informe de {folder} por otro medio.",
                                           f"The e-mail notice could not be sent ({where}): {reason}. Hand over the report in "
                                           f"{folder} another way.", dict(details, error=reason))
            return result
        delivered = [address for address in settings.recipients if address not in refused]
        result.update(changed=True, sent=True, refused=sorted(refused), message_id=message["Message-ID"],
                      msg=f"Notice sent to {', '.join(delivered)}.")
        sent_details = dict(details, refused=sorted(refused), message_id=message["Message-ID"])
        result[RESULT_KEY] = _evidence("ok" if not refused else "warning", f"Aviso enviado por correo a {', '.join(delivered)}.",
                                       f"Notice e-mailed to {', '.join(delivered)}.", sent_details)
        return result
