# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Activity 10: is the Exchange installation finished and healthy? Decided in Python.

`rpi.exchange.exchange_verify` reads the server twice: `exchange_facts`' probe (registry,
ExSetup.exe version, pending reboot, the setup log's last run) and
`rpi.exchange.win_exchange_health` (the Exchange Management Shell's answers, services,
the per-virtual-directory `healthcheck.htm` pages). Both return raw values; every check
below turns them into one `Check` with what was expected, what was found, and a message
in Spanish and English for the technician and the report. Nothing here touches a server.

Checks and their sources (exchange-facts §5, §3, §4, §6):

- `setup_log`: the last run in ExchangeSetup.log ended with "The Exchange Server setup
  operation completed successfully." [S2 SetupLogReviewerLogic.ps1; S1 verify-installation].
- `watermark`: no role key keeps `Watermark`/`Action` (an interrupted setup) [S2 Test-InstallWatermark; S5].
- `pending_reboot`: no pending-reboot source is set; Microsoft requires a restart after
  install/CU [S1; S2 Get-ServerRebootPending.ps1].
- `version`: ExSetup.exe's FileVersion is of the media's CU family; AdminDisplayVersion
  only reflects the CU, so it must agree on the family only [S2 Get-ExSetupFileVersionInfo.ps1; S11].
- `management_shell`: the Exchange Management Shell loads locally, connected to this server's own FQDN
  [S2 Confirm-ExchangeShell.ps1; Install-Exchange15 Import-ExchangeModule; ExchangeDsc New-RemoteExchangeSession].
- `exchange_server`: Get-ExchangeServer knows this server in the expected role [S1 verify-installation].
- `services`: the role's Automatic services run; Manual ones are not required [S6; S2 HealthChecker].
- `service_health`: Test-ServiceHealth says every role's required services run [S12].
- `component_states`: every server component is Active, except the two HealthChecker skips on
  premises [S5; S2 HealthChecker].
- `health_endpoints`: each virtual directory's healthcheck.htm answers 200 "200 OK" [S4 phase 6].

Services, the shell and the web endpoints take minutes to come up after a restart; those
checks are `transient` and the action reads the server again, every `delay` seconds growing to
every 30 s, until they pass or its `timeout` is used up (`next_wait`, `wait_schedule`).

