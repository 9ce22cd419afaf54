"""Capture the option specs of the emulated modules from `ansible-doc --json` into specs.json.

Run from tests/:  ../.venv/bin/python -m simulator.windows.capture_specs   (or --check to compare only)

specs.json holds, per module FQCN: the documented options (name, type, choices, required, default, aliases,
elements, suboptions, no_log), whether the PowerShell module uses the legacy `Parse-Args` argument parsing
(Ansible.ModuleUtils.Legacy) or Ansible.Basic, and whether it declares check-mode support. Options the action
plugins pass but the docs omit (win_copy's `_copy_mode`...) are added from INTERNAL_OPTIONS, read from the .ps1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

SPECS_PATH = Path(__file__).with_name("specs.json")

# Modules emulated in modules/ and ../collection_modules/ (async_status's doc is a .yml sidecar; ansible-doc reads it).
MODULES: tuple[str, ...] = (
    "ansible.windows.async_status", "ansible.windows.setup", "ansible.windows.slurp", "ansible.windows.win_command",
    "ansible.windows.win_copy", "ansible.windows.win_feature", "ansible.windows.win_file", "ansible.windows.win_get_url",
    "ansible.windows.win_package", "ansible.windows.win_ping", "ansible.windows.win_reg_stat",
    "ansible.windows.win_regedit", "ansible.windows.win_service", "ansible.windows.win_service_info",
    "ansible.windows.win_shell", "ansible.windows.win_stat", "ansible.windows.win_whoami",
    "community.windows.win_disk_image", "community.windows.win_file_version", "community.windows.win_scheduled_task",
    "community.windows.win_scheduled_task_stat",
    # The collection's own Windows modules, emulated in simulator/collection_modules/.
    "rpi.exchange.win_exchange_probe",
    "rpi.exchange.win_exchange_health",
    "rpi.exchange.win_exchange_run_lock",
    "rpi.exchange.win_exchange_setup_status",
    "rpi.exchange.win_exchange_ad_readiness",
    "rpi.exchange.win_exchange_product_key",
)

# Undocumented options the .ps1 reads (set by action plugins or ansible-core), per module.
INTERNAL_OPTIONS: dict[str, dict[str, dict[str, Any]]] = {
    # plugins/modules/win_copy.ps1: the action plugin's protocol
    "ansible.windows.win_copy": {
        "_copy_mode": {"type": "str", "default": "single", "choices": ["explode", "query", "remote", "single"]},
        "_original_basename": {"type": "str"},
        "files": {"type": "list"},
        "directories": {"type": "list"},
        # Sent by the action in query mode (plugins/action/win_copy.py); the legacy .ps1 ignores it.
        "symlinks": {"type": "list"},
    },
    # plugins/modules/async_status.ps1: set by ansible-core's async_status action
    "ansible.windows.async_status": {"_async_dir": {"type": "path", "required": True}},
    # win_command/win_shell: the action passes the free-form command as _raw_params
    "ansible.windows.win_command": {"_raw_params": {"type": "str"}},
    "ansible.windows.win_shell": {"_raw_params": {"type": "str", "required": True}},
}

_KEEP = ("type", "choices", "required", "default", "aliases", "elements", "no_log")


def _option(doc: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": doc.get("type", "str")}
    for key in _KEEP[1:]:
        # A default of 0, false or [] is a real default (the module sees it), unlike an absent one.
        keep = doc.get(key) is not None if key == "default" else doc.get(key) not in (None, False, [])
        if key in doc and keep:
            out[key] = doc[key]
    if doc.get("suboptions"):
        out["options"] = {k: _option(v) for k, v in sorted(doc["suboptions"].items())}
    return out


_PARAM_RE = re.compile(r'Get-AnsibleParam\s+(?:-obj\s+)?\$\w+\s+(?:-name\s+)?"(\w+)"([^\n]*)')
_SET_RE = re.compile(r'-validateset\s+((?:"[^"]*"\s*,?\s*)+)', re.I)


def _ps1_text(doc: dict[str, Any]) -> str:
    ps1 = Path(re.sub(r"\.(py|yml)$", ".ps1", doc.get("filename", "")))
    return ps1.read_text(encoding="utf-8") if ps1.is_file() else ""


def _basic_option_blocks(text: str) -> dict[str, str]:
    """Option name -> the text of its `name = @{ ... }` block in an Ansible.Basic $spec (brace matched)."""
    out: dict[str, str] = {}
    for m in re.finditer(r"^\s+(\w+)\s*=\s*@\{", text, re.M):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.setdefault(m.group(1), text[m.end():i - 1])
    return out


def _basic_traits(text: str, options: dict[str, Any]) -> None:
    """Ansible.Basic lists choices in the $spec order in its messages; no_log comes from the .ps1 too."""
    blocks = _basic_option_blocks(text)
    for name, opt in options.items():
        block = blocks.get(name)
        if block is None:
            continue
        if re.search(r"no_log\s*=\s*\$true", block, re.I):
            opt["no_log"] = True
        m = re.search(r"choices\s*=\s*(?:@\()?((?:\s*,?\s*'[^']*'|\s*,?\s*\"[^\"]*\")+)", block)
        if m and "choices" in opt:
            ordered = re.findall(r"['\"]([^'\"]*)['\"]", m.group(1))
            if sorted(map(str, ordered)) == sorted(map(str, opt["choices"])):
                opt["choices"] = ordered


def _ps1_traits(text: str) -> dict[str, bool]:
    legacy = "Parse-Args" in text
    if legacy:
        m = re.search(r"Parse-Args\b[^\n]*-supports_check_mode\s+\$(true|false)", text, re.I)
    else:
        m = re.search(r"supports_check_mode\s*=\s*\$(true|false)", text, re.I)
    return {"legacy": legacy, "supports_check_mode": bool(m and m.group(1).lower() == "true")}


def _legacy_params(text: str) -> dict[str, dict[str, Any]]:
    """What each Get-AnsibleParam call enforces: -validateset order (its error message lists them in that
    order) and -failifempty (required; a parenthesised condition is not)."""
    out: dict[str, dict[str, Any]] = {}
    for m in _PARAM_RE.finditer(text):
        info: dict[str, Any] = {}
        vs = _SET_RE.search(m.group(2))
        if vs:
            info["validateset"] = re.findall(r'"([^"]*)"', vs.group(1))
        fie = re.search(r"-failifempty\s+(\S+)", m.group(2), re.I)
        info["required"] = bool(fie and fie.group(1).lower() != "$false" and not fie.group(1).startswith("("))
        out[m.group(1)] = info
    return out


def _ansible_doc() -> str | None:
    cand = Path(sys.executable).with_name("ansible-doc")
    return str(cand) if cand.exists() else shutil.which("ansible-doc")


def capture() -> dict[str, Any]:
    exe = _ansible_doc()
    if exe is None:
        raise FileNotFoundError("ansible-doc not found")
    env = dict(os.environ)
    collections = Path(sys.prefix) / "collections"
    if collections.is_dir():
        env["ANSIBLE_COLLECTIONS_PATH"] = str(collections)
    proc = subprocess.run([exe, "--json", "-t", "module", *MODULES], capture_output=True, text=True, env=env,
                          check=True, timeout=120)
    raw = json.loads(proc.stdout)
    out: dict[str, Any] = {}
    for name in MODULES:
        if name not in raw:
            raise KeyError(f"ansible-doc returned nothing for {name}")
        doc = raw[name]["doc"]
        options = {k: _option(v) for k, v in sorted((doc.get("options") or {}).items())}
        for k, v in INTERNAL_OPTIONS.get(name, {}).items():
            options[k] = {**v, "internal": True}
        text = _ps1_text(doc)
        traits = _ps1_traits(text)
        options.pop("free_form", None)  # documentation-only pseudo option: the action sends _raw_params
        for k, opt in options.items():
            if "password" in k:  # docs carry no no_log; Ansible requires it for password options
                opt["no_log"] = True
        if not traits["legacy"]:
            _basic_traits(text, options)
        if traits["legacy"]:
            for k, info in _legacy_params(text).items():
                if k in options:
                    options[k].pop("required", None)
                    if info["required"]:
                        options[k]["required"] = True
                    if "validateset" in info:
                        options[k]["validateset"] = info["validateset"]
        out[name] = {"collection": doc.get("collection", ""), **traits, "options": options}
    return out


def render(specs: dict[str, Any]) -> str:
    return json.dumps(specs, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report whether specs.json is up to date")
    args = parser.parse_args(argv)
    text = render(capture())
    if args.check:
        same = SPECS_PATH.is_file() and SPECS_PATH.read_text(encoding="utf-8") == text
        print("specs.json is up to date" if same else "specs.json is out of date")
        return 0 if same else 1
    SPECS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SPECS_PATH} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
