"""ansible.windows.win_stat (plugins/modules/win_stat.ps1): files, folders and UNC paths of the virtual FS."""

from __future__ import annotations

from .. import paths
from ..filesystem import FileNode
from ..state import WindowsHost
from . import register
from ._common import ModuleCall, epoch


def attributes(node: FileNode) -> str:
    """[System.IO.FileAttributes].ToString()"""
    attrs = []
    if node.readonly:
        attrs.append("ReadOnly")
    if node.hidden:
        attrs.append("Hidden")
    attrs.append("Directory" if node.is_dir else "Archive")
    return ", ".join(attrs)


@register("ansible.windows.win_stat")
def win_stat(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    path = host.expand_env(p["path"], call.user)
    node = host.fs.get(path) if paths.is_absolute(path) else None
    if node is None:
        return {"changed": False, "stat": {"exists": False}}
    attrs = attributes(node)
    name = paths.basename(node.path) or node.path
    stat: dict = {
        "exists": True, "attributes": attrs, "isarchive": "Archive" in attrs, "isdir": node.is_dir,
        "ishidden": node.hidden, "isjunction": False, "islnk": False, "isreadonly": node.readonly,
        "isreg": not node.is_dir, "isshared": False, "nlink": 1, "hlnk_targets": [],
        "creationtime": epoch(node.created), "lastaccesstime": epoch(node.accessed), "lastwritetime": epoch(node.modified),
        "path": node.path, "filename": name, "owner": node.owner,
    }
    if node.is_dir:
        if p["get_size"]:
            stat["size"] = host.fs.tree_size(node.path)
    else:
        stat["extension"] = ("." + name.rsplit(".", 1)[1]) if "." in name else ""
        if p["get_checksum"]:
            stat["checksum"] = node.checksum(p["checksum_algorithm"])
        if p["get_size"]:
            stat["size"] = node.size
    return {"changed": False, "stat": stat}
