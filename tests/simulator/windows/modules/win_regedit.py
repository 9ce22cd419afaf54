"""ansible.windows.win_regedit (plugins/modules/win_regedit.ps1): keys and values, check and diff mode."""

from __future__ import annotations

from ..registry import normalize_key
from ..state import WindowsHost
from . import register
from ._common import ModuleCall
from ._registry_types import MODULE_TO_REG, convert_data, ps_path_ok


@register("ansible.windows.win_regedit")
def win_regedit(host: WindowsHost, call: ModuleCall) -> dict:
    p = call.params
    path, name, data, type_ = p["path"], p.get("name"), p.get("data"), p["type"]
    check, reg = call.check_mode, host.registry
    result: dict = {"changed": False, "data_changed": False, "data_type_changed": False}
    if name is None and type_ != "string":
        call.warnings.append("the data type when name is not specified can only be 'string', the type has automatically "
                             "been converted")
        type_ = "string"
    if not ps_path_ok(path):
        call.fail(f"path: {path} is not a valid powershell path, see module documentation for examples.", **result)
    if p.get("hive"):
        call.fail("The simulated Windows server does not model loading registry hive files (hive option)", **result)
    if name == "":
        name = None
    reg_type = MODULE_TO_REG[type_]
    try:
        data = convert_data(reg_type, data) if (data is not None or name is not None) else None
    except ValueError as err:
        call.fail(str(err), **result)
    key = normalize_key(path)
    if p["state"] == "absent":
        if not reg.key_exists(key):
            return result
        if p["delete_key"] and not name:
            if not check:
                reg.delete_key(key)
            result["changed"] = True
        elif reg.get_value(key, name or "") is not None:
            if not check:
                reg.delete_value(key, name or "")
            result["changed"] = True
        return result
    if not reg.key_exists(key):
        if not check:
            reg.create_key(key)
        result["changed"] = True
        if check or data is None:
            return result
    if data is None:
        return result
    current = reg.get_value(key, name or "")
    if current is not None:
        if current.type != reg_type:
            result["data_type_changed"] = True
            result["data_changed"] = current.data != data
            changed = True
        else:
            changed = current.data != data
            result["data_changed"] = changed
        if changed:
            if not check:
                reg.set_value(key, name or "", data, reg_type)
            result["changed"] = True
    else:
        if not check:
            reg.set_value(key, name or "", data, reg_type)
        result["changed"] = True
    return result
