"""ansible.windows.win_copy, the module half of the action plugin protocol (plugins/modules/win_copy.ps1).

The action plugin calls it with `_copy_mode`: `query` (which of these files/dirs differ? by sha1), `single`
(a file already put via put_file into the temp dir: copy it to dest), `explode` (a zip of many files, names
base64-encoded) or `remote` (remote_src: copy on the host). Checksums are sha1 (Get-FileChecksum).
"""

from __future__ import annotations

import base64
import io
import zipfile

from .. import paths
from ..state import WindowsHost
from . import register
from ._common import ModuleCall


def _trailing(p: str) -> bool:
    return p.endswith("\\") or p.endswith("/")


def _copy_file(host: WindowsHost, call: ModuleCall, src: str, dest: str, result: dict) -> str:
    diff = ""
    node = host.fs.get(src)
    assert node is not None
    checksum = node.checksum("sha1") if call.params["force"] else None
    target = host.fs.get(dest)
    if target is not None and target.is_dir:
        call.fail(f"cannot copy file from '{src}' to '{dest}': dest is already a folder", **result)
    copy = target is None or (call.params["force"] and target.checksum("sha1") != checksum)
    if copy:
        parent = paths.parent(dest) or dest
        if host.fs.is_file(parent):
            call.fail(f"cannot copy file from '{src}' to '{dest}': object at dest parent dir is not a folder", **result)
        if not host.fs.exists(parent):
            if not call.check_mode:
                host.fs.mkdir(parent)
            diff += f"+{parent}\\\n"
        if target is not None:
            diff += f"-{dest}\n"
        if not call.check_mode:
            host.fs.copy(src, dest)
        diff += f"+{dest}\n"
        result["changed"] = True
    result["checksum"] = checksum
    return diff


def _copy_folder(host: WindowsHost, call: ModuleCall, src: str, dest: str, result: dict) -> str:
    diff = ""
    if not host.fs.is_dir(dest):
        if host.fs.is_file(dest):
            call.fail(f"cannot copy folder from '{src}' to '{dest}': dest is already a file", **result)
        if not call.check_mode:
            host.fs.mkdir(dest)
        diff += f"+{dest}\\\n"
        result["changed"] = True
    for child in host.fs.listdir(src):
        target = paths.join(dest, paths.basename(child.path))
        if child.is_dir:
            diff += _copy_folder(host, call, child.path, target, result)
        else:
            saved = result.get("checksum")
            diff += _copy_file(host, call, child.path, target, result)
            result["checksum"] = saved
    return diff


def _query(host: WindowsHost, call: ModuleCall, dest: str) -> dict:
    result: dict = {"changed": False}
    files, dirs = [], []
    for f in call.params.get("files") or []:
        filename = f["dest"]
        path = paths.join(dest, filename)
        if host.fs.is_dir(path):
            leaf = f["src"].replace("/", "\\").rsplit("\\", 1)[-1]
            path = paths.join(dest, filename, leaf)
        node = host.fs.get(path)
        if node is None:
            files.append(f)
        elif node.is_dir:
            call.fail(f"cannot copy file to dest '{path}': object at path is already a directory", **result)
        elif call.params["force"] and node.checksum("sha1") != f.get("checksum"):
            files.append(f)
    for d in call.params.get("directories") or []:
        path = paths.join(dest, d["dest"])
        if host.fs.is_file(paths.parent(path) or path):
            call.fail(f"cannot copy folder to dest '{path}': object at parent directory path is already a file", **result)
        if host.fs.is_file(path):
            call.fail(f"cannot copy folder to dest '{path}': object at path is already a file", **result)
        if not host.fs.is_dir(path):
            dirs.append(d)
    result.update(files=files, directories=dirs, symlinks=[])
    return result


