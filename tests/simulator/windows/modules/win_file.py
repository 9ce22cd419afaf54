"""ansible.windows.win_file (plugins/modules/win_file.ps1, legacy parser): touch/file/directory/absent."""

from __future__ import annotations

from .. import paths
from ..state import WindowsHost
from . import register
from ._common import ModuleCall


@register("ansible.windows.win_file")
def win_file(host: WindowsHost, call: ModuleCall) -> dict:
    path = host.expand_env(call.params["path"], call.user)
    state = call.params.get("state")
    check = call.check_mode
    if not paths.is_absolute(path):
        call.fail(f"Get-AnsibleParam: Parameter 'path' has an invalid path '{path}' specified.")
    result = {"changed": False}
    if state == "touch":
        if not check:
            host.fs.touch(path)
        result["changed"] = True
    node = host.fs.get(path)
    if node is not None:
        if state == "absent":
            if not check:
                host.fs.delete(path)
            result["changed"] = True
        elif state == "directory" and not node.is_dir:
            call.fail(f"path {path} is not a directory", **result)
        elif state == "file" and node.is_dir:
            call.fail(f"path {path} is not a file", **result)
        return result
    if state is None:
        state = "file" if paths.basename(path) else "directory"
    if state == "directory":
        if not check:
            host.fs.mkdir(path)
        result["changed"] = True
    elif state == "file":
        call.fail(f"path {path} will not be created", **result)
    return result
