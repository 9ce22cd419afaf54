"""Conversions between win_regedit/win_reg_stat type names and the model's REG_* types."""

from __future__ import annotations

from typing import Any

MODULE_TO_REG = {"none": "REG_NONE", "binary": "REG_BINARY", "dword": "REG_DWORD", "expandstring": "REG_EXPAND_SZ",
                 "multistring": "REG_MULTI_SZ", "string": "REG_SZ", "qword": "REG_QWORD"}


def ps_path_ok(path: str) -> bool:
    """win_regedit/win_reg_stat accept only PSDrive paths: ^HK(CC|CR|CU|LM|U):\\"""
    import re
    return bool(re.match(r"^HK(CC|CR|CU|LM|U):\\", path, re.I))


def convert_data(reg_type: str, data: Any) -> Any:
    """win_regedit's data conversion (plugins/modules/win_regedit.ps1)."""
    if reg_type in ("REG_BINARY", "REG_NONE"):
        if data is None:
            return b""
        if isinstance(data, str):
            text = data.split(":", 1)[1] if data.lower().startswith("hex") else data
            return bytes(int(x, 16) for x in text.replace(" ", "").split(",") if x)
        if isinstance(data, int):
            if data > 255:
                raise ValueError(f"cannot convert binary data '{data}' to byte array, please specify this value as a "
                                 "yaml byte array or a comma separated hex value string")
            return bytes([data])
        return bytes(int(x) for x in data)
    if reg_type in ("REG_DWORD", "REG_QWORD"):
        value = 0 if data is None else int(data, 0) if isinstance(data, str) else data
        if isinstance(value, float):
            if value % 1:
                raise ValueError(f"data '{data}' cannot be a decimal or float value with a remainder when type is dword "
                                 "or qword")
            value = int(value)
        if reg_type == "REG_DWORD" and value > 0xFFFFFFFF:
            raise ValueError("data cannot be larger than 0xffffffff when type is dword")
        if value > 0xFFFFFFFFFFFFFFFF:
            raise ValueError("data cannot be larger than 0xffffffffffffffff when type is qword")
        return value
    if reg_type == "REG_MULTI_SZ":
        if data is None:
            return []
        return [str(x) for x in data] if isinstance(data, list) else [str(data)]
    return "" if data is None else str(data)


def stat_value(reg_type: str, data: Any) -> dict:
    """win_reg_stat's {type, value, raw_value}."""
    if reg_type in ("REG_BINARY", "REG_NONE"):
        return {"type": reg_type, "value": list(data), "raw_value": [f"0x{b:02x}" for b in data]}
    return {"type": reg_type, "value": data, "raw_value": data}
