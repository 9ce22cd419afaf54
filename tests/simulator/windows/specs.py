"""Validate module arguments the way the real PowerShell modules do, against specs.json.

Two parsers exist on Windows and the emulated modules use whichever their .ps1 uses:
- Ansible.Basic (`[Ansible.Basic.AnsibleModule]::Create`): the order and messages below follow
  ansible-core's module_utils/csharp/Ansible.Basic.cs (CheckArguments and friends).
- Ansible.ModuleUtils.Legacy (`Parse-Args` + `Get-AnsibleParam`): no unknown-option check on real Windows;
  `Get-AnsibleParam` messages for missing/invalid values. The simulator still rejects unknown options of
  legacy modules by default (STRICT_LEGACY), with Ansible.Basic's message, because an option the module
  silently ignores is a bug in the playbook; set STRICT_LEGACY = False for the real, permissive behaviour.

The rules that live only in the .ps1 (mutually_exclusive, required_if...) are in RULES.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

SPECS_PATH = Path(__file__).with_name("specs.json")
STRICT_LEGACY = True

BOOLEANS_TRUE = ["y", "yes", "on", "1", "true", "t", "1.0"]
BOOLEANS_FALSE = ["n", "no", "off", "0", "false", "f", "0.0"]

# Module-level rules read from each .ps1's $spec (not visible in ansible-doc).
RULES: dict[str, dict[str, Any]] = {
    "ansible.windows.win_command": {"required_one_of": [["_raw_params", "argv", "cmd"]],
                                    "mutually_exclusive": [["_raw_params", "argv", "cmd"]]},
    "ansible.windows.win_get_url": {"mutually_exclusive": [["checksum", "checksum_url"]]},
    "ansible.windows.win_package": {"required_by": {"creates_version": ["creates_path"]},
                                    "required_if": [["state", "present", ["path"]],
                                                    ["state", "absent", ["path", "product_id"], True]]},
    "ansible.windows.win_service": {"required_by": {"password": ["username"]}},
}


class ArgumentError(Exception):
    """Validation failed; `msg` is what the module would return."""

    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


class CheckModeUnsupported(Exception):
    def __init__(self, msg: str) -> None:
        super().__init__(msg)
        self.msg = msg


@dataclass
class ModuleSpec:
    name: str
    legacy: bool
    supports_check_mode: bool
    options: dict[str, dict[str, Any]]


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    return json.loads(SPECS_PATH.read_text(encoding="utf-8"))


def get_spec(fqcn: str, extra: dict[str, Any] | None = None) -> ModuleSpec | None:
    raw = (extra or {}).get(fqcn) or _load().get(fqcn)
    if raw is None:
        return None
    return ModuleSpec(fqcn, raw["legacy"], raw["supports_check_mode"], raw["options"])


def _net_type(value: Any) -> str:
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if -2**31 <= value < 2**31 else "System.Int64"
    if isinstance(value, float):
        return "System.Double"
    if isinstance(value, str):
        return "System.String"
    if isinstance(value, list):
        return "System.Object[]"
    if isinstance(value, dict):
        return "System.Collections.Hashtable"
    return type(value).__name__


def _net_str(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    s = _net_str(value).lower().strip()
    if s in BOOLEANS_TRUE:
        return True
    if s in BOOLEANS_FALSE:
        return False
    raise ValueError(f"The value '{s}' is not a valid boolean. Valid booleans include: "
                     f"{', '.join(BOOLEANS_TRUE + BOOLEANS_FALSE)}")


def _parse_int(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(_net_str(value).strip())
    except ValueError:
        raise ValueError("Input string was not in a correct format.") from None


def _parse_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [s.strip() for s in value.split(",")]
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    raise ValueError(f"{_net_type(value)} cannot be converted to a list")


def _parse_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}"):
            return json.loads(value)
        if "=" in value:
            return dict((p.split("=", 1) + [None])[:2] for p in value.replace(",", " ").split() if p)  # type: ignore
        raise ValueError("string cannot be converted to a dict, must either be a JSON string or in the key=value form")
    raise ValueError(f"{_net_type(value)} cannot be converted to a dict")


def _parse_float(value: Any) -> float:
    try:
        return float(_net_str(value))
    except ValueError:
        raise ValueError("Input string was not in a correct format.") from None


def _convert(type_: str, value: Any) -> Any:
    if type_ in ("str", "path", "sid"):
        return value if isinstance(value, str) else _net_str(value)
    if type_ == "bool":
        return parse_bool(value)
    if type_ == "int":
        return _parse_int(value)
    if type_ == "float":
        return _parse_float(value)
    if type_ == "list":
        return _parse_list(value)
    if type_ == "dict":
        return _parse_dict(value)
    if type_ == "json":
        return value if isinstance(value, str) else json.dumps(value)
    return value  # raw and anything else


class _Validator:
    def __init__(self, module_name: str, rules: dict[str, Any]) -> None:
        self.module_name = module_name
        self.rules = rules
        self.context: list[str] = []
        self.no_log_values: set[str] = set()

    def ctx(self, msg: str, prefix: str = " ") -> str:
        return f"{msg}{prefix}found in {' -> '.join(self.context)}" if self.context else msg

    def check(self, options: dict[str, Any], params: dict[str, Any], rules: dict[str, Any]) -> dict[str, Any]:
        params = dict(params)
        aliases: dict[str, str] = {}
        for k, v in options.items():
            for alias in v.get("aliases", []):
                aliases[alias] = k
                if alias in params:
                    params[k] = params[alias]
        for k, v in options.items():
            if v.get("no_log") and params.get(k) not in (None, ""):
                self.no_log_values.add(str(params[k]))
        legal = list(options) + list(aliases)
        unsupported = [p for p in params if p.lower() not in {x.lower() for x in legal}]
        if unsupported:
            msg = f"Unsupported parameters for ({self.module_name}) module: {', '.join(unsupported)}"
            raise ArgumentError(f"{self.ctx(msg)}. Supported parameters include: {', '.join(legal)}")
        for p in list(params):  # wrong case is silently fixed (Ansible.Basic)
            if p not in legal:
                correct = next(x for x in legal if x.lower() == p.lower())
                params[correct] = params.pop(p)
        for group in rules.get("mutually_exclusive", []):
            if sum(1 for g in group if g in params) > 1:
                raise ArgumentError(self.ctx(f"parameters are mutually exclusive: {', '.join(group)}"))
        missing = []
        for k, v in options.items():
            if v.get("default") is not None and k not in params:
                params[k] = v["default"]
            if v.get("required") and k not in params:
                missing.append(k)
        if missing:
            raise ArgumentError(self.ctx(f"missing required arguments: {', '.join(missing)}"))
        for k, v in options.items():
            value = params.get(k)
            if value is None:
                continue
            type_ = v.get("type", "str")
            try:
                value = _convert(type_, value)
            except (ValueError, TypeError) as err:
                raise ArgumentError(self.ctx(f"argument for {k} is of type {_net_type(params[k])} and we were unable to "
                                             f"convert to {type_}: {err}")) from None
            params[k] = value
            choices = [_net_str(c) for c in v.get("choices", [])]
            if choices:
                values = [_net_str(x) for x in value] if type_ == "list" else [_net_str(value)]
                bad = [x for x in values if x.lower() not in {c.lower() for c in choices}]
                if bad:
                    which = "one or more of" if type_ == "list" else "one of"
                    raise ArgumentError(self.ctx(f"value of {k} must be {which}: {', '.join(choices)}. "
                                                 f"Got no match for: {', '.join(bad)}"))
        self._relations(params, rules)
        for k, v in options.items():
            params.setdefault(k, None)
            params[k] = self._sub(k, v, params[k])
        return params

    def _relations(self, params: dict[str, Any], rules: dict[str, Any]) -> None:
        for group in rules.get("required_together", []):
            found = [g in params for g in group]
            if any(found) and not all(found):
                raise ArgumentError(self.ctx(f"parameters are required together: {', '.join(group)}"))
        for group in rules.get("required_one_of", []):
            if not any(g in params for g in group):
                raise ArgumentError(self.ctx(f"one of the following is required: {', '.join(group)}"))
        for entry in rules.get("required_if", []):
            key, val, reqs = entry[0], entry[1], entry[2]
            any_of = len(entry) == 4 and entry[3]
            if params.get(key) is None or _net_str(params[key]) != _net_str(val):
                continue
            miss = [r for r in reqs if r not in params]
            if len(miss) >= (len(reqs) if any_of else 1):
                term = "any" if any_of else "all"
                raise ArgumentError(self.ctx(f"{key} is {val} but {term} of the following are missing: {', '.join(miss)}"))
        for key, reqs in rules.get("required_by", {}).items():
            if key in params:
                miss = [r for r in _parse_list(reqs) if r not in params]
                if miss:
                    raise ArgumentError(self.ctx(f"missing parameter(s) required by '{key}': {', '.join(miss)}"))

    def _sub(self, key: str, spec: dict[str, Any], value: Any) -> Any:
        type_, elements = spec.get("type", "str"), spec.get("elements")
        sub_options = spec.get("options")
        if type_ == "list" and elements and value is not None:
            out = []
            for element in value:
                if elements == "dict":
                    out.append(self._sub_spec(key, sub_options, element))
                else:
                    try:
                        out.append(_convert(elements, element))
                    except (ValueError, TypeError) as err:
                        raise ArgumentError(self.ctx(f"argument for list entry {key} is of type {_net_type(element)} "
                                                     f"and we were unable to convert to {elements}: {err}")) from None
            return out
        if type_ == "dict":
            return self._sub_spec(key, sub_options, value)
        return value

    def _sub_spec(self, key: str, options: dict[str, Any] | None, value: Any) -> Any:
        if not options or value is None:
            return value
        self.context.append(key)
        try:
            return self.check(options, _parse_dict(value), {})
        finally:
            self.context.pop()


def validate(fqcn: str, args: dict[str, Any], *, module_name: str | None = None, check_mode: bool = False,
             extra_specs: dict[str, Any] | None = None) -> tuple[dict[str, Any], set[str]]:
    """Return (params with defaults, no_log values) or raise ArgumentError / CheckModeUnsupported."""
    spec = get_spec(fqcn, extra_specs)
    if spec is None:
        return dict(args), set()
    shown = module_name or fqcn
    if spec.legacy:
        return _validate_legacy(spec, args, shown, check_mode)
    v = _Validator(shown, RULES.get(fqcn, {}))
    legal_lower = {k.lower() for k in spec.options}
    for opt in spec.options.values():
        legal_lower |= {a.lower() for a in opt.get("aliases", [])}
    if check_mode and not spec.supports_check_mode and all(k.lower() in legal_lower for k in args):
        raise CheckModeUnsupported(f"remote module ({shown}) does not support check mode")
    params = v.check(spec.options, args, RULES.get(fqcn, {}))
    for alias in [a for o in spec.options.values() for a in o.get("aliases", [])]:
        params.pop(alias, None)
    return params, v.no_log_values


def _validate_legacy(spec: ModuleSpec, args: dict[str, Any], shown: str,
                     check_mode: bool) -> tuple[dict[str, Any], set[str]]:
    """Parse-Args + Get-AnsibleParam: check mode first, then each parameter as the module reads it."""
    if check_mode and not spec.supports_check_mode:
        raise CheckModeUnsupported("remote module does not support check mode")
    params = dict(args)
    aliases = {a: k for k, o in spec.options.items() for a in o.get("aliases", [])}
    if STRICT_LEGACY:
        legal = list(spec.options) + list(aliases)
        unsupported = [p for p in params if p not in legal]
        if unsupported:
            raise ArgumentError(f"Unsupported parameters for ({shown}) module: {', '.join(unsupported)}. "
                                f"Supported parameters include: {', '.join(legal)}")
    for alias, k in aliases.items():
        if alias in params and k not in params:
            params[k] = params.pop(alias)
    no_log: set[str] = set()
    for k, o in spec.options.items():
        value = params.get(k)
        if value is None:
            if o.get("required"):
                raise ArgumentError(f"Get-AnsibleParam: Missing required argument: {k}")
            params[k] = o.get("default")
            continue
        if o.get("no_log"):
            no_log.add(str(value))
        choices = [_net_str(c) for c in o.get("validateset", o.get("choices", []))]
        if choices and o.get("type") != "list" and _net_str(value).lower() not in {c.lower() for c in choices}:
            raise ArgumentError(f"Get-AnsibleParam: Argument {k} needs to be one of {','.join(choices)} but was "
                                f"{_net_str(value)}.")
        type_ = o.get("type", "str")
        if type_ == "bool":
            try:
                params[k] = parse_bool(value)
            except ValueError as err:
                raise ArgumentError(str(err)) from None
        elif type_ == "int":
            try:
                params[k] = _parse_int(value)
            except ValueError:
                params[k] = None  # `-as [int]` yields $null
        elif type_ == "list":
            try:
                params[k] = _parse_list(value)
            except ValueError:
                raise ArgumentError(f"Get-AnsibleParam: Parameter '{k}' is not a YAML list.") from None
        elif type_ in ("str", "path"):
            params[k] = value if isinstance(value, str) else _net_str(value)
    return params, no_log
