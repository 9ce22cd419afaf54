# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible's own failure messages, explained: what happened, which setting bounds it, what to do.

ansible-core, ansible.windows (win_reboot) and the WinRM/PSRP connection plugins fail in English
("Timed out waiting for last boot time check (timeout=30.0)"). The report and the console summary
show, beside that original text, a sentence in Spanish and in English from the table below, naming
the inventory or role variable that bounds what failed (the reboot timeout of the activity that
restarted, the WinRM timeouts, the variable that is undefined...) and what the technician does.

A message no row knows is framed ("Ansible informó: ...") and kept as it is; one from this
collection's own actions is already in the run's language and stays as it is. The first row that
matches wins: the order goes from the most specific to the most general.
"""

from __future__ import annotations

import dataclasses
import re
import typing as t

# Who restarts the server, and which variable bounds the wait for it to come back (the roles' defaults).
REBOOT_TIMEOUT_SETTING = {
    2: "prepare_server_reboot_timeout",  # rpi.exchange.exchange_prerequisites restarts after the prerequisites
    4: "start_installation_reboot_timeout",  # the restart before setup
    9: "rpi_exchange_reboot_timeout",  # the restart after setup
}
BOOT_TIME_COMMAND_SETTING = {
    4: "start_installation_boot_time_command",
    9: "await_installation_boot_time_command",
}
# The actions of this collection: their messages are already in the run's language (no framing when no row matches).
OWN_ACTION_PREFIX = "rpi.exchange."
# Rows about the WinRM connection itself. An own action's failed result may quote a server's answer that looks like one
# (a health page's HTTP 401, a refused port on the server): they explain it only when the host was unreachable.
CONNECTION_ROWS = frozenset(("kerberos_missing", "credentials_rejected", "certificate_untrusted", "winrm_operation_timeout",
                             "winrm_read_timeout", "winrm_unreachable", "winrm_dropped"))


@dataclasses.dataclass(frozen=True)
class Explanation:
    """A failure as a person reads it. `known` is the table row that matched, None for a framed unknown message."""

    known: str | None
    setting: str | None
    es: str
    en: str
    advice_es: str | None = None
    advice_en: str | None = None

    def as_dict(self) -> dict[str, t.Any]:
        advice = {"es": self.advice_es, "en": self.advice_en} if self.advice_es and self.advice_en else None
        return {"known": self.known, "setting": self.setting, "es": self.es, "en": self.en, "advice": advice}


@dataclasses.dataclass(frozen=True)
class Context:
    """Where the failure happened: the activity (1-12) of the task, its name, its action, and whether the host was unreachable."""

    activity: int | None = None
    task: str = ""
    action: str = ""
    unreachable: bool = False


@dataclasses.dataclass(frozen=True)
class Row:
    key: str
    pattern: re.Pattern[str]
    setting: t.Callable[[t.Mapping[str, str], Context], str | None]
    es: str
    en: str
    advice_es: str
    advice_en: str


def _fixed(name: str | None) -> t.Callable[[t.Mapping[str, str], Context], str | None]:
    return lambda _fields, _context: name


def _reboot_timeout(_fields: t.Mapping[str, str], context: Context) -> str:
    return REBOOT_TIMEOUT_SETTING.get(context.activity or 0, "reboot_timeout")


def _boot_time_command(_fields: t.Mapping[str, str], context: Context) -> str:
    return BOOT_TIME_COMMAND_SETTING.get(context.activity or 0, "boot_time_command")


def _named(group: str) -> t.Callable[[t.Mapping[str, str], Context], str | None]:
    return lambda fields, _context: (fields.get(group) or "").strip(" '\"") or None


_RESUME_ES = "Vuelva a ejecutar la instalación: retoma desde donde quedó."
_RESUME_EN = "Run the installation again: it resumes where it stopped."
_WINRM_CHECK_ES = ("Compruebe que el servidor está encendido, que la red llega a él y que WinRM responde (en el servidor: "
                   "Test-WSMan -UseSSL, y el firewall abierto al puerto de ansible_port).")
_WINRM_CHECK_EN = ("Check that the server is on, that the network reaches it and that WinRM answers (on the server: "
                   "Test-WSMan -UseSSL, and the firewall open on ansible_port's port).")

ROWS: tuple[Row, ...] = (
    Row("reboot_timeout",
        re.compile(r"Timed out waiting for last boot time check \(timeout=(?P<timeout>[\d.]+)\)", re.IGNORECASE),
        _reboot_timeout,
        "El servidor se reinició y no volvió a responder dentro de {timeout} segundos, el límite que fija la variable "
        "{setting}.",
        "The server restarted and did not answer again within {timeout} seconds, the limit set by the variable {setting}.",
        "Mire en la consola del servidor (o del hipervisor) si arrancó, si está aplicando actualizaciones o si quedó detenido "
        "en un error, y si WinRM responde. Si solo tarda más en arrancar, aumente {setting} en el inventario. " + _RESUME_ES,
        "Look at the server's console (or the hypervisor's) to see whether it booted, is applying updates or stopped on an "
        "error, and whether WinRM answers. If it only takes longer to boot, raise {setting} in the inventory. " + _RESUME_EN),
    Row("reboot_not_ready",
        re.compile(r"Timed out waiting for post-reboot test command \(timeout=(?P<timeout>[\d.]+)\)", re.IGNORECASE),
        _reboot_timeout,
        "El servidor volvió del reinicio pero Windows no terminó de arrancar (la pantalla de inicio de sesión no estuvo lista) "
        "dentro de {timeout} segundos, el límite que fija la variable {setting}.",
        "The server came back from the restart but Windows did not finish starting (the logon screen was not ready) within "
        "{timeout} seconds, the limit set by the variable {setting}.",
        "Mire en la consola del servidor si Windows sigue configurando actualizaciones; espere a que termine o aumente "
        "{setting} en el inventario. " + _RESUME_ES,
        "Look at the server's console to see whether Windows is still configuring updates; wait until it finishes or raise "
        "{setting} in the inventory. " + _RESUME_EN),
    Row("boot_time_unreadable",
        re.compile(r"Timed out waiting for pre-reboot boot time check|failed to get host boot time info", re.IGNORECASE),
        _boot_time_command,
        "No se pudo leer la hora de arranque del servidor antes de reiniciarlo (la orden de la variable {setting}); el "
        "servidor no se reinició.",
        "The server's boot time could not be read before restarting it (the command of the variable {setting}); the server "
        "was not restarted.",
        "Ejecute esa orden en PowerShell en el servidor y revise que el registro System tenga el evento 12 de "
        "Microsoft-Windows-Kernel-General. " + _RESUME_ES,
        "Run that command in PowerShell on the server and check that the System log has event 12 of "
        "Microsoft-Windows-Kernel-General. " + _RESUME_EN),
    Row("reboot_refused",
        re.compile(r"Reboot command failed", re.IGNORECASE),
        _fixed(None),
        "Windows rechazó la orden de reinicio (shutdown.exe).",
        "Windows refused the restart command (shutdown.exe).",
        "Si ya había un apagado programado (error 1190), cancélelo con «shutdown /a» o espere a que ocurra; compruebe que la "
        "cuenta de ansible_user puede apagar el servidor. " + _RESUME_ES,
        "If a shutdown was already scheduled (error 1190), cancel it with 'shutdown /a' or let it happen; check that "
        "ansible_user's account may shut the server down. " + _RESUME_EN),
    Row("kerberos_missing",
        re.compile(r"kerberos library is not installed|pykerberos|No module named '?(?:kerberos|krb5|gssapi)", re.IGNORECASE),
        _fixed("ansible_winrm_transport"),
        "El equipo de control no tiene la biblioteca de Kerberos que pide ansible_winrm_transport.",
        "The controller lacks the Kerberos library ansible_winrm_transport asks for.",
        "Instale en el equipo de control los requisitos de la colección (requirements.txt, con pywinrm[kerberos]) o elija otro "
        "transporte en ansible_winrm_transport. No se cambió nada en el servidor.",
        "Install the collection's requirements on the controller (requirements.txt, with pywinrm[kerberos]) or choose another "
        "transport in ansible_winrm_transport. Nothing was changed on the server."),
    Row("credentials_rejected",
        re.compile(r"credentials were rejected|\b401\b|unauthorized|logon failure|authentication (?:failed|error)|"
                   r"failed to authenticate|kinit|kerberos.*(?:password|preauth|principal)|clock skew", re.IGNORECASE),
        _fixed("ansible_user, ansible_password"),
        "El servidor rechazó el inicio de sesión de WinRM (variables {setting}).",
        "The server refused the WinRM logon (variables {setting}).",
        "Revise ansible_user y ansible_password (en el vault o en las variables de entorno) y, con Kerberos, el dominio del "
        "usuario y la hora del equipo de control. No se cambió nada en el servidor por esta tarea.",
        "Check ansible_user and ansible_password (in the vault or the environment) and, with Kerberos, the user's domain and "
        "the controller's clock. Nothing was changed on the server by this task."),
    Row("certificate_untrusted",
        re.compile(r"CERTIFICATE_VERIFY_FAILED|certificate verify failed|hostname .* doesn't match|SSLError|\[SSL", re.IGNORECASE),
        _fixed("ansible_winrm_ca_trust_path"),
        "El equipo de control no confió en el certificado HTTPS de WinRM del servidor (la CA la da la variable {setting}).",
        "The controller did not trust the server's WinRM HTTPS certificate (the variable {setting} gives the CA).",
        "Apunte ansible_winrm_ca_trust_path al certificado de la CA del RPI y compruebe que el certificado del servidor lleva "
        "su nombre (ansible_host); no desactive ansible_winrm_server_cert_validation.",
        "Point ansible_winrm_ca_trust_path at the RPI CA's certificate and check that the server's certificate carries its "
        "name (ansible_host); do not turn ansible_winrm_server_cert_validation off."),
    Row("winrm_operation_timeout",
        re.compile(r"OperationTimeout|WinRMOperationTimeoutError|the connection attempt timed out", re.IGNORECASE),
        _fixed("ansible_winrm_operation_timeout_sec"),
        "WinRM no completó una operación dentro del tiempo que fija la variable {setting}.",
        "WinRM did not complete an operation within the time set by the variable {setting}.",
        "Compruebe que el servidor no está sobrecargado ni reiniciándose; si la red es lenta, aumente "
        "ansible_winrm_operation_timeout_sec y ansible_winrm_read_timeout_sec en el inventario. " + _RESUME_ES,
        "Check that the server is not overloaded or restarting; on a slow network raise ansible_winrm_operation_timeout_sec "
        "and ansible_winrm_read_timeout_sec in the inventory. " + _RESUME_EN),
    Row("winrm_read_timeout",
        re.compile(r"Read timed out|ReadTimeout", re.IGNORECASE),
        _fixed("ansible_winrm_read_timeout_sec"),
        "El servidor aceptó la conexión de WinRM pero no respondió dentro del tiempo que fija la variable {setting}.",
        "The server accepted the WinRM connection but did not answer within the time set by the variable {setting}.",
        "Compruebe que el servidor responde (puede estar reiniciándose o sobrecargado); si tarda más de lo normal, aumente "
        "{setting} en el inventario. " + _RESUME_ES,
        "Check that the server answers (it may be restarting or overloaded); if it is slower than usual, raise {setting} in the "
        "inventory. " + _RESUME_EN),
    Row("winrm_unreachable",
        re.compile(r"Connection refused|Errno 111|No route to host|Name or service not known|Temporary failure in name "
                   r"resolution|getaddrinfo failed|Failed to establish a new connection|Max retries exceeded|Failed to "
                   r"connect to the host|ConnectTimeout|Connection timed out|Network is unreachable", re.IGNORECASE),
        _fixed("ansible_host, ansible_port"),
        "El equipo de control no pudo conectarse al servicio WinRM del servidor (variables {setting}).",
        "The controller could not connect to the server's WinRM service (variables {setting}).",
        _WINRM_CHECK_ES + " Si el servidor cambió de nombre o de dirección, corrija ansible_host en el inventario. " + _RESUME_ES,
        _WINRM_CHECK_EN + " If the server's name or address changed, fix ansible_host in the inventory. " + _RESUME_EN),
    Row("winrm_dropped",
        re.compile(r"winrm connection error|psrp connection failure|winrm send_input failed|Connection reset|Connection aborted|"
                   r"RemoteDisconnected|BadStatusLine|shell (?:was )?not found", re.IGNORECASE),
        _fixed(None),
        "Se cortó la conexión de WinRM con el servidor mientras la tarea trabajaba (un reinicio, WinRM reiniciado o la red).",
        "The WinRM connection to the server was cut while the task worked (a restart, WinRM restarted, or the network).",
        _WINRM_CHECK_ES + " " + _RESUME_ES,
        _WINRM_CHECK_EN + " " + _RESUME_EN),
    Row("async_timeout",
        re.compile(r"async task did not complete within the requested time - (?P<seconds>\d+)s", re.IGNORECASE),
        lambda _fields, context: f"async (tarea «{context.task}»)" if context.task else "async",
        "La tarea no terminó dentro de los {seconds} segundos que le da su {setting}.",
        "The task did not finish within the {seconds} seconds its {setting} gives it.",
        "Mire en el servidor si el proceso sigue trabajando; si necesita más tiempo, aumente el valor de async de la tarea. "
        + _RESUME_ES,
        "Check on the server whether the process is still working; if it needs more time, raise the task's async value. "
        + _RESUME_EN),
    Row("async_job_lost",
        re.compile(r"could not find job|ansible_job_id.*not found", re.IGNORECASE),
        _fixed(None),
        "Se perdió el seguimiento de una tarea asíncrona en el servidor (su archivo de estado desapareció, por ejemplo tras "
        "un reinicio).",
        "An asynchronous task's tracking on the server was lost (its status file vanished, for example after a restart).",
        _RESUME_ES,
        _RESUME_EN),
    Row("undefined_variable",
        re.compile(r"'(?P<name>[A-Za-z_]\w*)' is undefined|object' has no attribute '(?P<attribute>[A-Za-z_]\w*)'"),
        lambda fields, _context: fields.get("name") or fields.get("attribute"),
        "La variable {setting} no está definida.",
        "The variable {setting} is not defined.",
        "Defínala en el inventario (inventories/rpi/group_vars o host_vars) o con -e, y vuelva a ejecutar la instalación.",
        "Define it in the inventory (inventories/rpi/group_vars or host_vars) or with -e, and run the installation again."),
    Row("missing_file",
        re.compile(r"Could not find or access '(?P<path>[^']+)'", re.IGNORECASE),
        _named("path"),
        "El equipo de control no encontró el archivo {setting}.",
        "The controller did not find the file {setting}.",
        "Compruebe la ruta (y que la cuenta que ejecuta ansible-playbook puede leerla) y vuelva a ejecutar la instalación.",
        "Check the path (and that the account running ansible-playbook can read it) and run the installation again."),
    Row("bad_arguments",
        re.compile(r"missing required arguments?: (?P<names>[^\n]+?)(?: found in|$)|Unsupported parameters? for \([^)]*\) "
                   r"module: (?P<unsupported>[^.\n]+)|argument '(?P<argument>[\w.]+)' is of type|"
                   r"value of (?P<choice>[\w.]+) must be one of|"
                   # ansible-core puts the named argument after this line: only when none follows does this match alone.
                   r"Validation of arguments failed(?![\s\S]*(?:argument '|missing required|value of|Unsupported parameter))",
                   re.IGNORECASE | re.MULTILINE),
        lambda fields, _context: next((fields[name].strip() for name in ("names", "unsupported", "argument", "choice")
                                       if fields.get(name)), None),
        "Un valor de entrada no es válido o falta ({setting}).",
        "An input value is not valid or is missing ({setting}).",
        "Corrija ese valor en el inventario o en la línea de órdenes (-e) y vuelva a ejecutar la instalación.",
        "Correct that value in the inventory or on the command line (-e) and run the installation again."),
    Row("module_crashed",
        re.compile(r"MODULE FAILURE", re.IGNORECASE),
        _fixed(None),
        "El módulo terminó en el servidor sin dar una respuesta (PowerShell se detuvo o se cortó la conexión).",
        "The module ended on the server without an answer (PowerShell stopped or the connection was cut).",
        "Lea la salida de la tarea en este informe; si no explica la causa, vuelva a ejecutar con -vvv y entregue la salida "
        "al Encargado de TI.",
        "Read the task's output in this report; if it does not explain the cause, run again with -vvv and hand the output to "
        "the Head of IT."),
    Row("internal_error",
        re.compile(r"Unexpected failure during (?:module|task) execution|Unexpected \w+ error", re.IGNORECASE),
        _fixed(None),
        "Ansible tuvo un error interno al ejecutar la tarea.",
        "Ansible had an internal error running the task.",
        "Vuelva a ejecutar con -vvv y entregue la salida al Encargado de TI (norma 5.6).",
        "Run again with -vvv and hand the output to the Head of IT (norm 5.6)."),
)

# ansible-core 2.19 puts these in front of a task's message; they say nothing to the technician.
_NOISE = re.compile(r"^(?:Task failed: )?(?:(?:Action|Module) failed: )?", re.IGNORECASE)


def _number(value: str) -> str:
    """A whole float ("30.0", as win_reboot writes its timeout) reads as an integer ("30")."""
    return value[:-2] if re.fullmatch(r"\d+\.0", value) else value


def _fill(text: str, fields: t.Mapping[str, str]) -> str:
    return text.format_map(_Default(fields))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def explain(message: object, context: Context | None = None) -> Explanation | None:
    """The explanation of a failed task's message; None for a message of this collection's own actions no row knows."""
    context = context or Context()
    text = str(message or "").strip()
    if not text:
        return None
    own = context.action.startswith(OWN_ACTION_PREFIX)
    for row in ROWS:
        if own and not context.unreachable and row.key in CONNECTION_ROWS:
            continue
        found = row.pattern.search(text)
        if found is None:
            continue
        fields = {key: _number(value) for key, value in found.groupdict().items() if value is not None}
        setting = row.setting(fields, context)
        values = dict(fields, setting=setting or "", task=context.task)
        return Explanation(known=row.key, setting=setting, es=_fill(row.es, values), en=_fill(row.en, values),
                           advice_es=_fill(row.advice_es, values), advice_en=_fill(row.advice_en, values))
    if own:
        return None
    plain = _NOISE.sub("", text, count=1)
    return Explanation(known=None, setting=None, es=f"Ansible informó: {plain}", en=f"Ansible reported: {plain}")
