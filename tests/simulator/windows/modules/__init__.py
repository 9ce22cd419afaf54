"""Registry of the emulated modules: FQCN -> function(host, call) -> result dict.

Each module file registers itself with `@register("ansible.windows.win_x")`. Lookup also accepts the short
name (`win_x`) and the `ansible.legacy.` / `ansible.builtin.` spellings ansible-core may put in
`_ansible_module_name`. Other models (the Exchange model) add their own with `register_module()`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any, Callable

from ._common import ModuleCall, ModuleFailure, ModuleFn

REGISTRY: dict[str, ModuleFn] = {}
EXTRA_SPECS: dict[str, dict[str, Any]] = {}  # specs of modules registered at run time (not in specs.json)


def register(fqcn: str) -> Callable[[ModuleFn], ModuleFn]:
    def deco(fn: ModuleFn) -> ModuleFn:
        REGISTRY[fqcn] = fn
        return fn
    return deco


def register_module(fqcn: str, fn: ModuleFn, spec: dict[str, Any] | None = None) -> None:
    """Add a module at run time. `spec` (optional) has the specs.json shape: legacy, supports_check_mode, options."""
    REGISTRY[fqcn] = fn
    if spec is not None:
        EXTRA_SPECS[fqcn] = spec


def resolve(name: str) -> tuple[str, ModuleFn] | None:
    """FQCN and function for a module name as sent, or None when the simulator does not model it."""
    _load_all()
    if name in REGISTRY:
        return name, REGISTRY[name]
    short = name.rsplit(".", 1)[-1]
    if name.count(".") == 2 and not name.startswith(("ansible.legacy.", "ansible.builtin.")):
        return None  # another collection's module of the same short name is a different module
    for prefix in ("ansible.windows.", "community.windows."):
        if prefix + short in REGISTRY:
            return prefix + short, REGISTRY[prefix + short]
    return None


_loaded = False


def _load_all() -> None:
    global _loaded  # pylint: disable=global-statement
    if _loaded:
        return
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")
    _loaded = True


def names() -> list[str]:
    _load_all()
    return sorted(REGISTRY)


__all__ = ["REGISTRY", "ModuleCall", "ModuleFailure", "ModuleFn", "names", "register", "register_module", "resolve"]
