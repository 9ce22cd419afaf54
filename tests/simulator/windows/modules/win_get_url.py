"""ansible.windows.win_get_url (plugins/modules/win_get_url.ps1), offline: only file:// URLs and UNC paths.

The simulated RPI network has no Internet; an http(s) URL fails like a host without DNS would.
"""

from __future__ import annotations

from urllib.parse import unquote, urlparse

from .. import paths
from ..state import WindowsHost
from . import register
from ._common import ModuleCall
from .win_package import unc_denied


def url_to_path(url: str) -> str | None:
    """file:///C:/x -> C:\\x; file://server/share/x and \\\\server\\share\\x -> UNC; None for other schemes."""
    if url.startswith("\\\\"):
        return paths.normalize(url)
    parsed = urlparse(url)
    if parsed.scheme.lower() != "file":
        return None
    path = unquote(parsed.path)
    if parsed.netloc and parsed.netloc.lower() != "localhost":
        return paths.normalize(f"\\\\{parsed.netloc}{path}")
    return paths.normalize(path.lstrip("/"))


@register("ansible.windows.win_get_url")
def win_get_url(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    url, algorithm = p["url"], p["checksum_algorithm"]
    dest = host.expand_env(p["dest"], call.user)
    result: dict = {"changed": False, "elapsed": 0, "url": url}
    src = url_to_path(url)
    if src is None:
        host_part = urlparse(url).hostname or url
        call.fail(f"Error downloading '{url}' to '{dest}': The remote name could not be resolved: '{host_part}'",
                  status_code=None, **result)
    if host.fs.is_dir(dest):
        dest = paths.join(dest, paths.basename(src))
    result["dest"] = dest
    node = None if unc_denied(host, call, src) else host.fs.get(src)
    if node is None or node.is_dir:
        call.fail(f"Error downloading '{url}' to '{dest}': Could not find file '{src}'.", **result)
    src_sum = node.checksum(algorithm)
    if p.get("checksum") and p["checksum"].lower() != src_sum:
        call.fail(f"The checksum for {url} did not match '{p['checksum']}', it was '{src_sum}'", **result)
    existing = host.fs.get(dest)
    if existing is not None and not p["force"]:
        result.update(checksum_dest=existing.checksum(algorithm), size=existing.size, msg="OK", status_code=200)
        return result
    if existing is None or existing.checksum(algorithm) != src_sum:
        if not call.check_mode:
            host.fs.copy(src, dest)
        result["changed"] = True
    if p.get("checksum"):
        result["checksum_src"] = src_sum
    result.update(checksum_dest=src_sum, size=node.size, msg="OK", status_code=200)
    return result
