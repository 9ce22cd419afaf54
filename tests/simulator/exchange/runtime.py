"""The Exchange model attached to one WindowsHost: AD-side org, local install state, faults, the running setup.

Wiring: `attach(host)` registers the `setup.exe` program handler (Setup.exe run from mounted media, from a copy of
the media, or — the §6.7 gotcha — the `V15\\Bin` copy found on PATH) and a boot listener; `model_for(host)` finds the
model again. The model never imports product code.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..windows import paths
from ..windows.programs import ProgramResult, ProgramRun
from ..windows.state import WindowsHost
from .faults import SetupFaults
from .media import image_from_content
from .model import ExchangeInstall
from .org import ExchangeOrg, ServerObject
from .updates import register_update_handlers

if TYPE_CHECKING:
    from .setup_run import SetupRun

_MODELS: "weakref.WeakKeyDictionary[WindowsHost, ExchangeModel]" = weakref.WeakKeyDictionary()


@dataclass
class Options:
    # Health endpoints answer 200 only after the first restart that follows a setup run: Microsoft requires the
    # restart after install/CU (exchange-facts §6.4 [S1]); modelling it this way makes a missing reboot visible.
    health_requires_reboot: bool = True
    # exchange-facts §6.2 [S5]: setup restarts WinRM mid-setup when WSMAN\UpdatedConfig is missing.
    winrm_restart_without_updated_config: bool = True


class ExchangeModel:
    def __init__(self, host: WindowsHost, org: ExchangeOrg | None = None) -> None:
        self.host = host
        self.org = org if org is not None else ExchangeOrg()
        self.install = ExchangeInstall(host)
        self.faults = SetupFaults()
        self.options = Options()
        self.active_run: SetupRun | None = None
        self.runs: list[SetupRun] = []
        self.rebooted_since_setup = True
        self.database_name = ""
        # An Edge Transport server's own Exchange server object: it lives in the server's AD LDS instance
        # (ADAM_MSExchange), not in the forest's Active Directory [S1 install-edge-transport-role; exchange-facts §2.5].
        self.edge_server: ServerObject | None = None
        self.setup_disabled_services: set[str] = set()  # disabled by a CU's ServiceControl.ps1, not by an admin
        # Windows services a CU's setup stopped and disabled, with the start mode each had (restored with the Exchange ones).
        self.setup_disabled_windows_services: dict[str, str] = {}

    def local_server(self) -> ServerObject | None:
        """The server object Get-ExchangeServer finds for this machine: the AD LDS one on an Edge Transport server (its
        EdgeTransportRole key is configured), otherwise the one in Active Directory."""
        if self.install.roles_with("ConfiguredVersion").count("GatewayRole"):
            return self.edge_server
        return self.org.server(self.host.hostname)

    # --- time -------------------------------------------------------------------------------------------------------
    def flush(self) -> None:
        """Apply what the running setup has done by now."""
        with self.host.lock:
            run = self.active_run
            if run is not None:
                run.timeline.flush(self.host.now())
                if run.timeline.done:
                    self.active_run = None

    def _on_boot(self, _host: WindowsHost) -> None:
        self.flush()
        self.rebooted_since_setup = True

    def take_faults(self) -> SetupFaults:
        faults = self.faults
        if faults.once:
            self.faults = SetupFaults()
        return faults

    # --- the Setup.exe program handler ------------------------------------------------------------------------------
    def handle_setup(self, host: WindowsHost, run: ProgramRun) -> ProgramResult:
        from .setup_run import SetupRun  # pylint: disable=import-outside-toplevel  # setup_run imports this module
        if host is not self.host:
            raise ValueError("the setup.exe handler was called for another host")
        node = host.fs.get(run.executable) if paths.is_absolute(run.executable) else None
        if node is not None and node.installer is not None:
            # Another product's Setup.exe (the media's UcmaRedist\Setup.exe): its own installer runs, not Exchange setup.
            return host.run_installer(node.installer, run)
        self.flush()
        if self.active_run is not None:
            return ProgramResult(rc=1, stdout="Setup is already running on this computer. Wait for it to finish.\r\n")
        setup = SetupRun(self, run)
        result = setup.start()
        self.runs.append(setup)
        if not setup.timeline.done:
            self.active_run = setup
        return result


def attach(host: WindowsHost, org: ExchangeOrg | None = None) -> ExchangeModel:
    """Create (or return) the Exchange model of `host` and register its handlers."""
    with host.lock:
        model = _MODELS.get(host)
        if model is None:
            model = ExchangeModel(host, org)
            _MODELS[host] = model
            host.register_program_handler("setup.exe", model.handle_setup)
            # Security/hotfix update packages (.exe) run from the share or a local folder (updates.py).
            register_update_handlers(host)
            host.boot_listeners.append(model._on_boot)  # pylint: disable=protected-access
            # The Information Store applies a licence Set-ExchangeServer took when it starts (verify imports this module).
            from .verify import information_store_restarted  # pylint: disable=import-outside-toplevel
            host.service_start_listeners.append(information_store_restarted)
            host.disk_image_readers.append(image_from_content)
            listeners = getattr(host, "poll_listeners", None)
            if isinstance(listeners, list):
                listeners.append(lambda _h: model.flush())
        elif org is not None:
            model.org = org
        return model


def model_for(host: WindowsHost) -> ExchangeModel | None:
    return _MODELS.get(host)
