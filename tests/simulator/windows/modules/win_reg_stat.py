"""ansible.windows.win_reg_stat (plugins/modules/win_reg_stat.ps1, legacy parser)."""

from __future__ import annotations

from ..registry import normalize_key
from ..state import WindowsHost
from . import register
from ._common import ModuleCall
from ._registry_types import ps_path_ok, stat_value


@register("ansible.windows.win_reg_stat")
def win_reg_stat(host: WindowsHost, call: ModuleCall) -> dict:
    path, name = call.params["path"], call.params.get("name")
    result: dict = {"changed": False}
    if not ps_path_ok(path):
        call.fail(f"path: {path} is not a valid registry path, see module documentation for examples.", **result)
    key = normalize_key(path)
    if not host.registry.key_exists(key):
        result["exists"] = False
        return result
    if name is None:
        props = {v.name: stat_value(v.type, v.data) for v in host.registry.values(key).values()}
        result.update(exists=True, properties=props, sub_keys=host.registry.subkeys(key))
        return result
    value = host.registry.get_value(key, name)
    if value is None:
        result["exists"] = False
    else:
        result.update(exists=True, **stat_value(value.type, value.data))
    return result
