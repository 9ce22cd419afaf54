# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Is the connection to the server one the RPI accepts? WinRM over HTTPS with the certificate validated.

Anything weaker (plain HTTP, certificate validation off, message encryption off) is refused before the
first byte is sent, unless the inventory says explicitly that this is a lab (`rpi_exchange_insecure_lab`);
then the run goes on and its report says, on its first page, which protections were off.
The decision reads the connection plugin's resolved options, so defaults are judged as the plugin applies them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence

ASSESSED = ("winrm", "psrp")
SECURE_BY_NATURE = ("ssh",)


@dataclass(frozen=True)
class Finding:
    setting: str
    value: str
    es: str
    en: str


@dataclass(frozen=True)
class Assessment:
    connection: str
    scheme: str
    port: int | None
    cert_validation: str
    transport: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def secure(self) -> bool:
        return not self.findings

    def details(self) -> dict[str, Any]:
        return {"connection": self.connection, "scheme": self.scheme, "port": self.port, "cert_validation": self.cert_validation,
                "transport": self.transport, "findings": [finding.setting for finding in self.findings]}


def _plugin_name(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _scheme(explicit: str | None, port: Any, default_port: int = 5986) -> tuple[str, int | None]:
    """As the plugins resolve them: no scheme means http on 5985, https otherwise."""
    try:
        number = int(port) if port not in (None, "") else None
    except (TypeError, ValueError):
        number = None
    if explicit:
        return str(explicit).lower(), number if number is not None else (default_port if str(explicit).lower() == "https" else 5985)
    if number is None:
        return "https", default_port
    return ("http" if number == 5985 else "https"), number


def assess(connection: str, options: dict[str, Any]) -> Assessment:
    """`options`: the connection plugin's resolved options (scheme/protocol, port, transport/auth, and for winrm `_extras`)."""
    name = _plugin_name(connection or "")
    if name not in ASSESSED:
        return Assessment(name, "", None, "", "", [] if name in SECURE_BY_NATURE or name == "local" else [
            Finding("ansible_connection", name, f"conexión '{name}' que este control no evalúa", f"connection '{name}' this check does not assess")])
    extras = options.get("_extras") or {}
    if name == "winrm":
        scheme, port = _scheme(options.get("scheme"), options.get("port"))
        validation = str(extras.get("ansible_winrm_server_cert_validation") or "validate").lower()
        encryption = str(extras.get("ansible_winrm_message_encryption") or "auto").lower()
        transport = ",".join(options.get("transport") or []) if isinstance(options.get("transport"), list) else str(options.get("transport") or "")
        prefix = "ansible_winrm_"
    else:
        scheme, port = _scheme(options.get("protocol"), options.get("port"))
        validation = str(options.get("cert_validation") or "validate").lower()
        encryption = str(options.get("message_encryption") or "auto").lower()
        transport = str(options.get("auth") or "")
        prefix = "ansible_psrp_"
    findings = []
    if scheme != "https":
        findings.append(Finding(prefix + ("scheme" if name == "winrm" else "protocol"), scheme,
                                "WinRM por HTTP, sin TLS", "WinRM over HTTP, without TLS"))
        if "basic" in transport.lower():
            findings.append(Finding(prefix + ("transport" if name == "winrm" else "auth"), transport,
                                    "autenticación Basic por HTTP: la contraseña viaja legible",
                                    "Basic authentication over HTTP: the password travels readable"))
    if scheme == "https" and validation == "ignore":
        findings.append(Finding(prefix + ("server_cert_validation" if name == "winrm" else "cert_validation"), validation,
                                "certificado del servidor sin validar", "server certificate not validated"))
    if encryption == "never":
        findings.append(Finding(prefix + "message_encryption", encryption, "cifrado de mensajes desactivado", "message encryption turned off"))
    return Assessment(name, scheme, port, validation, transport, findings)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    evidence: dict[str, Any]
    message_es: str = ""
    message_en: str = ""

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_es


def decide(assessment: Assessment, insecure_lab: bool) -> Decision:
    details = {**assessment.details(), "insecure_lab": insecure_lab}
    if assessment.secure:
        return Decision(True, Evidence(
            kind="check", level="ok",
            summary_es=f"Conexión segura con el servidor: {assessment.connection} por {assessment.scheme or 'un canal cifrado'}"
                       f"{', certificado validado' if assessment.scheme == 'https' else ''}.",
            summary_en=f"Secure connection to the server: {assessment.connection} over {assessment.scheme or 'an encrypted channel'}"
                       f"{', certificate validated' if assessment.scheme == 'https' else ''}.",
            details=details).as_dict())
    listed_es = "; ".join(f"{finding.es} ({finding.setting}={finding.value})" for finding in assessment.findings)
    listed_en = "; ".join(f"{finding.en} ({finding.setting}={finding.value})" for finding in assessment.findings)
    if insecure_lab:
        return Decision(True, Evidence(
            kind="notice", level="warning",
            summary_es=f"AJUSTE INSEGURO DE LABORATORIO (rpi_exchange_insecure_lab: true): {listed_es}. "
                       "Esta ejecución no es válida para el servidor de producción del RPI.",
            summary_en=f"INSECURE LAB SETTING (rpi_exchange_insecure_lab: true): {listed_en}. "
                       "This run is not valid for the RPI's production server.",
            details=details).as_dict())
    return Decision(False, {}, (
        f"Conexión insegura con el servidor: {listed_es}. No se envió nada al servidor y no se cambió nada. "
        "Use WinRM por HTTPS (puerto 5986) con ansible_winrm_server_cert_validation: validate y el certificado de la CA del RPI en "
        "ansible_winrm_ca_trust_path. Solo en un laboratorio, declare rpi_exchange_insecure_lab: true: el informe lo registrará."), (
        f"Insecure connection to the server: {listed_en}. Nothing was sent to the server and nothing was changed. "
        "Use WinRM over HTTPS (port 5986) with ansible_winrm_server_cert_validation: validate and the RPI CA's certificate in "
        "ansible_winrm_ca_trust_path. Only in a lab, set rpi_exchange_insecure_lab: true: the report will record it."))
