"""ansible.windows.slurp (plugins/modules/slurp.ps1)."""

from __future__ import annotations

import base64

from ..state import WindowsHost
from . import register
from ._common import ModuleCall


@register("ansible.windows.slurp")
def slurp(host: WindowsHost, call: ModuleCall) -> dict:
    src = host.expand_env(call.params["src"], call.user)
    node = host.fs.get(src)
    if node is None:
        call.fail(f"Path {src} is not found")
    if node.is_dir:
        call.fail(f"Path {src} is a directory")
    return {"changed": False, "content": base64.b64encode(node.data()).decode("ascii"), "encoding": "base64"}
