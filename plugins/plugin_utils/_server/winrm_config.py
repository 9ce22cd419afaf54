# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""WinRM's own configuration before setup: restore it as ExchangeDsc does, without losing the run's connection.

Without `WSMAN\\UpdatedConfig`, Exchange setup restarts WinRM mid-setup; ExchangeDsc (Set-WSManConfigStatus, called by
its ExchangeInstall resource before it starts setup) runs `winrm invoke Restore winrm/config` from
`%windir%\\System32\\inetsrv` and restarts the server first [S5; exchange-facts §6.2]. The restore puts back WinRM's
*default* configuration, which has no listener (catalogue.windows_policies): run over WinRM it would remove the HTTPS
listener the run itself connects through, and nobody could reach the server again without its console.

So the restore and the re-creation of the listeners WinRM had (`*+HTTPS` with its port, host name and certificate
thumbprint, `*+HTTP` with its port) are two actions of one scheduled task that runs as SYSTEM, outside WinRM: the
listeners are back a moment after they went, and the controller reconnects. Then the server restarts
(ansible.windows.win_reboot). Every value that goes into the task's command line is checked against a strict pattern
first; a listener that cannot be created again exactly (no certificate thumbprint, an odd host name), or a connection
that does not come through one of the listeners read here (a listener bound to one address, a Group Policy one), is
refused before any change, saying what the administrator does at the console instead.

The restore also resets WinRM's service settings to their defaults (Kerberos and Negotiate on; Basic, CredSSP and
unencrypted traffic off): what the RPI's HTTPS connection with NTLM or Kerberos uses survives it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.windows_policies import (
    UPDATED_CONFIG,
    WINRM_RESTORE_DIRECTORY,
    WSMAN_KEY,
    WSMAN_LISTENER_KEYS,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

TASK_MODULE = "community.windows.win_scheduled_task"
TASK_STAT_MODULE = "community.windows.win_scheduled_task_stat"
COMMAND_MODULE = "ansible.windows.win_command"
REG_STAT_MODULE = "ansible.windows.win_reg_stat"
TASK_NAME = "rpi-exchange-winrm-restore"
TASK_FOLDER = "\\RPI\\"
TASK_DESCRIPTION = ("rpi.exchange: restores WinRM's configuration and creates its listeners again before Exchange setup "
                    "(activity 8 of ME-VAR-RPI-MNP-15). Registered and removed by rpi.exchange.winrm_config.")
WINRM_CMD = r"%windir%\System32\winrm.cmd"
RESTORE_ARGUMENTS = "invoke Restore winrm/config @{}"
DEFAULT_PORTS = {"HTTPS": 5986, "HTTP": 5985}
# Re-created first: the transport the run connects through.
TRANSPORT_ORDER = ("HTTPS", "HTTP")

NONE, RESTORE, REFUSE = "none", "restore", "refuse"

_HOSTNAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*$")
_THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}$")


@dataclass(frozen=True)
class Listener:
    """One listener for every address (`*+<transport>`), as WinRM's configuration holds it."""

    transport: str
    port: int | None = None
    hostname: str = ""
    cert_thumbprint: str = ""

    @property
    def effective_port(self) -> int:
        return self.port or DEFAULT_PORTS[self.transport]

    def problem(self) -> str | None:
        """Why it cannot be created again exactly as it is (None: it can)."""
        if not 0 < self.effective_port < 65536:
            return f"port {self.port}"
        if self.hostname and not _HOSTNAME.match(self.hostname):
            return f"hostname {self.hostname!r}"
        if self.transport == "HTTPS" and not _THUMBPRINT.match(self.cert_thumbprint or ""):
            return "no certificate thumbprint" if not self.cert_thumbprint else f"certThumbprint {self.cert_thumbprint!r}"
        return None

    def create_arguments(self) -> str:
        """winrm.cmd's `create` for this listener (values already checked by `problem()`)."""
        values = []
        if self.hostname:
            values.append(f'Hostname="{self.hostname}"')
        if self.transport == "HTTPS":
            values.append(f'CertificateThumbprint="{self.cert_thumbprint.upper()}"')
        values.append(f'Port="{self.effective_port}"')
        return f"create winrm/config/Listener?Address=*+Transport={self.transport} @{{{';'.join(values)}}}"

    def describe(self, language: str = "es") -> str:
        port = self.effective_port
        if self.transport == "HTTPS":
            return i18n.text(language, f"HTTPS en el puerto {port} con el certificado {self.cert_thumbprint.upper()}",
                             f"HTTPS on port {port} with certificate {self.cert_thumbprint.upper()}")
        return i18n.text(language, f"HTTP en el puerto {port}", f"HTTP on port {port}")

    def as_dict(self) -> dict[str, Any]:
        return {"transport": self.transport, "port": self.effective_port, "hostname": self.hostname,
                "cert_thumbprint": self.cert_thumbprint.upper()}


