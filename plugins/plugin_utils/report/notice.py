# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 11: tell the IT Head the installation is finished, by e-mail, report attached.

Optional: without a relay the report folder itself is the notice. The body is a short plain
text summary in Spanish (or English); report.html and report.json go as attachments. A
failure to send is the caller's to report (a warning and evidence), never a failed run.
"""

from __future__ import annotations

import dataclasses
import os
import smtplib
import ssl
import typing as t
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import local_time
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.outcome import activity_title, headline, os_text, version_text

SECURITY_MODES = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}


class NoticeError(Exception):
    """The message could not be delivered to the relay."""


@dataclasses.dataclass
class SmtpSettings:
    host: str
    sender: str
    recipients: list[str]
    port: int | None = None
    security: str = "starttls"
    username: str | None = None
    password: str | None = dataclasses.field(default=None, repr=False)
    timeout: float = 30.0
    validate_certs: bool = True
    ca_path: str | None = None

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS.get(self.security, 25)


def body(document: t.Mapping[str, t.Any], language: str, folder: str) -> str:
    """The e-mail's text: the outcome, the server, the twelve activities, what to do next."""
    head = headline(document, language)
    run, target = document["run"], document["target"]
    zone = (document.get("presentation") or {}).get("timezone")
    instruction = run.get("instruction") or {}
    technician = (run.get("technician") or {}).get("name") or text(language, "unknown")
    facts = [
        (text(language, "server"), f"{target.get('host') or text(language, 'unknown')} · {os_text(target.get('os'), language)}"),
        (text(language, "exchange"), f"{version_text(target.get('exchange_before'), language)} → "
                                     f"{version_text(target.get('exchange_after'), language)}"),
        (text(language, "instructed_by"), " · ".join(str(part) for part in (instruction.get("who"), instruction.get("reference")) if part)
         or text(language, "not_recorded")),
        (text(language, "technician"), technician),
        (text(language, "started"), local_time(run.get("started"), zone, language)),
    ]
    lines = [text(language, "notice.greeting"), "", text(language, "notice.intro"), "", f"{head.sign} {head.title}"]
    lines += [f"   {line}" for line in head.lines]
    lines += [""] + [f"{label}: {value}" for label, value in facts] + ["", text(language, "notice.activities") + ":"]
    for entry in document["activities"]:
        status = text(language, "status." + entry["status"])
        lines.append(f"  {entry['number']:>2}  {status:<12} {activity_title(entry, language)}")
    lines += ["", text(language, "notice.review"), text(language, "notice.folder", path=folder), text(language, "notice.attached"), "",
              text(language, "notice.signature", technician=technician)]
    return "\n".join(lines) + "\n"


def subject(document: t.Mapping[str, t.Any], language: str) -> str:
    head = headline(document, language)
    host = document["target"].get("host") or text(language, "unknown")
    return text(language, "notice.subject.ok", outcome=head.title, host=host, run=document["run"].get("id"))


def compose(document: t.Mapping[str, t.Any], settings: SmtpSettings, language: str, folder: str,
            attachments: t.Mapping[str, tuple[bytes, str]], title: str | None = None) -> EmailMessage:
    """The message; attachments map a file name to (content, MIME type)."""
    message = EmailMessage()
    message["Subject"] = title or subject(document, language)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1] if "@" in settings.sender else None)
    message.set_content(body(document, language, folder))
    for name, (content, mime) in attachments.items():
        maintype, _slash, subtype = mime.partition("/")
        # Our text files are UTF-8; saying so lets mail clients show Spanish accents right.
        params = {"charset": "utf-8"} if maintype == "text" or subtype == "json" else None
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name, params=params)
    return message


def _tls_context(settings: SmtpSettings) -> ssl.SSLContext:
    """The controller's own trust store, plus the configured CA (a PEM file, or a c_rehash'd folder) beside it.

    The CA is added, not put in the store's place, so one setting serves a relay signed by the RPI's CA and, unchanged,
    a relay with a public certificate; nothing on the controller's trust store changes."""
    context = ssl.create_default_context()
    if settings.ca_path:
        if os.path.isdir(settings.ca_path):
            context.load_verify_locations(capath=settings.ca_path)
        else:
            context.load_verify_locations(cafile=settings.ca_path)
    if not settings.validate_certs:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def send(message: EmailMessage, settings: SmtpSettings) -> dict[str, t.Any]:
    """Hand the message to the relay; returns the recipients it refused (usually none)."""
    if settings.security not in SECURITY_MODES:
        raise NoticeError(f"smtp security must be one of {', '.join(SECURITY_MODES)}")
    try:
        if settings.security == "tls":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.effective_port, timeout=settings.timeout,
                                                    context=_tls_context(settings))
        else:
            client = smtplib.SMTP(settings.host, settings.effective_port, timeout=settings.timeout)
        with client:
            client.ehlo()
            if settings.security == "starttls":
                client.starttls(context=_tls_context(settings))
                client.ehlo()
            if settings.username:
                client.login(settings.username, settings.password or "")
            refused = client.send_message(message, from_addr=settings.sender, to_addrs=settings.recipients)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as error:
        raise NoticeError(f"{type(error).__name__}: {error}") from error
    return dict(refused)
