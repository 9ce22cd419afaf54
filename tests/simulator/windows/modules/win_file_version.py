"""community.windows.win_file_version (plugins/modules/win_file_version.ps1, legacy parser).

The real module reads [System.Diagnostics.FileVersionInfo]::GetVersionInfo($path) and returns every field as a
string under `win_file_version`: FileVersion (the resource's text, e.g. Exchange's zero-padded `15.02.1748.010`),
ProductVersion, the four numeric parts and FileVersionRaw (`15.2.1748.10`). A file without version resource gives
empty strings and parts of 0. It fails for a missing path or a directory, and for extensions other than .exe/.dll
(PowerShell's -notin compares case-insensitively).
"""

from __future__ import annotations

import re

from .. import paths
from ..state import WindowsHost
from . import register
from ._common import ModuleCall

_PARTS = re.compile(r"^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?")


@register("community.windows.win_file_version")
def win_file_version(host: WindowsHost, call: ModuleCall) -> dict:
    path = host.expand_env(str(call.params["path"]), call.user)
    result: dict = {"win_file_version": {}, "changed": False}
    node = host.fs.get(path) if paths.is_absolute(path) else None
    if node is None or node.is_dir:
        call.fail(f"Specified path {path} does not exist or is not a file.", **result)
    extension = "." + path.rsplit(".", 1)[1] if "." in paths.basename(path) else ""
    if extension.lower() not in (".exe", ".dll"):
        call.fail(f"Specified path {path} is not a valid file type; must be DLL or EXE.", **result)
    text = node.version or ""
    match = _PARTS.match(text)
    parts = [int(part) if part else 0 for part in match.groups()] if match else [0, 0, 0, 0]
    result["win_file_version"] = {
        "path": path,
        "file_version": text,
        "product_version": text,
        "file_major_part": str(parts[0]),
        "file_minor_part": str(parts[1]),
        "file_build_part": str(parts[2]),
        "file_private_part": str(parts[3]),
        "file_version_raw": ".".join(str(part) for part in parts),
    }
    return result
