"""Write a capture's probe answer into a preset's Windows and Exchange models (simulator/capture.py chooses the preset).

Each section of `rpi.exchange.win_exchange_probe`'s answer is written where the probe's stand-in
(collection_modules/win_exchange_probe.py) reads it back: the registry, the file system, the service table, the host's
own fields. A section is *mapped* only when all of it was written, so that the probe reads it back unchanged (the
round trip tests/unit/simulator/test_capture.py checks); anything else is *unmapped*, with the reason.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .collection_modules.win_exchange_probe import EXCHANGE_ROOT, EXCHANGE_UNINSTALL, ROLE_KEYS
from .exchange.builds import Build
from .exchange.runtime import model_for
from .windows.catalogue import UNINSTALL, UNINSTALL_WOW
from .windows.filesystem import Volume
from .windows.state import (CBS, CBS_PACKAGES_PENDING, CBS_REBOOT_PENDING, CURRENT_VERSION, PENDING_FILE_RENAME,
                            SESSION_MANAGER, UPDATE_EXE, UPDATE_EXE_VOLATILE, WINDOWS_UPDATE, WU_REBOOT_REQUIRED, DomainInfo,
                            NetAdapter, OsInfo, PageFile, WindowsHost)

Field = tuple[str, ...]
TCPIP = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters"
COMPUTER_NAME = r"HKLM\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName"
WSMAN = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN"
POWERSHELL_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\PowerShell"
UPDATED_CONFIG = "857C6BDB-A8AC-4211-93BB-8123C9ECE4E5"  # the value windows/presets.py writes
PENDING = {"session_manager": PENDING_FILE_RENAME, "component_based_servicing": CBS, "windows_update": WINDOWS_UPDATE,
           "update_exe_volatile": UPDATE_EXE}
START_MODES = {"auto": "auto", "manual": "manual", "disabled": "disabled"}
DOMAIN_CONTROLLER_ROLES = (4, 5)
MAX_LOG_BYTES = 64 * 1024**2  # a longer log keeps only its captured tail
# A section the probe returns that no code here writes (the probe grew): reported, never silently dropped.
SECTIONS = ("changed", "wmi", "environment", "os", "computer", "hardware", "page_files", "page_file_automatic", "volumes",
            "network", "registry", "uninstall_entries", "features", "service_start_types", "pending_reboot", "exchange",
            "winrm", "setup_log")


@dataclass
class Overlay:
    """Writes one probe answer into `host`, noting what it mapped and what it could not."""

    host: WindowsHost
    probe: dict[str, Any]
    arguments: dict[str, Any]
    mapped: list[Field] = field(default_factory=list)
    unmapped: list[tuple[Field, str]] = field(default_factory=list)

    def apply(self) -> None:
        for name in self.probe:
            if name not in SECTIONS:
                self.unmapped.append(((name,), "a probe section simulator/capture_overlay.py does not know yet"))
        # Volumes last: the files written before (setup log, Exchange's folder) count in the free space they set.
        for section in (self._os, self._computer, self._hardware, self._page_files, self._network, self._registry,
                        self._uninstall_entries, self._features, self._services, self._pending_reboot, self._exchange,
                        self._winrm, self._environment, self._setup_log, self._volumes):
            section()

    # --- bookkeeping ------------------------------------------------------------------------------------------------
    def _present(self, *path: str) -> Any:
        """The captured value at `path`, or the Ellipsis when the capture has no such field."""
        value: Any = self.probe
        for part in path:
            if not isinstance(value, dict) or part not in value:
                return ...
            value = value[part]
        return value

    def _null(self, path: Field, why: str = "null in the capture (WMI did not answer): the preset's value stays") -> None:
        self.unmapped.append((path, why))

    # --- Windows ----------------------------------------------------------------------------------------------------
    def _os(self) -> None:
        os_ = self._present("os")
        if not isinstance(os_, dict):
            return
        host, old = self.host, self.host.os
        edition = str(os_.get("edition_id") or "Server" + old.edition).removeprefix("Server") or old.edition
        installation_type = str(os_.get("installation_type") or old.installation_type)
        if installation_type != old.installation_type:
            self.unmapped.append((("os", "installation_type"), "the preset's feature list is for " + old.installation_type))
        version = str(os_.get("version") or old.version)
        host.os = OsInfo(str(os_.get("caption") or old.caption), version, edition, installation_type, old.display_version,
                         old.ubr, old.install_date, old.architecture)
        for name, value in (("ProductName", os_.get("product_name")), ("InstallationType", os_.get("installation_type")),
                            ("EditionID", os_.get("edition_id")), ("CurrentBuild", os_.get("build")),
                            ("CurrentBuildNumber", os_.get("build"))):
            if value is not None:
                host.registry.set_value(CURRENT_VERSION, name, str(value))
        for name in ("caption", "version", "build", "edition_id", "installation_type", "product_name"):
            if name in os_ and (name != "installation_type" or installation_type == old.installation_type):
                self.mapped.append(("os", name))
        boot = parse_time(os_.get("last_boot_time"))
        if boot is None:
            self._null(("os", "last_boot_time"), "null or not a time in the capture: the preset's boot time stays")
        else:
            host.boot_time = boot
            self.mapped.append(("os", "last_boot_time"))

    def _computer(self) -> None:
        computer = self._present("computer")
        if not isinstance(computer, dict):
            return
        host = self.host
        self._domain(computer)  # first: Exchange's server object takes the new name with the new domain
        if computer.get("hostname"):
            self._rename(str(computer["hostname"]))
            self.mapped.append(("computer", "hostname"))
        if "dns_hostname" in computer:
            host.registry.set_value(TCPIP, "Hostname", str(computer["dns_hostname"] or host.hostname))
            self.mapped.append(("computer", "dns_hostname"))
        if "primary_dns_suffix" in computer:
            host.registry.set_value(TCPIP, "NV Domain", str(computer["primary_dns_suffix"] or ""))
            host.registry.set_value(TCPIP, "Domain", str(computer["primary_dns_suffix"] or ""))
            self.mapped.append(("computer", "primary_dns_suffix"))

    def _rename(self, name: str) -> None:
        """The name the probe reads (registry, environment) and Exchange's server object; accounts keep their keys."""
        host, old = self.host, self.host.hostname
        host.hostname = name.upper()
        host.registry.set_value(COMPUTER_NAME, "ComputerName", host.hostname)
        host.registry.set_value(TCPIP, "NV Hostname", host.hostname)
        host.env["ComputerName"] = host.hostname
        model = model_for(host)
        server = model.org.servers.pop(old.lower(), None) if model is not None else None
        if server is not None:
            server.name, server.fqdn = host.hostname, host.fqdn
            model.org.servers[host.hostname.lower()] = server

    def _domain(self, computer: dict[str, Any]) -> None:
        host = self.host
        role = computer.get("domain_role")
        if computer.get("part_of_domain") is False:
            host.domain = None
            host.workgroup = str(computer.get("domain") or "WORKGROUP")
        elif computer.get("part_of_domain") and computer.get("domain"):
            fqdn = str(computer["domain"])
            old = host.domain
            # The simulated domain's accounts (RPI\\svc-exchange, ...) keep their NetBIOS name whatever the DNS name is.
            netbios = old.netbios if old is not None else fqdn.split(".", maxsplit=1)[0].upper()
            host.domain = DomainInfo(fqdn, netbios, is_domain_controller=role in DOMAIN_CONTROLLER_ROLES,
                                     dc_hostname=old.dc_hostname if old is not None and old.fqdn == fqdn else f"RPI-DC01.{fqdn}")
        else:
            self.unmapped.append((("computer", "domain"), "null in the capture: the preset's domain stays"))
            return
        self.mapped += [("computer", "domain"), ("computer", "part_of_domain")]
        # The model's server roles: 2 standalone, 3 member, 5 primary domain controller (the probe's stand-in reads those).
        if role in (2, 3, 5) and (role == 2) == (host.domain is None):
            self.mapped.append(("computer", "domain_role"))
        else:
            self.unmapped.append((("computer", "domain_role"), f"domain role {role!r} is not a server role the model has"))

    def _hardware(self) -> None:
        hardware = self._present("hardware")
        if hardware is ...:
            return
        if not isinstance(hardware, dict):
            self._null(("hardware",))
            return
        host = self.host
        host.cpu_sockets = int(hardware.get("sockets") or host.cpu_sockets)
        host.cpu_cores = int(hardware.get("cores") or host.cpu_cores)
        host.logical_processors = int(hardware.get("logical_processors") or host.logical_processors)
        host.ram_bytes = int(hardware.get("memory_bytes") or host.ram_bytes)
        host.env["NUMBER_OF_PROCESSORS"] = str(host.logical_processors)
        self.mapped.append(("hardware",))

    def _page_files(self) -> None:
        automatic, page_files = self._present("page_file_automatic"), self._present("page_files")
        if automatic is ... and page_files is ...:
            return
        if automatic is None or page_files is None:
            self._null(("page_files",))
            self._null(("page_file_automatic",))
            return
        self.host.pagefile_automatic = bool(automatic)
        self.host.pagefiles = [PageFile()] if automatic else [
            PageFile(str(page["path"]), int(page["initial_mb"]), int(page["maximum_mb"])) for page in page_files]
        self.mapped += [("page_files",), ("page_file_automatic",)]

    def _volumes(self) -> None:
        volumes = self._present("volumes")
        if not isinstance(volumes, list):
            return
        fs, problems = self.host.fs, []
        captured = {str(item["drive_letter"]).upper(): item for item in volumes if item.get("drive_type") == "Fixed"}
        for item in volumes:
            if item.get("drive_type") != "Fixed":
                problems.append(f"{item.get('drive_letter')}: is {item.get('drive_type')}; only fixed volumes are rebuilt")
        for letter, volume in list(fs.volumes.items()):
            if letter not in captured and volume.drive_type == "Fixed" and letter != "C":
                fs.remove_volume(letter)
        for letter, item in captured.items():
            volume = fs.volumes.get(letter) or fs.add_volume(Volume(letter))
            volume.label, volume.filesystem = str(item.get("label") or ""), str(item.get("file_system") or "NTFS")
            volume.size = int(item["size_bytes"])
            volume.used_base = volume.size - int(item["free_bytes"]) - volume.used_files
            if volume.used_base < 0:
                problems.append(f"{letter}: the preset's files take more room than the capture's used space")
                volume.used_base = 0
        if problems:
            self.unmapped.append((("volumes",), "; ".join(problems)))
        else:
            self.mapped.append(("volumes",))

    def _network(self) -> None:
        network = self._present("network")
        if network is ...:
            return
        if not isinstance(network, list):
            self._null(("network",))
            return
        template = self.host.adapters[0] if self.host.adapters else NetAdapter()
        self.host.adapters = [
            NetAdapter(f"Ethernet{index}", str(item.get("description") or ""), template.mac, list(item.get("ipv4") or []),
                       template.prefix_length, template.gateway, list(template.dns_servers), bool(item.get("dhcp_enabled")))
            for index, item in enumerate(network)]
        self.mapped.append(("network",))

    def _registry(self) -> None:
        keys = self._present("registry")
        if not isinstance(keys, dict):
            return
        for path, values in keys.items():
            problem = write_key(self.host, path.replace("HKLM:\\", "HKLM\\", 1), values)
            if problem:
                self.unmapped.append((("registry", path), problem))
            else:
                self.mapped.append(("registry", path))

    def _uninstall_entries(self) -> None:
        entries = self._present("uninstall_entries")
        patterns = [str(pattern).lower() for pattern in self.arguments.get("uninstall_display_names") or []]
        if not isinstance(entries, list):
            return
        reg = self.host.registry
        # The capture lists every entry matching its patterns: the preset's other matching entries are not on the server.
        for root in (UNINSTALL, UNINSTALL_WOW):
            for sub in list(reg.subkeys(root)) if reg.key_exists(root) else []:
                name = str(reg.get(f"{root}\\{sub}", "DisplayName") or "").lower()
                if name and any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
                    reg.delete_key(f"{root}\\{sub}")
        for entry in entries:
            key = (UNINSTALL_WOW if str(entry.get("registry_view")) == "32" else UNINSTALL) + "\\" + str(entry["key"])
            values = {"DisplayName": entry.get("display_name"), "DisplayVersion": entry.get("display_version"),
                      "Version": entry.get("version"), "InstallDate": entry.get("install_date")}
            write_key(self.host, key, {name: value for name, value in values.items() if value is not None})
        self.mapped.append(("uninstall_entries",))

    def _features(self) -> None:
        features = self._present("features")
        if features is ...:
            return
        if not isinstance(features, list):
            self._null(("features",))
            return
        state, unknown = self.host.features, []
        for item in features:
            name = str(item["name"]).lower()
            if name not in state.available:
                unknown.append(str(item["name"]))
                continue
            state.install_pending.discard(name)
            state.remove_pending.discard(name)
            (state.installed.add if item.get("installed") else state.installed.discard)(name)
        if unknown:
            self.unmapped.append((("features",), "features the model does not know: " + ", ".join(unknown)))
        else:
            self.mapped.append(("features",))

    def _services(self) -> None:
        start_types = self._present("service_start_types")
        wmi = self._present("wmi")
        if isinstance(start_types, dict):
            for name, start_type in start_types.items():
                problem = set_start_type(self.host, name, start_type)
                if problem:
                    self.unmapped.append((("service_start_types", name), problem))
                else:
                    self.mapped.append(("service_start_types", name))
        if isinstance(wmi, dict):
            captured = start_types.get("Winmgmt") if isinstance(start_types, dict) else None
            if captured is None:
                set_start_type(self.host, "Winmgmt", "Auto" if wmi.get("available") else "Disabled")
            elif (str(captured).lower() == "disabled") == bool(wmi.get("available")):
                # The model's WMI fails only when Winmgmt is disabled (windows/wmi.py).
                self.unmapped.append((("wmi", "available"), f"WMI answered {wmi.get('available')} with Winmgmt {captured}"))
                return
            self.mapped.append(("wmi", "available"))
            if wmi.get("error") is None:
                self.mapped.append(("wmi", "error"))
            else:
                self.unmapped.append((("wmi", "error"), "the model words its own error when WMI is disabled"))

    def _pending_reboot(self) -> None:
        pending = self._present("pending_reboot")
        if not isinstance(pending, dict):
            return
        for name, value in pending.items():
            source = PENDING.get(name)
            if source is None:
                self.unmapped.append((("pending_reboot", name), "a pending-restart source the model does not know"))
                continue
            clear_pending(self.host, source)
            if value:
                self.host.set_pending_reboot(source)
            self.mapped.append(("pending_reboot", name))

    def _winrm(self) -> None:
        winrm = self._present("winrm")
        if not isinstance(winrm, dict):
            return
        reg = self.host.registry
        if "updated_config_present" in winrm:
            if winrm["updated_config_present"]:
                reg.set_value(WSMAN, "UpdatedConfig", UPDATED_CONFIG)
            else:
                reg.delete_value(WSMAN, "UpdatedConfig")
            self.mapped.append(("winrm", "updated_config_present"))
        if "execution_policy_gpo" in winrm:
            if winrm["execution_policy_gpo"]:
                reg.set_value(POWERSHELL_POLICY, "ExecutionPolicy", str(winrm["execution_policy_gpo"]))
                reg.set_value(POWERSHELL_POLICY, "EnableScripts", 1, "REG_DWORD")
            else:
                reg.delete_value(POWERSHELL_POLICY, "ExecutionPolicy")
            self.mapped.append(("winrm", "execution_policy_gpo"))
        if "remote_registry_start_mode" in winrm:
            problem = set_start_type(self.host, "RemoteRegistry", winrm["remote_registry_start_mode"])
            if problem:
                self.unmapped.append((("winrm", "remote_registry_start_mode"), problem))
            else:
                self.mapped.append(("winrm", "remote_registry_start_mode"))

    def _environment(self) -> None:
        environment = self._present("environment")
        if not isinstance(environment, dict):
            return
        env = self.host.env
        for name, variables in (("system_drive", ("SystemDrive",)), ("system_root", ("SystemRoot", "windir")),
                                ("program_files", ("ProgramFiles",))):
            if environment.get(name):
                for variable in variables:
                    env[variable] = str(environment[name])
                self.mapped.append(("environment", name))
        for folder in (env.get("SystemRoot", ""), env.get("ProgramFiles", "")):
            if folder and self.host.fs.volume_of(folder) is not None:
                self.host.fs.mkdir(folder)

    def _setup_log(self) -> None:
        log = self._present("setup_log")
        if not isinstance(log, dict) or not log.get("path"):
            return
        path, fs = str(log["path"]), self.host.fs
        if not log.get("exists"):
            if fs.is_file(path):
                fs.delete(path)
            self.mapped.append(("setup_log",))
            return
        tail = str(log.get("tail") or "").encode("utf-8")
        size = max(len(tail), int(log.get("size_bytes") or 0))
        if size > MAX_LOG_BYTES:
            self.unmapped.append((("setup_log", "size_bytes"), f"{size} bytes: only the captured tail is written"))
            size = len(tail)
        # The bytes before the captured tail were not captured: blanks, so that the size (and every tail) reads back.
        before = size - len(tail)
        fs.write(path, (b" " * (before - 2) + b"\r\n" if before >= 2 else b" " * before) + tail)
        self.mapped += [("setup_log", "path"), ("setup_log", "exists")]
        # The probe reads back the same tail when the capture holds the whole log or all the tail it asked for.
        if len(tail) == size or len(tail) >= int(self.arguments.get("setup_log_tail_bytes") or 0):
            self.mapped.append(("setup_log", "tail"))
        else:
            self.unmapped.append((("setup_log", "tail"), "shorter than the log and than the tail asked for"))
        if size == int(log.get("size_bytes") or 0):
            self.mapped.append(("setup_log", "size_bytes"))

    # --- Exchange ---------------------------------------------------------------------------------------------------
    def _exchange(self) -> None:
        exchange = self._present("exchange")
        if not isinstance(exchange, dict):
            return
        old_path = self.host.registry.get(EXCHANGE_ROOT + r"\Setup", "MsiInstallPath")
        for name, key in (("setup_key", EXCHANGE_ROOT + r"\Setup"), ("uninstall_key", EXCHANGE_UNINSTALL)):
            if name in exchange:
                self._exchange_key(("exchange", name), key, exchange[name])
        if isinstance(exchange.get("role_keys"), dict):
            for role in ROLE_KEYS:
                self._exchange_key(("exchange", "role_keys", role), f"{EXCHANGE_ROOT}\\{role}", exchange["role_keys"].get(role))
        self._exchange_files(exchange, old_path)
        task = exchange.get("setup_task")
        if isinstance(task, dict) and task.get("exists"):
            self.unmapped.append((("exchange", "setup_task"), "the setup task is not rebuilt"))
        else:
            self.mapped.append(("exchange", "setup_task"))
        if exchange.get("setup_processes"):
            self.unmapped.append((("exchange", "setup_processes"), "running processes are not rebuilt"))
        else:
            self.mapped.append(("exchange", "setup_processes"))

    def _exchange_key(self, path: Field, key: str, values: Any) -> None:
        problem = write_key(self.host, key, values)
        if problem:
            self.unmapped.append((path, problem))
        else:
            self.mapped.append(path)

    def _exchange_files(self, exchange: dict[str, Any], old_path: str | None) -> None:
        """The install folder's files and ExSetup.exe's version; the server object's build, as Get-ExchangeServer shows it."""
        setup_key = exchange.get("setup_key") or {}
        install_path, version = setup_key.get("MsiInstallPath"), exchange.get("exsetup_file_version")
        model = model_for(self.host)
        try:
            build = Build(*(int(setup_key[name]) for name in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")))
        except (KeyError, TypeError, ValueError):
            build = None
        if install_path and build is not None and model is not None and str(install_path).lower() != str(old_path or "").lower():
            model.install.write_files(build, str(install_path))
            model.install.write_environment(str(install_path))
        server = model.org.server(self.host.hostname) if model is not None else None
        if server is not None and build is not None:
            server.build = build
        if not install_path:
            if version is None:
                self.mapped.append(("exchange", "exsetup_file_version"))
            else:
                self.unmapped.append((("exchange", "exsetup_file_version"), "a version without an install folder"))
            return
        exsetup = str(install_path).rstrip("\\") + r"\Bin\ExSetup.exe"
        if version is None:
            if self.host.fs.is_file(exsetup):
                self.host.fs.delete(exsetup)
        else:
            node = self.host.fs.get(exsetup) or self.host.fs.write(exsetup, None, size=42_000)
            node.version = str(version)
        self.mapped.append(("exchange", "exsetup_file_version"))


# --- small writers, also used by the tests -----------------------------------------------------------------------------
def write_key(host: WindowsHost, key: str, values: Any) -> str:
    """Make `key` hold exactly `values` (None: no such key); returns why not, or ""."""
    reg = host.registry
    if values is None:
        if reg.key_exists(key):
            reg.delete_key(key)
        return ""
    if not isinstance(values, dict):
        return f"not a map of values: {type(values).__name__}"
    problems = []
    reg.create_key(key)
    for name in list(reg.values(key)):
        reg.delete_value(key, name)
    for name, data in values.items():
        kind = registry_type(data)
        if kind is None:
            problems.append(f"{name}: a {type(data).__name__} has no registry type here")
            continue
        reg.set_value(key, "" if name == "(default)" else name, bytes(data) if kind == "REG_BINARY" else data, kind)
    return "; ".join(problems)


def registry_type(data: Any) -> str | None:
    """The registry type a JSON value reads back as (PowerShell's DWORD is signed: negative values are not written)."""
    if isinstance(data, bool) or data is None:
        return None
    if isinstance(data, int):
        return "REG_DWORD" if 0 <= data < 2**32 else "REG_QWORD" if 0 <= data < 2**64 else None
    if isinstance(data, str):
        return "REG_SZ"
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        return "REG_MULTI_SZ"
    if isinstance(data, list) and all(isinstance(item, int) and 0 <= item < 256 for item in data):
        return "REG_BINARY"
    return None


def set_start_type(host: WindowsHost, name: str, start_type: Any) -> str:
    """A service's start mode as `Services\\<name>\\Start` reads; a disabled service is stopped, an automatic one runs."""
    service = host.get_service(name)
    if start_type is None:
        return "" if service is None else "the capture has no such service: the preset's service stays"
    mode = START_MODES.get(str(start_type).lower())
    if service is None or mode is None:
        return f"start type {start_type!r} of a service the model {'has' if service else 'does not have'}"
    service.start_mode = mode
    if mode == "disabled":
        service.state = "stopped"
    elif mode == "auto" and service.state != "running":
        try:
            host.start_service(name)
        except (KeyError, RuntimeError) as err:
            return f"set to automatic but it does not start: {err}"
    return ""


def clear_pending(host: WindowsHost, source: str) -> None:
    """Clear one pending-restart source, the way a restart clears them all (WindowsHost._clear_pending_reboot)."""
    reg = host.registry
    if source == PENDING_FILE_RENAME:
        reg.delete_value(SESSION_MANAGER, PENDING_FILE_RENAME)
    elif source == CBS:
        reg.delete_key(CBS_REBOOT_PENDING)
        reg.delete_key(CBS_PACKAGES_PENDING)
    elif source == WINDOWS_UPDATE:
        reg.delete_key(WU_REBOOT_REQUIRED)
    elif source == UPDATE_EXE:
        reg.delete_value(UPDATE_EXE_VOLATILE, "Flags")


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_time(text: Any) -> datetime | None:
    """An ISO time as PowerShell's "o" format writes it (7 fractional digits, Z) or as Python's isoformat()."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return datetime.fromisoformat(_FRACTION.sub(r"\1", text.strip()).replace("Z", "+00:00"))
    except ValueError:
        return None