After the post-install restart (activity 9, issue 16), an automatic Exchange service that Windows
left Stopped is started once before it is judged (`plan_service_starts`, `time_to_start`,
`ServiceStarts`): only the role's Exchange services of the catalogue whose start type on the server
is Automatic (never a Manual or Disabled one, never Windows' own), never the transport services when
setup ran with /DoNotStartTransport (or when that is not known), and once Windows' own start is over
(no service StartPending) or the wait ends. A service that still does not run after that start is
named with the error Windows gave and is not waited for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.builds import base_cu_of, build_info, product_line
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.services import (
    AUTOMATIC,
    COMPONENTS_INACTIVE_ON_PREMISES,
    MANUAL,
    required_running_services,
    services_for,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.versions import Version, family, format_version, try_parse_version
from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import EDGE, MAILBOX, MANAGEMENT_TOOLS, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n

# The per-vdir health pages load balancers probe [S4 phase 6; exchange-facts §5.5], in the manual's order of importance.
DEFAULT_HEALTH_VDIRS: tuple[str, ...] = ("owa", "ecp", "ews", "Microsoft-Server-ActiveSync", "oab", "mapi", "rpc", "autodiscover")
HEALTH_PAGE = "healthcheck.htm"
HEALTH_OK_BODY = "200 OK"

CHECK_NAMES: tuple[str, ...] = (
    "setup_log", "watermark", "pending_reboot", "version", "management_shell", "exchange_server", "services",
    "service_health", "component_states", "health_endpoints",
)
TRANSIENT_CHECKS = frozenset({"management_shell", "exchange_server", "services", "service_health", "health_endpoints"})
SHELL_CHECKS = ("exchange_server", "service_health", "component_states")

TITLES: dict[str, tuple[str, str]] = {
    "setup_log": ("Registro de instalación (ExchangeSetup.log)", "Setup log (ExchangeSetup.log)"),
    "watermark": ("Instalación interrumpida", "Interrupted setup"),
    "pending_reboot": ("Reinicio pendiente", "Pending restart"),
    "version": ("Versión de Exchange", "Exchange version"),
    "management_shell": ("Shell de administración de Exchange", "Exchange Management Shell"),
    # Neutral for both roles: an Edge Transport server is in its own AD LDS, not in the organization.
    "exchange_server": ("Servidor Exchange (Get-ExchangeServer)", "Exchange server (Get-ExchangeServer)"),
    "services": ("Servicios", "Services"),
    "service_health": ("Salud de servicios (Test-ServiceHealth)", "Service health (Test-ServiceHealth)"),
    "component_states": ("Componentes del servidor (Get-ServerComponentState)", "Server components (Get-ServerComponentState)"),
    "health_endpoints": ("Directorios virtuales (healthcheck.htm)", "Virtual directories (healthcheck.htm)"),
}
SOURCES: dict[str, str] = {
    "setup_log": "S2 Setup/Shared/SetupLogReviewerLogic.ps1; S1 verify-installation",
    "watermark": "S2 Setup/SetupAssist/Checks/LocalServer/Test-InstallWatermark.ps1; S5",
    "pending_reboot": "S1 install-cumulative-updates; S2 Shared/Get-ServerRebootPending.ps1",
    "version": "S2 Shared/Get-ExSetupFileVersionInfo.ps1; S11; S3",
    "management_shell": "S2 Shared/Confirm-ExchangeShell.ps1",
    "exchange_server": "S1 verify-installation",
    "services": "S6 services-overview; S2 HealthChecker Get-ExchangeDependentServices.ps1",
    "service_health": "S12 Test-ServiceHealth",
    "component_states": "S5 MaintenanceModeStop.ps1; S2 HealthChecker Get-ExchangeServerMaintenanceState.ps1",
    "health_endpoints": "S4 Install-Exchange15 phase 6",
}
# Get-ExchangeServer's ServerRole words for each role the collection installs.
SERVER_ROLE_WORDS = {MAILBOX: "mailbox", EDGE: "edge"}


@dataclass
class Check:
    """One verification: `ok`, what was `expected` and what was found (`actual`), said in both languages."""

    name: str
    ok: bool
    expected: Any
    actual: Any
    message_es: str
    message_en: str
    source: str = ""
    transient: bool = False
    details: dict = field(default_factory=dict)

    def message(self, language: str = SPANISH) -> str:
        return i18n.text(language, self.message_es, self.message_en)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "expected": self.expected, "actual": self.actual,
                "message_es": self.message_es, "message_en": self.message_en, "source": self.source,
                "transient": self.transient}


def _check(name: str, ok: bool, expected: Any, actual: Any, es: str, en: str, **details: Any) -> Check:
    title_es, title_en = TITLES[name]
    return Check(name, ok, expected, actual, f"{title_es}: {es}", f"{title_en}: {en}", SOURCES[name],
                 name in TRANSIENT_CHECKS, dict(details))


# ------------------------------------------------------------------------------------------------ what to ask
def health_url_path(vdir: str) -> str:
    """`owa` -> `/owa/healthcheck.htm`; a path that already names a page is kept (with a leading slash)."""
    text = str(vdir).strip().strip("/")
    if not text or any(char in text for char in "?#\\") or ".." in text or "://" in str(vdir):
        raise ValueError(f"not a virtual directory name: {vdir!r}")
    return "/" + (text if text.lower().endswith(".htm") else f"{text}/{HEALTH_PAGE}")


def default_health_paths(role: str) -> tuple[str, ...]:
    """The virtual directories to probe: the Mailbox role's IIS vdirs; an Edge server or the tools have none."""
    return DEFAULT_HEALTH_VDIRS if normalize_role(role) == MAILBOX else ()


def default_services(role: str, version: object = None) -> tuple[str, ...]:
    """The services that must run on a server of `role` at build `version` (all builds when None)."""
    parsed = try_parse_version(version) if version is not None else None
    return required_running_services(role, parsed)


def health_arguments(role: str, services: Sequence[str], health_paths: Sequence[str], timeout_seconds: int) -> dict[str, Any]:
    """Module arguments of `rpi.exchange.win_exchange_health`."""
    return {
        "service_names": list(services),
        "health_paths": [health_url_path(path) for path in health_paths],
        "timeout_seconds": int(timeout_seconds),
        # The management tools have no server object, services or web site of their own to ask about.
        "skip_shell": normalize_role(role) == MANAGEMENT_TOOLS,
    }


# The longest wait between two readings while services come up: a service that starts is seen within half a minute,
# and the Exchange shell (remote PowerShell to the local IIS) is not loaded more than twice a minute meanwhile.
MAX_WAIT_INTERVAL = 30.0
# Each wait is half as long again as the one before, from `delay`, until MAX_WAIT_INTERVAL (from 0: 0, 1, 1.5, ...).
WAIT_GROWTH = 1.5
MIN_GROWING_WAIT = 1.0


def wait_interval(attempts: int, delay: float, cap: float = MAX_WAIT_INTERVAL) -> float:
    """The wait after reading number `attempts` (1: after the first reading): `delay`, then each wait half as long again
    as the one before (at least 1 s from the second on), never more than `cap` (at least 1 s)."""
    cap = max(MIN_GROWING_WAIT, float(cap))
    current = max(0.0, float(delay))
    for _reading in range(max(0, int(attempts) - 1)):
        if current >= cap:
            break
        current = max(MIN_GROWING_WAIT, current * WAIT_GROWTH)
    return min(current, cap)


def next_wait(attempts: int, remaining: float, delay: float, retries: int | None = None,
              cap: float = MAX_WAIT_INTERVAL) -> float | None:
    """How long to wait before reading the server again, after `attempts` readings with `remaining` seconds left before
    the deadline; None when it is time to stop: no time left, or `retries` new readings done already (when given). The
    last wait is cut short to end on the deadline, where the server is read one last time: the wait uses all of its
    time, however long each reading takes (issue 14)."""
    if retries is not None and attempts > retries:
        return None
    if remaining <= 0:
        return None
    return min(wait_interval(attempts, delay, cap), float(remaining))


def wait_schedule(timeout: float, delay: float, retries: int | None = None, cap: float = MAX_WAIT_INTERVAL) -> list[float]:
    """The waits of a whole wait if every reading took no time: they add up to `timeout` unless `retries` stops them first
    (what next_wait gives, one reading after another)."""
    waits: list[float] = []
    elapsed = 0.0
    while True:
        wait = next_wait(len(waits) + 1, float(timeout) - elapsed, delay, retries, cap)
        if wait is None:
            break
        waits.append(wait)
        elapsed += wait
    return waits


# ------------------------------------------------------------------------------------------------ the one start
# /DoNotStartTransport "specifies that the Transport service doesn't start when Setup completes" [S1 unattended-installs];
# Install-Exchange15 keeps MSExchangeTransport and MSExchangeFrontEndTransport stopped with it until transport is configured
# [S4 phases 4-6; exchange-facts §6.11]. Both are left as they are when setup ran with it.
DO_NOT_START_TRANSPORT = "/DoNotStartTransport"
TRANSPORT_SERVICES: tuple[str, ...] = ("MSExchangeTransport", "MSExchangeFrontEndTransport")
_DO_NOT_START_TRANSPORT = re.compile(r"(?:^|\s)[/-]DoNotStartTransport(?=\s|$)", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
# Get-Service's statuses between two states: Windows (or someone) is still starting or stopping the service.
PENDING_STATUSES = frozenset({"startpending", "stoppending", "continuepending", "pausepending"})
STOPPED = "Stopped"
# What ansible.windows.win_service's failure message wraps around the error Windows gave: the exec wrapper's prefix for an
# error the module does not catch (Start-Service in ansible.windows 2.x/3.x), and the prefix of older versions.
_WRAPPERS = (re.compile(r"^Unhandled exception while executing module:\s*", re.IGNORECASE),
             re.compile(r"^failed to start service (?:from paused state )?[^:]*:\s*", re.IGNORECASE))


def holds_transport(setup_command_line: str | None) -> bool:
    """Whether the transport services must be left alone: setup's command line had /DoNotStartTransport, or the command
    line is not known (None or empty), when the administrator may have asked for it."""
    if not str(setup_command_line or "").strip():
        return True
    return bool(_DO_NOT_START_TRANSPORT.search(_QUOTED.sub('""', str(setup_command_line))))


@dataclass(frozen=True)
class StartPlan:
    """One reading's answer: the automatic Exchange services found Stopped that would be started (`start`), the stopped
    transport services left alone (`held`), and whether Windows' own start is over (`settled`: none is pending)."""

    start: tuple[str, ...]
    held: tuple[str, ...]
    settled: bool


def plan_service_starts(reported: Iterable[Mapping[str, Any]], role: str, *, hold_transport: bool = False) -> StartPlan:
    """Which of the services win_exchange_health read are to be started once: the role's Exchange services of the catalogue
    (not Windows' own), Stopped, whose start type on the server is Automatic (a Manual or Disabled one is the
    administrator's choice), in the order read; the transport services are held when `hold_transport`."""
    ours = {entry.name.lower(): entry for entry in services_for(role) if not entry.windows}
    start: list[str] = []
    held: list[str] = []
    settled = True
    for item in reported or []:
        status = str(item.get("status") or "")
        if status.lower() in PENDING_STATUSES:
            settled = False
        entry = ours.get(str(item.get("name") or "").lower())
        if entry is None or not item.get("exists", True):
            continue
        if status.lower() != STOPPED.lower() or str(item.get("start_type") or "").lower() != AUTOMATIC.lower():
            continue
        (held if hold_transport and entry.name in TRANSPORT_SERVICES else start).append(entry.name)
    return StartPlan(tuple(start), tuple(held), settled)


def time_to_start(plan: StartPlan, *, last_reading: bool) -> bool:
    """Start now: there is something to start, and Windows' own start of the services is over, or this is the last
    reading of the wait (after it the services are judged)."""
    return bool(plan.start) and (plan.settled or last_reading)


def start_error(result: Mapping[str, Any]) -> str:
    """The error Windows gave, from ansible.windows.win_service's failed result (its wrapper's prefix removed)."""
    text = str(result.get("msg") or "").strip()
    for wrapper in _WRAPPERS:
        text = wrapper.sub("", text, count=1)
    return text.strip()


@dataclass
class ServiceStarts:
    """The one start of the services left stopped after the restart, for the checks and the report (issue 16)."""

    done: bool = False  # made (or, in check mode, planned): never again in this task
    check_mode: bool = False
    started: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # service -> the error Windows gave
    planned: list[str] = field(default_factory=list)  # check mode: what would be started
    held: list[str] = field(default_factory=list)  # stopped transport services left alone
    held_known: bool = True  # False: setup's command line was not known, so /DoNotStartTransport may have been given

    def error_of(self, name: str) -> str | None:
        """The error Windows gave to the start of `name` (any case), or None when it did not fail."""
        return next((error for failed, error in self.failed.items() if failed.lower() == name.lower()), None)

    def as_result(self) -> dict[str, Any]:
        return {"started_services": list(self.started), "services_not_started": dict(self.failed),
                "services_to_start": list(self.planned), "services_held": list(self.held)}


def _named(names: Iterable[str], name: str) -> bool:
    return name.lower() in {item.lower() for item in names}


def _with_period(text: str) -> str:
    text = text.strip()
    return text if text.endswith(".") else text + "."


def _held_reason(starts: ServiceStarts) -> tuple[str, str]:
    if starts.held_known:
        return (f"setup se ejecutó con {DO_NOT_START_TRANSPORT}", f"setup ran with {DO_NOT_START_TRANSPORT}")
    return (f"no se sabe si setup se ejecutó con {DO_NOT_START_TRANSPORT}", f"it is not known whether setup ran with "
            f"{DO_NOT_START_TRANSPORT}")


def _start_notes(name: str, status: str, starts: ServiceStarts | None) -> tuple[str, str, bool] | None:
    """What the one start says about a required automatic service that is not running: (Spanish, English, final), final
    when waiting cannot change it any more; None when the start has nothing to say about it."""
    if starts is None:
        return None
    failed = starts.error_of(name) if starts.done else None
    if failed is not None:
        error = _with_period(failed) if failed else None
        return (f"{name} no arrancó al iniciarlo una vez después del reinicio; Windows respondió: "
                f"{error or 'sin detalle.'} Revise en el Visor de eventos los registros Sistema (Service Control Manager) y "
                f"Aplicación para {name}, corrija la causa y arránquelo con Start-Service {name}",
                f"{name} did not start when started once after the restart; Windows answered: {error or 'no detail.'} "
                f"Check the System (Service Control Manager) and Application event logs for {name}, fix the cause and start "
                f"it with Start-Service {name}", True)
    if starts.done and _named(starts.planned, name):
        return (f"{name} ({status}): se iniciaría una vez (modo de verificación: no se inició)",
                f"{name} ({status}): would be started once (check mode: not started)", True)
    if starts.done and _named(starts.started, name):
        return (f"{name} se inició una vez después del reinicio y volvió a detenerse ({status}); revise en el Visor de "
                f"eventos los registros Sistema y Aplicación para {name}",
                f"{name} was started once after the restart and stopped again ({status}); check the System and Application "
                f"event logs for {name}", True)
    if _named(starts.held, name):
        reason_es, reason_en = _held_reason(starts)
        return (f"{name} ({status}): no se inició porque {reason_es}; inícielo con Start-Service {name} cuando el transporte "
                "esté configurado",
                f"{name} ({status}): not started because {reason_en}; start it with Start-Service {name} once transport is "
                "configured", False)
    return None


def starts_summary(starts: ServiceStarts | None, language: str = SPANISH) -> str:
    """The line the task's message adds about the one start: what was started, or in check mode what would be."""
    if starts is None:
        return ""
    lines = []
    if starts.started:
        names = ", ".join(starts.started)
        if language == SPANISH:
            lines.append("Se inició una vez el servicio de inicio automático que seguía detenido después del reinicio: "
                         f"{names}." if len(starts.started) == 1 else
                         "Se iniciaron una vez los servicios de inicio automático que seguían detenidos después del reinicio: "
                         f"{names}.")
        else:
            lines.append(f"Verification started once the automatic service{'s' if len(starts.started) > 1 else ''} still "
                         f"stopped after the restart: {names}.")
    if starts.planned:
        names = ", ".join(starts.planned)
        if language == SPANISH:
            lines.append(f"Modo de verificación: se iniciaría una vez el servicio detenido después del reinicio: {names}."
                         if len(starts.planned) == 1 else
                         f"Modo de verificación: se iniciarían una vez los servicios detenidos después del reinicio: {names}.")
        else:
            lines.append(f"Check mode: would start once the service{'s' if len(starts.planned) > 1 else ''} still stopped "
                         f"after the restart: {names}.")
    return "\n".join(lines)


def start_evidence(starts: ServiceStarts | None) -> list[dict[str, Any]]:
    """Report items: each service started (`change`), each that did not start with Windows' error (`change`, error), in
    check mode each that would be started (`plan`), each transport service left stopped (`note`)."""
    if starts is None:
        return []
    items: list[dict[str, Any]] = []
    for name in starts.started:
        items.append(Evidence(kind="change", level="ok",
                              summary_es=f"Se inició el servicio {name}, de inicio automático, que seguía detenido después del reinicio.",
                              summary_en=f"Started the service {name} (automatic start), still stopped after the restart.",
                              details={"service": name, "action": "started"}).as_dict())
    for name, error in starts.failed.items():
        items.append(Evidence(kind="change", level="error",
                              summary_es=f"No se pudo iniciar el servicio {name}: Windows respondió: {error or 'sin detalle'}",
                              summary_en=f"The service {name} could not be started: Windows answered: {error or 'no detail'}",
                              details={"service": name, "action": "start_failed", "error": error}).as_dict())
    for name in starts.planned:
        items.append(Evidence(kind="plan", level="info",
                              summary_es=f"Se iniciaría una vez el servicio {name}, de inicio automático y detenido después del reinicio.",
                              summary_en=f"Would start once the service {name} (automatic start), stopped after the restart.",
                              details={"service": name, "action": "would_start"}).as_dict())
    reason_es, reason_en = _held_reason(starts)
    for name in starts.held:
        items.append(Evidence(kind="note", level="warning",
                              summary_es=f"No se inició {name}, detenido después del reinicio: {reason_es}. Inícielo con "
                              f"Start-Service {name} cuando el transporte esté configurado.",
                              summary_en=f"{name}, stopped after the restart, was not started: {reason_en}. Start it with "
                              f"Start-Service {name} once transport is configured.",
                              details={"service": name, "action": "held", "reason": DO_NOT_START_TRANSPORT}).as_dict())
    return items


# ------------------------------------------------------------------------------------------------ the checks
def check_setup_log(setup_log: Mapping[str, Any]) -> Check:
    last_run = setup_log.get("last_run") if setup_log else None
    path = (setup_log or {}).get("path") or r"%SystemDrive%\ExchangeSetupLogs\ExchangeSetup.log"
    if not (setup_log or {}).get("exists"):
        return _check("setup_log", False, "succeeded", "missing",
                      f"no existe {path}; no hay constancia de que setup haya terminado.",
                      f"{path} does not exist; nothing shows that setup finished.")
    if not last_run:
        return _check("setup_log", False, "succeeded", "unknown", "no se pudo leer la última ejecución de setup en el registro.",
                      "the last setup run could not be read from the log.")
    outcome = last_run.get("outcome") or "unknown"
    operation = last_run.get("operation") or last_run.get("installation_mode") or ""
    if outcome == "succeeded":
        return _check("setup_log", True, "succeeded", outcome,
                      "la última ejecución de setup terminó con éxito (\"The Exchange Server setup operation completed "
                      "successfully.\").",
                      "the last setup run succeeded (\"The Exchange Server setup operation completed successfully.\").",
                      operation=operation)
    error = last_run.get("error") or ""
    advice = last_run.get("advice") or {}
    if outcome == "failed":
        es = "la última ejecución de setup falló" + (f": {error}" if error else ".")
        en = "the last setup run failed" + (f": {error}" if error else ".")
    elif outcome == "incomplete":
        es = "la última ejecución de setup no terminó (el registro se corta sin la línea de éxito ni la de fallo)."
        en = "the last setup run did not finish (the log stops without the success or failure line)."
    else:
        es, en = "no se pudo determinar el resultado de la última ejecución de setup.", "the outcome of the last setup run is unknown."
    if advice.get("es"):
        es += f" {advice['es']}"
    if advice.get("en"):
        en += f" {advice['en']}"
    return _check("setup_log", False, "succeeded", outcome, es, en, error=error, category=last_run.get("category"),
                  failed_component=last_run.get("failed_component"), error_line=last_run.get("error_line"))


def check_watermark(exchange: Mapping[str, Any]) -> Check:
    interrupted = (exchange or {}).get("interrupted") or {}
    if not interrupted:
        return _check("watermark", True, "none", "none", "ninguna clave de rol conserva Watermark/Action.",
                      "no role key keeps a Watermark/Action value.")
    marked = sorted(key for key, values in interrupted.items() if (values or {}).get("watermark") or (values or {}).get("action"))
    unconfigured = sorted(key for key in interrupted if key not in marked)
    es, en = [], []
    if marked:
        listed = "; ".join(f"{key} ({interrupted[key].get('action') or '-'}: {interrupted[key].get('watermark') or '-'})"
                           for key in marked)
        es.append(f"setup quedó a medias en {listed}")
        en.append(f"setup was left half done in {listed}")
    if unconfigured:
        es.append("roles desempaquetados sin configurar: " + ", ".join(unconfigured))
        en.append("roles unpacked but not configured: " + ", ".join(unconfigured))
    return _check("watermark", False, "none", marked + unconfigured,
                  "; ".join(es) + ". Vuelva a ejecutar setup para que retome la instalación; no borre la marca de agua del registro.",
                  "; ".join(en) + ". Run setup again so that it resumes; do not delete the watermark from the registry.",
                  interrupted=dict(interrupted))


def check_pending_reboot(pending: Mapping[str, Any]) -> Check:
    sources = list((pending or {}).get("sources") or [])
    if not (pending or {}).get("pending") and not sources:
        return _check("pending_reboot", True, False, False, "no hay reinicio pendiente.", "no restart is pending.")
    named = ", ".join(sources) or "?"
    return _check("pending_reboot", False, False, True,
                  f"Windows espera un reinicio ({named}). Microsoft exige reiniciar el servidor después de instalar Exchange.",
                  f"Windows is waiting for a restart ({named}). Microsoft requires a restart after installing Exchange.",
                  sources=sources)


def _label(version: Version) -> str:
    cu = base_cu_of(version)
    text = format_version(version)
    return f"{cu.label} ({text})" if cu else text


def check_version(expected: object, exsetup: object, admin_display_version: object = None) -> Check:
    """ExSetup.exe's CU family against the media's; AdminDisplayVersion (CU only) must agree on the family."""
    wanted = try_parse_version(expected) if expected not in (None, "") else None
    found = try_parse_version(exsetup)
    admin = try_parse_version(admin_display_version) if admin_display_version else None
    expected_text = _label(wanted) if wanted else None
    actual = {"exsetup": format_version(found) if found else None,
              "admin_display_version": str(admin_display_version) if admin_display_version else None}
    if found is None:
        return _check("version", False, expected_text, actual,
                      "no se encontró ExSetup.exe en la carpeta de instalación; no se puede saber qué versión quedó instalada.",
                      "ExSetup.exe was not found in the install folder; the installed version cannot be read.")
    if wanted is not None and family(found) != family(wanted):
        return _check("version", False, expected_text, actual,
                      f"el servidor tiene {_label(found)}, pero el medio de instalación es {_label(wanted)}.",
                      f"the server has {_label(found)} but the installation media is {_label(wanted)}.")
    if admin is not None and family(admin) != family(found):
        return _check("version", False, expected_text, actual,
                      f"ExSetup.exe es {_label(found)} pero Get-ExchangeServer dice {admin_display_version}: el objeto del "
                      "servidor en Active Directory no se actualizó (setup no terminó).",
                      f"ExSetup.exe is {_label(found)} but Get-ExchangeServer says {admin_display_version}: the server's "
                      "Active Directory object was not updated (setup did not finish).")
    line = product_line(found)
    update = build_info(wanted) if wanted is not None else None
    if update is not None and not update.is_baseline:
        # A security/hotfix update ran (activity 9): its build is expected, not only its CU (issue 18).
        if found < wanted:
            return _check("version", False, expected_text, actual,
                          f"el servidor tiene {_label(found)}, pero la actualización {update.label} ({update.kb}) deja {_label(wanted)}.",
                          f"the server has {_label(found)} but the update {update.label} ({update.kb}) leaves {_label(wanted)}.")
        return _check("version", True, expected_text, actual, f"instalado {_label(found)}, con la actualización {update.label} ({update.kb}).",
                      f"{_label(found)} installed, with the update {update.label} ({update.kb}).", line=line)
    if wanted is None:
        return _check("version", True, None, actual, f"instalado {_label(found)}.", f"{_label(found)} installed.", line=line)
    return _check("version", True, expected_text, actual, f"instalado {_label(found)}, la versión del medio.",
                  f"{_label(found)} installed, the media's version.", line=line)


# Words of the errors a missing or wrong credential gives (double hop, no Exchange role): the cure is run_as_user.
_CREDENTIAL_WORDS = ("0x8009030e", "logon session", "access is denied", "access denied", "kerberos", "management role",
                     "credential")


def _shell_error(health: Mapping[str, Any]) -> str:
    shell = health.get("shell") or {}
    messages = [str(text) for text in shell.get("messages") or [] if text]
    error = str(shell.get("error") or "")
    first = messages[0] if messages else ""
    return error if not first or first == error else f"{first} ({error})" if error else first


def check_shell(health: Mapping[str, Any]) -> Check:
    """The shell loaded, and on this server: win_exchange_health connects to its own FQDN only (`target`) and says where
    it connected (`server`); a shell of another server of the site would not test this one's /PowerShell endpoint."""
    shell = health.get("shell") or {}
    user = shell.get("user") or ""
    target, server = str(shell.get("target") or ""), str(shell.get("server") or "")
    if shell.get("loaded") and target and server and server.lower() != target.lower():
        return _check("management_shell", False, "loaded", "another server",
                      f"cargó como {user}, pero conectado a {server} y no a este servidor ({target}); el extremo /PowerShell "
                      "de este servidor no quedó comprobado.",
                      f"loaded as {user}, but connected to {server} instead of this server ({target}); this server's "
                      "/PowerShell endpoint was not tested.", user=user, server=server, target=target)
    if shell.get("loaded"):
        where_es, where_en = (f" en {server}", f" on {server}") if server else ("", "")
        return _check("management_shell", True, "loaded", "loaded", f"cargó como {user}{where_es}.",
                      f"loaded as {user}{where_en}.", kind=shell.get("kind"), user=user, server=server or None)
    error = _shell_error(health) or "sin detalle"
    credentials = any(word in error.lower() for word in _CREDENTIAL_WORDS)
    if credentials:
        hint_es = ("Ejecute la verificación con las credenciales de un administrador de Exchange (run_as_user): el shell es "
                   "un segundo salto desde WinRM.")
        hint_en = ("Run the verification with an Exchange administrator's credentials (run_as_user): the shell is a second "
                   "hop from WinRM.")
    else:
        hint_es = "Compruebe que IIS (W3SVC) y MSExchangeADTopology estén en ejecución y que setup haya terminado."
        hint_en = "Check that IIS (W3SVC) and MSExchangeADTopology are running and that setup finished."
    check = _check("management_shell", False, "loaded", "not loaded",
                   f"no cargó como {user or 'el usuario de la conexión'}: {error}. {hint_es}",
                   f"did not load as {user or 'the connection user'}: {error}. {hint_en}", error=error, user=user)
    # A shell refused for its credentials does not come right by waiting; one whose server is still starting does.
    check.transient = not credentials
    return check


def _cmdlet_error(health: Mapping[str, Any], cmdlet: str) -> str | None:
    for item in health.get("errors") or []:
        if str(item.get("source") or "").lower() == cmdlet.lower():
            return str(item.get("message") or "error")
    return None


def _not_asked(name: str, health: Mapping[str, Any], expected: Any, cmdlet: str) -> Check | None:
    """The shell's checks fail together, with one reason, when the shell did not load or the cmdlet failed. That reason
    is the shell's, not this check's answer: it is transient like the shell (management_shell says whether waiting can
    help), so a server whose services are still starting is waited for (issue 14)."""
    if not (health.get("shell") or {}).get("loaded"):
        check = _check(name, False, expected, None, f"no se pudo ejecutar {cmdlet}: el shell de Exchange no cargó.",
                       f"{cmdlet} could not run: the Exchange shell did not load.")
    else:
        error = _cmdlet_error(health, cmdlet)
        if not error:
            return None
        check = _check(name, False, expected, None, f"{cmdlet} falló: {error}", f"{cmdlet} failed: {error}", error=error)
    check.transient = True
    return check


def check_exchange_server(health: Mapping[str, Any], role: str) -> Check:
    role = normalize_role(role)
    skipped = _not_asked("exchange_server", health, role, "Get-ExchangeServer")
    if skipped:
        return skipped
    server = health.get("exchange_server")
    if not server:
        return _check("exchange_server", False, role, None, "Get-ExchangeServer no devolvió este servidor.",
                      "Get-ExchangeServer did not return this server.")
    server_role = str(server.get("server_role") or "")
    actual = {key: server.get(key) for key in ("name", "server_role", "admin_display_version", "edition", "is_trial")}
    word = SERVER_ROLE_WORDS.get(role, "")
    if word and word not in server_role.lower():
        return _check("exchange_server", False, role, actual, f"{server.get('name')} tiene el rol '{server_role}', no {role}.",
                      f"{server.get('name')} has role '{server_role}', not {role}.")
    trial_es = " (edición de prueba: falta la clave de producto)" if server.get("is_trial") else ""
    trial_en = " (trial edition: no product key yet)" if server.get("is_trial") else ""
    return _check("exchange_server", True, role, actual,
                  f"{server.get('name')}, rol {server_role}, edición {server.get('edition')}{trial_es}.",
                  f"{server.get('name')}, role {server_role}, edition {server.get('edition')}{trial_en}.")


def check_services(reported: Iterable[Mapping[str, Any]], required: Sequence[str], starts: ServiceStarts | None = None) -> Check:
    """Each required service exists and, unless its start type is Manual, is running (and not Disabled). With `starts`
    (the one start after the restart), a service that did not start is named with the error Windows gave and, like one
    that stopped again or one check mode would start, is not waited for."""
    by_name = {str(item.get("name") or "").lower(): item for item in reported or []}
    missing, disabled, stopped, manual, running = [], [], [], [], []
    plain: list[str] = []  # stopped, with nothing the one start says about them
    noted: list[tuple[str, str, bool]] = []
    not_started: dict[str, str] = {}
    for name in required:
        item = by_name.get(name.lower())
        if item is None or not item.get("exists", True) or not item.get("status"):
            missing.append(name)
            continue
        start_type = str(item.get("start_type") or "")
        status = str(item.get("status") or "")
        if start_type.lower() == "disabled":
            disabled.append(name)
        elif start_type.lower() == MANUAL.lower():
            manual.append(name)
        elif status.lower() != "running":
            stopped.append(f"{name} ({status})")
            note = _start_notes(name, status, starts)
            if note is None:
                plain.append(f"{name} ({status})")
            else:
                noted.append(note)
            error = starts.error_of(name) if starts is not None and starts.done else None
            if error is not None:
                not_started[name] = error
        else:
            running.append(name)
    actual = {"running": running, "stopped": stopped, "disabled": disabled, "missing": missing, "manual_not_required": manual}
    if not_started:
        actual["not_started"] = not_started
    if not (missing or disabled or stopped):
        extra_es = f" ({len(manual)} de inicio manual no se exigen)" if manual else ""
        extra_en = f" ({len(manual)} manual-start ones not required)" if manual else ""
        return _check("services", True, "running", actual, f"los {len(running)} servicios requeridos están en ejecución{extra_es}.",
                      f"all {len(running)} required services are running{extra_en}.")
    es, en = [], []
    if plain:
        es.append("detenidos: " + ", ".join(plain))
        en.append("not running: " + ", ".join(plain))
    es += [note[0] for note in noted]
    en += [note[1] for note in noted]
    if disabled:
        es.append("deshabilitados: " + ", ".join(disabled))
        en.append("disabled: " + ", ".join(disabled))
    if missing:
        es.append("no existen: " + ", ".join(missing))
        en.append("missing: " + ", ".join(missing))
    check = _check("services", False, "running", actual, "; ".join(es) + ".", "; ".join(en) + ".")
    # Started once and still not running (or, in check mode, only planned): waiting will not change it.
    if any(note[2] for note in noted):
        check.transient = False
    return check


def check_service_health(health: Mapping[str, Any]) -> Check:
    skipped = _not_asked("service_health", health, "RequiredServicesRunning", "Test-ServiceHealth")
    if skipped:
        return skipped
    rows = list(health.get("service_health") or [])
    if not rows:
        return _check("service_health", False, "RequiredServicesRunning", [], "Test-ServiceHealth no devolvió ningún rol.",
                      "Test-ServiceHealth returned no role.")
    failing = [row for row in rows if not row.get("required_services_running")]
    actual = [{"role": row.get("role"), "required_services_running": bool(row.get("required_services_running")),
               "services_not_running": list(row.get("services_not_running") or [])} for row in rows]
    if not failing:
        return _check("service_health", True, "RequiredServicesRunning", actual,
                      f"{len(rows)} roles con todos sus servicios requeridos en ejecución.",
                      f"{len(rows)} roles with all their required services running.")
    text = "; ".join(f"{row.get('role')}: {', '.join(row.get('services_not_running') or []) or '?'}" for row in failing)
    return _check("service_health", False, "RequiredServicesRunning", actual, f"servicios requeridos detenidos — {text}.",
                  f"required services not running — {text}.")


def _requesters(component: Mapping[str, Any]) -> list[str]:
    entries = component.get("requesters") or []
    inactive = [entry for entry in entries if str(entry.get("state") or "").lower() == "inactive"]
    chosen = inactive or [entry for entry in entries if not entry.get("state")]
    return sorted({str(entry.get("requester")) for entry in chosen if entry.get("requester")})


def check_component_states(health: Mapping[str, Any], ignored: Sequence[str] = COMPONENTS_INACTIVE_ON_PREMISES) -> Check:
    skipped = _not_asked("component_states", health, "Active", "Get-ServerComponentState")
    if skipped:
        return skipped
    rows = list(health.get("component_states") or [])
    if not rows:
        return _check("component_states", False, "Active", [], "Get-ServerComponentState no devolvió componentes.",
                      "Get-ServerComponentState returned no components.")
    skip = {name.lower() for name in ignored}
    inactive = [row for row in rows
                if str(row.get("state") or "").lower() != "active" and str(row.get("component") or "").lower() not in skip]
    listed = [{"component": row.get("component"), "state": row.get("state"), "requesters": _requesters(row)} for row in inactive]
    if not inactive:
        counted = [row for row in rows if str(row.get("component") or "").lower() not in skip]
        not_counted = ", ".join(ignored)
        return _check("component_states", True, "Active", "Active",
                      f"los {len(counted)} componentes están activos" + (f" (no se exigen: {not_counted})." if ignored else "."),
                      f"all {len(counted)} components are Active" + (f" (not required: {not_counted})." if ignored else "."),
                      ignored=list(ignored))
    text = "; ".join(f"{item['component']} ({item['state']}, solicitado por {', '.join(item['requesters']) or '?'})"
                     for item in listed)
    text_en = "; ".join(f"{item['component']} ({item['state']}, requested by {', '.join(item['requesters']) or '?'})"
                        for item in listed)
    return _check("component_states", False, "Active", listed,
                  f"componentes inactivos: {text}. Si el servidor quedó en mantenimiento, reactívelos con "
                  "Set-ServerComponentState -State Active y el mismo Requester.",
                  f"inactive components: {text_en}. If the server was left in maintenance, set them Active with "
                  "Set-ServerComponentState -State Active and the same Requester.")


def _endpoint_ok(item: Mapping[str, Any]) -> bool:
    body = str(item.get("body") or "")
    return item.get("status_code") == 200 and body.lstrip().startswith(HEALTH_OK_BODY)


def _vdir(path: str) -> str:
    parts = [part for part in str(path).strip("/").split("/") if part]
    return parts[0] if len(parts) > 1 else (parts[0] if parts else str(path))


def check_health_endpoints(reported: Iterable[Mapping[str, Any]], paths: Sequence[str]) -> Check:
    by_path = {str(item.get("path") or "").lower(): item for item in reported or []}
    results, bad = [], []
    for vdir in paths:
        path = health_url_path(vdir)
        item = by_path.get(path.lower()) or {}
        code = item.get("status_code")
        error = str(item.get("error") or "").strip()
        ok = _endpoint_ok(item) and not error
        results.append({"path": path, "status_code": code, "ok": ok, "error": error or None})
        if not ok:
            first = str(item.get("body") or "").split("<", 1)[0].strip()
            if error:
                # No answer at all, or the headers came and reading the body failed (timed out, connection closed).
                why = f"{code}: {error}" if code else error
            elif not code:
                why = "sin respuesta"
            elif code == 200 and not first.startswith(HEALTH_OK_BODY):
                why = f"200 sin \"200 OK\": {first[:60]!r}"
            else:
                why = str(code)
            bad.append(f"{_vdir(path)} ({why})")
    if not bad:
        return _check("health_endpoints", True, f"200 {HEALTH_OK_BODY}", results,
                      f"las {len(results)} páginas healthcheck.htm responden 200 \"200 OK\".",
                      f"all {len(results)} healthcheck.htm pages answer 200 \"200 OK\".")
    bad_en = [entry.replace("sin respuesta", "no answer").replace("sin \"200 OK\"", "without \"200 OK\"") for entry in bad]
    return _check("health_endpoints", False, f"200 {HEALTH_OK_BODY}", results,
                  f"no responden 200 \"200 OK\": {', '.join(bad)}. Tras instalar, IIS y los servicios de Exchange necesitan "
                  "el reinicio del servidor y unos minutos.",
                  f"not answering 200 \"200 OK\": {', '.join(bad_en)}. After setup, IIS and the Exchange services need the "
                  "server restart and a few minutes.", failing=[entry.split(" ", 1)[0] for entry in bad])


# ------------------------------------------------------------------------------------------------ all of them
def evaluate(facts: Mapping[str, Any], health: Mapping[str, Any], *, role: str = MAILBOX, expected_version: object = None,
             required_services: Sequence[str] = (), health_paths: Sequence[str] = (),
             ignored_components: Sequence[str] = COMPONENTS_INACTIVE_ON_PREMISES,
             starts: ServiceStarts | None = None) -> list[Check]:
    """Every check for one reading of the server, in a fixed order (CHECK_NAMES); `starts`: the one start of the services
    left stopped after the restart, when the task makes it."""
    role = normalize_role(role)
    exchange = facts.get("exchange") or {}
    exsetup = health.get("exsetup_file_version") or exchange.get("version")
    admin = (health.get("exchange_server") or {}).get("admin_display_version")
    checks = [
        check_setup_log(facts.get("setup_log") or {}),
        check_watermark(exchange),
        check_pending_reboot(facts.get("pending_reboot") or {}),
        check_version(expected_version, exsetup, admin),
    ]
    if role != MANAGEMENT_TOOLS:
        checks += [check_shell(health), check_exchange_server(health, role)]
    if required_services:
        checks.append(check_services(health.get("services") or [], required_services, starts))
    if role != MANAGEMENT_TOOLS:
        checks += [check_service_health(health), check_component_states(health, ignored_components)]
    if health_paths:
        checks.append(check_health_endpoints(health.get("health") or [], health_paths))
    return checks


def failed_checks(checks: Iterable[Check]) -> list[Check]:
    return [check for check in checks if not check.ok]


def worth_waiting(checks: Iterable[Check]) -> bool:
    """True when something failed and everything that failed may still come right by waiting (services starting)."""
    failing = failed_checks(checks)
    return bool(failing) and all(check.transient for check in failing)


def summary(checks: Sequence[Check], language: str = SPANISH, *, attempts: int = 1, elapsed_seconds: int = 0,
            starts: ServiceStarts | None = None) -> str:
    """One message: the success line, or the list of what failed, each on its own line; after a wait (`attempts` > 1),
    how many readings over how many seconds; last, what the one start of stopped services did (`starts`)."""
    started = starts_summary(starts, language)
    text = _summary(checks, language, attempts=attempts, elapsed_seconds=elapsed_seconds)
    return f"{text}\n{started}" if started else text


def _summary(checks: Sequence[Check], language: str, *, attempts: int, elapsed_seconds: int) -> str:
    failing = failed_checks(checks)
    waited = attempts > 1
    if language == SPANISH:
        after = f" tras {attempts} lecturas en {elapsed_seconds} s" if waited else ""
        if not failing and trial_edition(checks):
            return (f"Instalación de Exchange verificada con una advertencia{after}: {TRIAL_WARNING[0]} Las otras {len(checks) - 1} "
                    "comprobaciones se cumplen.")
        if not failing:
            return f"Instalación de Exchange verificada: las {len(checks)} comprobaciones se cumplen{after}."
        head = f"La verificación de la instalación de Exchange falló: {len(failing)} de {len(checks)} comprobaciones no se cumplen."
        tail = f"El servidor se leyó {attempts} veces en {elapsed_seconds} s; lo anterior no se corrigió esperando."
    else:
        after = f" after {attempts} readings over {elapsed_seconds} s" if waited else ""
        if not failing and trial_edition(checks):
            return f"Exchange installation verified with a warning{after}: {TRIAL_WARNING[1]} The other {len(checks) - 1} checks pass."
        if not failing:
            return f"Exchange installation verified: all {len(checks)} checks pass{after}."
        head = f"Exchange installation verification failed: {len(failing)} of {len(checks)} checks do not pass."
        tail = f"The server was read {attempts} times over {elapsed_seconds} s; the above did not come right by waiting."
    return "\n".join([head] + [f"- {check.message(language)}" for check in failing] + ([tail] if waited else []))


# Issue 20, item 7: while Exchange runs as a trial (no product key, 180 days [S1 enter-product-key]) the verification is never
# "all checks pass": it passes with this warning, its evidence is a warning, and the report's first page says how many trial
# days are left (activity 10's product key step, plugins/plugin_utils/_server/product_key.py, which has the install date).
TRIAL_WARNING = ("Exchange funciona como edición de prueba (sin clave de producto, rpi_exchange_product_key); el Encargado de TI "
                 "debe revisarlo antes de validar la instalación.",
                 "Exchange runs as a trial edition (no product key, rpi_exchange_product_key); the Head of IT must check it "
                 "before validating the installation.")


def trial_edition(checks: Iterable[Check]) -> bool:
    """Get-ExchangeServer (the `exchange_server` check, passed) says the server is a trial edition."""
    return any(check.name == "exchange_server" and check.ok and isinstance(check.actual, dict) and bool(check.actual.get("is_trial"))
               for check in checks)


def installed_version(checks: Sequence[Check]) -> str | None:
    for check in checks:
        if check.name == "version" and isinstance(check.actual, dict):
            return check.actual.get("exsetup")
    return None


def evidence(checks: Sequence[Check], *, attempts: int = 1, run_as: str = "", installed: bool = True,
             elapsed_seconds: int = 0, starts: ServiceStarts | None = None) -> dict[str, Any]:
    """The `rpi_report` value: a summary, one item per check, what the one start of stopped services did (start_evidence),
    and the Exchange version the server ended with."""
    failing = failed_checks(checks)
    details: dict[str, Any] = {"checks": [check.as_dict() for check in checks], "attempts": attempts,
                               "elapsed_seconds": elapsed_seconds}
    if run_as:
        details["run_as"] = run_as
    trial = trial_edition(checks)
    items = [Evidence(kind="verification", level="error" if failing else ("warning" if trial else "ok"),
                      summary_es=summary(checks, SPANISH).split("\n")[0],
                      summary_en=summary(checks, ENGLISH).split("\n")[0], details=details).as_dict()]
    for check in checks:
        level = ("warning" if trial and check.name == "exchange_server" else "ok") if check.ok else "error"
        items.append(Evidence(kind="verification", level=level, summary_es=check.message_es,
                              summary_en=check.message_en,
                              details={"name": check.name, "expected": check.expected, "actual": check.actual, "source": check.source}).as_dict())
    items += start_evidence(starts)
    payload: dict[str, Any] = {"evidence": items}
    version = installed_version(checks)
    if version:
        cu = base_cu_of(version)
        items.append(Evidence(kind="version", level="info", summary_es=f"Exchange instalado: {_label(try_parse_version(version))}",
                              summary_en=f"Exchange installed: {_label(try_parse_version(version))}",
                              details={"version": version, "label": cu.label if cu else None}).as_dict())
        payload["target"] = {"exchange_after": {"installed": bool(installed), "version": version, "label": cu.label if cu else None}}
    return payload