def _explode(host: WindowsHost, call: ModuleCall, src: str, dest: str) -> dict:
    if not host.fs.is_file(src):
        call.fail(f"Cannot expand src zip file: '{src}' as it does not exist")
    with zipfile.ZipFile(io.BytesIO(host.fs.read(src))) as archive:
        for entry in archive.infolist():
            name = entry.filename
            is_dir = len(name) % 4 == 1
            decoded = base64.b64decode(name[:-1] if is_dir else name).decode("utf-8")
            target = paths.join(dest, decoded)
            if call.check_mode:
                continue
            if is_dir:
                host.fs.mkdir(target)
            else:
                host.fs.write(target, archive.read(entry))
    return {"changed": True}


def _remote(host: WindowsHost, call: ModuleCall, src: str, dest: str) -> dict:
    result: dict = {"changed": False, "src": src, "dest": dest}
    if call.diff_mode:
        result["diff"] = {}
    node = host.fs.get(src)
    if node is None:
        call.fail(f"Cannot copy src file: '{src}' as it does not exist", **result)
    remote_dest = dest
    if node.is_dir:
        result["operation"] = "folder_copy"
        if _trailing(call.params["src"]):
            diff = ""
            for child in host.fs.listdir(src):
                target = paths.join(dest, paths.basename(child.path))
                diff += (_copy_folder if child.is_dir else _copy_file)(host, call, child.path, target, result)
            result.pop("checksum", None)
        else:
            remote_dest = paths.join(dest, paths.basename(src))
            result["dest"] = remote_dest
            diff = _copy_folder(host, call, src, remote_dest, result)
    else:
        result["operation"] = "file_copy"
        result["original_basename"] = paths.basename(src)
        if _trailing(call.params["dest"]) or host.fs.is_dir(dest):
            remote_dest = paths.join(dest, paths.basename(src))
        result["dest"] = remote_dest
        parent = paths.parent(remote_dest) or remote_dest
        if host.fs.is_file(parent):
            call.fail(f"object at destination parent dir '{parent}' is currently a file", **result)
        if not host.fs.is_dir(parent):
            if paths.key(dest) == paths.key(remote_dest):
                call.fail(f"Destination directory '{parent}' does not exist", **result)
            host.fs.mkdir(parent)
        diff = _copy_file(host, call, src, remote_dest, result)
    result["size"] = host.fs.tree_size(remote_dest) if host.fs.exists(remote_dest) else None
    if call.diff_mode:
        result["diff"]["prepared"] = diff
    return result


def _single(host: WindowsHost, call: ModuleCall, src: str, dest: str) -> dict:
    result: dict = {"changed": False}
    if not host.fs.is_file(src):
        call.fail(f"Cannot copy src file: '{src}' as it does not exist", **result)
    remote_dest = dest
    if _trailing(call.params["dest"]) or host.fs.is_dir(dest):
        remote_dest = paths.join(dest, call.params.get("_original_basename") or paths.basename(src))
    parent = paths.parent(remote_dest) or remote_dest
    if host.fs.is_file(parent):
        call.fail(f"object at destination parent dir '{parent}' is currently a file", **result)
    if not host.fs.is_dir(parent):
        if paths.key(dest) == paths.key(remote_dest):
            call.fail(f"Destination directory '{parent}' does not exist", **result)
        host.fs.mkdir(parent)
    host.fs.copy(src, remote_dest)
    result["changed"] = True
    result["dest"] = remote_dest
    result["checksum"] = host.fs.get(remote_dest).checksum("sha1")  # type: ignore[union-attr]
    result["size"] = host.fs.get(remote_dest).size  # type: ignore[union-attr]
    return result


@register("ansible.windows.win_copy")
def win_copy(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    mode = p["_copy_mode"]
    if mode in ("explode", "single") and not p.get("src"):
        call.fail("Get-AnsibleParam: Missing required argument: src")
    dest = host.expand_env(p["dest"], call.user)
    src = host.expand_env(p["src"], call.user) if p.get("src") else ""
    if mode == "query":
        return _query(host, call, dest)
    if mode == "explode":
        return _explode(host, call, src, dest)
    if mode == "remote":
        return _remote(host, call, src, dest)
    return _single(host, call, src, dest)
