"""Every starting state of the simulated RPI server, by name.

Windows presets (`ws2022-bare`, `ws2022-ready-low-ram`, ...) describe the operating system; the
Exchange presets (`ws2022-exchange-2019-cu14`, ...) add an Exchange install made by the simulated
setup itself. Every preset gets the Exchange model attached and the installation media on the
RPI share and in C:\\RPI\\Exchange, so any of them can be the target of an install or upgrade.
"""

from __future__ import annotations

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


# Windows starting states that only some tests need, built like windows_presets.PRESETS (the bad-input scenario's
# TargetDir on a drive without enough room).
EXTRA_WINDOWS_PRESETS = {
    "ws2022-bare-small-program-drive": lambda clock=None: windows_presets.windows_server(
        2022, clock=clock, prerequisites=False, customize=_small_program_drive),
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
