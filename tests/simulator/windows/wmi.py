"""The Windows facilities a script reads through, and when each one fails.

A stand-in of one of the collection's own PowerShell modules (simulator/collection_modules/) asks the model through
these functions, in the order its script does, so it fails where the script fails when a facility is down:

- CIM/WMI (`Get-CimInstance`, `Get-ScheduledTask`/`Get-ScheduledTaskInfo`, which are CIM cmdlets over
  ROOT\\Microsoft\\Windows\\TaskScheduler, `Get-WindowsFeature`, `Mount-DiskImage`) is served by the Winmgmt service.
  Exchange setup stops and disables Winmgmt while it upgrades (ExchangeDsc issue #496, with the System log's
  service-control events: "Windows Management Instrumentation  auto start  disabled"; exchange-facts §6.2). A stopped
  but enabled Winmgmt is started on demand by the Service Control Manager at the first COM activation; a disabled one
  fails every CIM call with HRESULT 0x80070422 (the text below is what CSS-Exchange issue #1034 shows HealthChecker
  getting from Get-WmiObject on such a server).
- The Task Scheduler's COM interface (`New-Object -ComObject Schedule.Service`, what community.windows'
  win_scheduled_task_stat uses) needs only the Schedule service, which setup leaves alone.
- `Get-Process` / `[System.Diagnostics.Process]` read the process list through the native API, not WMI.
- The registry and the file system need no service at all.
"""

from __future__ import annotations

from .state import WindowsHost

WMI_SERVICE = "Winmgmt"
# HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)
E_SERVICE_DISABLED = 0x80070422
SERVICE_DISABLED_TEXT = ("The service cannot be started, either because it is disabled or because it has no enabled "
                         "devices associated with it. (Exception from HRESULT: 0x80070422)")


class CimUnavailable(RuntimeError):
    """What a CIM cmdlet throws when the WMI service cannot run."""

    def __init__(self, message: str = SERVICE_DISABLED_TEXT, hresult: int = E_SERVICE_DISABLED) -> None:
        super().__init__(message)
        self.hresult = hresult


def require_cim(host: WindowsHost) -> None:
    """Before any CIM query: WMI answers, is started on demand, or the query throws CimUnavailable."""
    with host.lock:
        service = host.get_service(WMI_SERVICE)
        if service is None or service.state == "running":
            return
        if service.start_mode == "disabled":
            raise CimUnavailable()
        host.start_service(WMI_SERVICE)


def cim_available(host: WindowsHost) -> bool:
    try:
        require_cim(host)
    except CimUnavailable:
        return False
    return True
