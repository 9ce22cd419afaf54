"""A case-insensitive, typed Windows registry (exchange-facts §2.3, §6.5 name the keys the product reads).

Key paths are accepted in every spelling PowerShell and reg.exe use (`HKLM:\\...`, `HKLM\\...`,
`HKEY_LOCAL_MACHINE\\...`, `Registry::HKEY_LOCAL_MACHINE\\...`) and stored with the `HKLM\\...` form.
The default value has the name "" (PowerShell `(default)`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

REG_TYPES = ("REG_SZ", "REG_EXPAND_SZ", "REG_MULTI_SZ", "REG_DWORD", "REG_QWORD", "REG_BINARY", "REG_NONE")

_HIVES = {
    "hkey_local_machine": "HKLM", "hklm": "HKLM",
    "hkey_current_user": "HKCU", "hkcu": "HKCU",
    "hkey_users": "HKU", "hku": "HKU",
    "hkey_classes_root": "HKCR", "hkcr": "HKCR",
    "hkey_current_config": "HKCC", "hkcc": "HKCC",
}
HIVE_LONG = {"HKLM": "HKEY_LOCAL_MACHINE", "HKCU": "HKEY_CURRENT_USER", "HKU": "HKEY_USERS",
             "HKCR": "HKEY_CLASSES_ROOT", "HKCC": "HKEY_CURRENT_CONFIG"}


class RegistryError(ValueError):
    pass


@dataclass
class RegValue:
    name: str
    type: str
    data: Any


def normalize_key(path: str) -> str:
    """Canonical `HKLM\\Sub\\Key` form (case preserved below the hive)."""
    p = path.strip().replace("/", "\\")
    if p.lower().startswith("registry::"):
        p = p[len("registry::"):]
    if p.lower().startswith("microsoft.powershell.core\\registry::"):
        p = p.split("::", 1)[1]
    hive, rest = p.partition("\\")[::2]
    hive = hive.rstrip(":")
    short = _HIVES.get(hive.lower())
    if short is None:
        raise RegistryError(f"Unknown registry hive in path: {path}")
    parts = [x for x in rest.split("\\") if x]
    return "\\".join([short, *parts])


def _check(type_: str, data: Any) -> Any:
    if type_ not in REG_TYPES:
        raise RegistryError(f"Unknown registry value type {type_}")
    if type_ in ("REG_DWORD", "REG_QWORD"):
        value = int(data)
        limit = 2**32 if type_ == "REG_DWORD" else 2**64
        if not 0 <= value < limit:
            raise RegistryError(f"{type_} value out of range: {data}")
        return value
    if type_ == "REG_MULTI_SZ":
        return [str(x) for x in (data if isinstance(data, (list, tuple)) else [data])]
    if type_ in ("REG_BINARY", "REG_NONE"):
        return bytes(data) if data is not None else b""
    return "" if data is None else str(data)


class Registry:
    """Keys map to {lower value name: RegValue}; every ancestor of a key exists."""

    def __init__(self, lock: threading.RLock | None = None) -> None:
        self._lock = lock or threading.RLock()
        self._keys: dict[str, tuple[str, dict[str, RegValue]]] = {}
        for hive in HIVE_LONG:
            self._keys[hive.lower()] = (hive, {})

    # --- keys -------------------------------------------------------------------------
    def key_exists(self, path: str) -> bool:
        with self._lock:
            return normalize_key(path).lower() in self._keys

    def create_key(self, path: str) -> bool:
        """Create the key and its ancestors; return True if anything was created."""
        norm = normalize_key(path)
        parts = norm.split("\\")
        created = False
        with self._lock:
            for i in range(1, len(parts) + 1):
                sub = "\\".join(parts[:i])
                if sub.lower() not in self._keys:
                    self._keys[sub.lower()] = (sub, {})
                    created = True
        return created

    def delete_key(self, path: str, recurse: bool = True) -> bool:
        norm = normalize_key(path).lower()
        with self._lock:
            if norm not in self._keys:
                return False
            if "\\" not in norm:
                raise RegistryError("Cannot delete a registry hive")
            children = [k for k in self._keys if k.startswith(norm + "\\")]
            if children and not recurse:
                raise RegistryError(f"Key {path} has subkeys")
            for k in children + [norm]:
                del self._keys[k]
            return True

    def subkeys(self, path: str) -> list[str]:
        """Names (not paths) of the direct subkeys, sorted case-insensitively."""
        norm = normalize_key(path).lower()
        with self._lock:
            names = [self._keys[k][0].rsplit("\\", 1)[1] for k in self._keys
                     if k.startswith(norm + "\\") and "\\" not in k[len(norm) + 1:]]
        return sorted(names, key=str.lower)

    def key_name(self, path: str) -> str | None:
        """The stored (case-preserved) path of a key."""
        with self._lock:
            entry = self._keys.get(normalize_key(path).lower())
            return entry[0] if entry else None

    # --- values -----------------------------------------------------------------------
    def get_value(self, path: str, name: str) -> RegValue | None:
        with self._lock:
            entry = self._keys.get(normalize_key(path).lower())
            if entry is None:
                return None
            return entry[1].get(name.lower())

    def get(self, path: str, name: str, default: Any = None) -> Any:
        value = self.get_value(path, name)
        return default if value is None else value.data

    def set_value(self, path: str, name: str, data: Any, type_: str = "REG_SZ") -> bool:
        """Set a value (creating the key); return True if it changed."""
        data = _check(type_, data)
        with self._lock:
            self.create_key(path)
            values = self._keys[normalize_key(path).lower()][1]
            old = values.get(name.lower())
            if old is not None and old.type == type_ and old.data == data:
                return False
            values[name.lower()] = RegValue(old.name if old else name, type_, data)
            return True

    def delete_value(self, path: str, name: str) -> bool:
        with self._lock:
            entry = self._keys.get(normalize_key(path).lower())
            if entry is None or name.lower() not in entry[1]:
                return False
            del entry[1][name.lower()]
            return True

    def values(self, path: str) -> dict[str, RegValue]:
        """Values of a key by their stored name ({} when the key does not exist)."""
        with self._lock:
            entry = self._keys.get(normalize_key(path).lower())
            return {} if entry is None else {v.name: v for v in entry[1].values()}