def _to_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(str(value), 0) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        return None


def listeners_from_facts(raw: Mapping[str, Any] | None) -> dict[str, Listener]:
    """exchange_facts' `winrm.listeners` ({"HTTPS": {"port", "hostname", "cert_thumbprint"}})."""
    return {transport: Listener(transport, _to_int(values.get("port")), str(values.get("hostname") or ""),
                                str(values.get("cert_thumbprint") or ""))
            for transport, values in (raw or {}).items() if transport in DEFAULT_PORTS and isinstance(values, Mapping)}


def listener_from_reg_stat(transport: str, stat: Mapping[str, Any] | None) -> Listener | None:
    """An ansible.windows.win_reg_stat result for `WSMAN\\Listener\\*+<transport>` (all values)."""
    if not stat or not stat.get("exists"):
        return None
    properties = {str(name).lower(): (value or {}).get("raw_value", (value or {}).get("value"))
                  for name, value in (stat.get("properties") or {}).items()}
    return Listener(transport, _to_int(properties.get("port")), str(properties.get("hostname") or ""),
                    str(properties.get("certthumbprint") or ""))


def reg_stat_arguments() -> dict[str, dict[str, str]]:
    """What to read, by name: `UpdatedConfig`, and each listener key with all its values."""
    reads = {"updated_config": {"path": WSMAN_KEY, "name": UPDATED_CONFIG}}
    reads.update({transport: {"path": key} for transport, key in WSMAN_LISTENER_KEYS.items()})
    return reads


@dataclass(frozen=True)
class WinrmPlan:
    action: str  # none | restore | refuse
    reason: str
    transport: str
    listeners: tuple[Listener, ...] = ()
    message_es: str = ""
    message_en: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def message(self, language: str) -> str:
        return self.message_en if language == "en" else self.message_es

    def task_arguments(self) -> dict[str, Any]:
        """win_scheduled_task: the restore, then each listener created again, as SYSTEM, started on demand only."""
        actions = [{"path": WINRM_CMD, "arguments": RESTORE_ARGUMENTS, "working_directory": WINRM_RESTORE_DIRECTORY}]
        actions += [{"path": WINRM_CMD, "arguments": listener.create_arguments(), "working_directory": WINRM_RESTORE_DIRECTORY}
                    for listener in self.listeners]
        return {"name": TASK_NAME, "path": TASK_FOLDER, "description": TASK_DESCRIPTION, "actions": actions, "triggers": [],
                "username": "SYSTEM", "logon_type": "service_account", "run_level": "highest", "enabled": True,
                "allow_demand_start": True, "multiple_instances": 2, "execution_time_limit": "PT10M", "state": "present"}

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "reason": self.reason, "transport": self.transport,
                "listeners": [listener.as_dict() for listener in self.listeners], "message_es": self.message_es,
                "message_en": self.message_en, **self.details}


def _console_fix(transport: str) -> tuple[str, str]:
    create = ('winrm create winrm/config/Listener?Address=*+Transport=HTTPS @{Hostname="<FQDN del servidor>";'
              'CertificateThumbprint="<huella del certificado>"}') if transport == "HTTPS" else \
        "winrm create winrm/config/Listener?Address=*+Transport=HTTP"
    create_en = create.replace("<FQDN del servidor>", "<server FQDN>").replace("<huella del certificado>", "<certificate thumbprint>")
    return (f"En la consola del servidor, el administrador debe ejecutar desde {WINRM_RESTORE_DIRECTORY} «winrm invoke Restore "
            f"winrm/config @{{}}», crear de nuevo el agente de escucha de WinRM por el que se conecta el equipo de control («{create}») "
            "y reiniciar el servidor; luego vuelva a ejecutar la instalación.",
            f"At the server's console, the administrator must run \"winrm invoke Restore winrm/config @{{}}\" from "
            f"{WINRM_RESTORE_DIRECTORY}, create again the WinRM listener the controller connects through (\"{create_en}\") "
            "and restart the server; then run the installation again.")


