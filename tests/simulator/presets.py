"""Every starting state of the simulated RPI server, by name.

Windows presets (`ws2022-bare`, `ws2022-ready-low-ram`, ...) describe the operating system; the
Exchange presets (`ws2022-exchange-2019-cu14`, ...) add an Exchange install made by the simulated
setup itself. Every preset gets the Exchange model attached and the installation media on the
RPI share and in C:\\RPI\\Exchange, so any of them can be the target of an install or upgrade.
"""

from __future__ import annotations

from dataclasses import replace

from .clock import Clock
from .exchange import presets as exchange_presets
from .exchange.runtime import attach
from .windows import presets as windows_presets
from .windows.filesystem import Volume
from .windows.state import WindowsHost

DEFAULT_PRESET = "ws2022-bare"


def _small_program_drive(host: WindowsHost) -> None:
    """E:, an NTFS drive for programs with 12 GB free: less than the 30 GB Exchange's install drive needs."""
    host.fs.add_volume(Volume("E", "Programas", "NTFS", "Fixed", 60 * windows_presets.GB, used_base=48 * windows_presets.GB))


def _windows_on_d(host: WindowsHost) -> None:
    """Windows installed on D: (some VM templates do this), C: left as a data drive: %SystemDrive%, %SystemRoot%,
    %ProgramFiles% and %TEMP% point at D:, where setup then writes D:\\ExchangeSetupLogs (exchange-facts §4.1)."""
    host.fs.add_volume(Volume("D", "Sistema", "NTFS", "Fixed", 200 * windows_presets.GB, used_base=40 * windows_presets.GB))
    for name in ("SystemRoot", "windir", "ProgramFiles", "ProgramFiles(x86)", "ProgramData", "ALLUSERSPROFILE", "PUBLIC",
                 "TEMP", "TMP", "PATH"):
        host.env[name] = host.env[name].replace("C:\\", "D:\\")
    host.env["SystemDrive"] = "D:"
    for folder in (r"D:\Windows\Temp", r"D:\Program Files", r"D:\Program Files (x86)", r"D:\ProgramData"):
        host.fs.mkdir(folder)
    for node in list(host.fs.listdir(r"C:\Windows\System32")):  # the system's programs are where %SystemRoot% is
        if not node.is_dir:
            host.fs.add(replace(node, path="D:" + node.path[2:]))


# Windows starting states that only some tests need, built like windows_presets.PRESETS (the bad-input scenario's
# TargetDir on a drive without enough room).
EXTRA_WINDOWS_PRESETS = {
    "ws2022-bare-small-program-drive": lambda clock=None: windows_presets.windows_server(
        2022, clock=clock, prerequisites=False, customize=_small_program_drive),
    "ws2022-ready-windows-on-d": lambda clock=None: windows_presets.windows_server(
        2022, clock=clock, data_volume=False, customize=_windows_on_d),
    "ws2022-ready-vc2013-x86-only": lambda clock=None: windows_presets.windows_server(
        2022, clock=clock, customize=windows_presets.vc2013_x86_only),
    "ws2022-ready-vc2013-old-x64": lambda clock=None: windows_presets.windows_server(
        2022, clock=clock, customize=windows_presets.vc2013_old_x64_build),
}


def names() -> list[str]:
    return sorted(set(windows_presets.names()) | set(exchange_presets.PRESETS) | set(EXTRA_WINDOWS_PRESETS))


def build(name: str, clock: Clock | None = None) -> WindowsHost:
    """A fresh host in state `name`; KeyError naming the known presets otherwise."""
    if name in exchange_presets.PRESETS:
        return exchange_presets.build(name, clock=clock)
    if name not in windows_presets.PRESETS and name not in EXTRA_WINDOWS_PRESETS:
        raise KeyError(f"unknown preset {name!r}; known presets: {', '.join(names())}")
    host = (EXTRA_WINDOWS_PRESETS.get(name) or windows_presets.PRESETS[name])(clock=clock)
    exchange_presets.place_media(host)
    attach(host)
    return host