def plan(updated_config_present: bool, listeners: Mapping[str, Listener], transport: str) -> WinrmPlan:
    """What to do about WinRM's configuration before setup, for a run connected over `transport` (HTTPS or HTTP; ""
    when the connection is not WinRM)."""
    transport = (transport or "").upper()
    found = {key: listener for key, listener in listeners.items() if key in DEFAULT_PORTS}
    details = {"updated_config_present": updated_config_present, "listeners_found": sorted(found)}
    if updated_config_present:
        return WinrmPlan(NONE, "updated_config_present", transport, (), "La configuración de WinRM está completa "
                         "(WSMAN\\UpdatedConfig): Setup no tendrá que reiniciar WinRM.",
                         "WinRM's configuration is complete (WSMAN\\UpdatedConfig): setup will not have to restart WinRM.", details)
    missing_es = ("Falta WSMAN\\UpdatedConfig (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN): Setup reiniciaría "
                  "WinRM durante la instalación, y ExchangeDsc restaura antes la configuración de WinRM y reinicia. ")
    missing_en = ("WSMAN\\UpdatedConfig is missing (HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\WSMAN): setup would restart "
                  "WinRM during the installation, and ExchangeDsc restores WinRM's configuration and restarts first. ")
    if transport in DEFAULT_PORTS and transport not in found:
        fix_es, fix_en = _console_fix(transport)
        return WinrmPlan(REFUSE, "connection_listener_not_found", transport, (), missing_es + (
            f"La restauración quita los agentes de escucha de WinRM, y el de {transport} por el que se conecta esta ejecución "
            f"no está en la configuración local de WinRM (WSMAN\\Listener\\*+{transport}; quizá lo crea una directiva de grupo "
            "o escucha en una sola dirección): no se puede volver a crear con seguridad y la ejecución perdería el servidor. "
            "No se cambió nada. " + fix_es),
            missing_en + (f"The restore removes WinRM's listeners, and the {transport} one this run connects through is not in "
                          f"WinRM's local configuration (WSMAN\\Listener\\*+{transport}; a Group Policy may create it, or it "
                          "listens on one address only): it cannot be created again safely and the run would lose the server. "
                          "Nothing was changed. " + fix_en), details)
    broken = {key: listener.problem() for key, listener in found.items() if listener.problem()}
    if broken:
        fix_es, fix_en = _console_fix(transport or "HTTPS")
        listed = "; ".join(f"{key}: {problem}" for key, problem in sorted(broken.items()))
        return WinrmPlan(REFUSE, "listener_not_recreatable", transport, (), missing_es + (
            f"La restauración quita los agentes de escucha de WinRM y no se pueden volver a crear tal como están ({listed}). "
            "No se cambió nada. " + fix_es),
            missing_en + (f"The restore removes WinRM's listeners and they cannot be created again as they are ({listed}). "
                          "Nothing was changed. " + fix_en), {**details, "problems": broken})
    ordered = tuple(found[key] for key in sorted(found, key=lambda key: (key != transport, TRANSPORT_ORDER.index(key))))
    kept_es = "; ".join(listener.describe("es") for listener in ordered) or "ninguno"
    kept_en = "; ".join(listener.describe("en") for listener in ordered) or "none"
    return WinrmPlan(RESTORE, "updated_config_missing", transport, ordered, missing_es + (
        "Antes de Setup se restaura la configuración de WinRM («winrm invoke Restore winrm/config @{}» desde "
        f"{WINRM_RESTORE_DIRECTORY}, en una tarea programada del sistema), se vuelven a crear sus agentes de escucha ({kept_es}) "
        "y se reinicia el servidor."),
        missing_en + ("Before setup, WinRM's configuration is restored (\"winrm invoke Restore winrm/config @{}\" from "
                      f"{WINRM_RESTORE_DIRECTORY}, in a system scheduled task), its listeners are created again ({kept_en}) and "
                      "the server restarts."), details)


def connection_transport(connection: Any) -> str:
    """HTTPS or HTTP for a WinRM/PSRP connection, as the plugins resolve scheme and port; "" for any other."""
    name = str(getattr(connection, "transport", "") or "").rsplit(".", 1)[-1]
    if name not in ("winrm", "psrp"):
        return ""

    def option(key: str) -> Any:
        try:
            return connection.get_option(key)
        except (KeyError, AttributeError):
            return None

    explicit = option("scheme" if name == "winrm" else "protocol")
    port = _to_int(option("port"))
    if explicit:
        return str(explicit).upper()
    return "HTTP" if port == 5985 else "HTTPS"


def verify(plan_: WinrmPlan, updated_config: Mapping[str, Any] | None, stats: Mapping[str, Mapping[str, Any] | None]) -> list[str]:
    """What is not as planned after the restore (empty: UpdatedConfig written and every listener back as it was)."""
    problems = []
    if not (updated_config or {}).get("exists"):
        problems.append("WSMAN\\UpdatedConfig")
    for listener in plan_.listeners:
        now = listener_from_reg_stat(listener.transport, stats.get(listener.transport))
        if now is None:
            problems.append(f"*+{listener.transport}")
        elif (now.effective_port, now.cert_thumbprint.upper()) != (listener.effective_port, listener.cert_thumbprint.upper()):
            problems.append(f"*+{listener.transport} ({now.describe('en')})")
    return problems
