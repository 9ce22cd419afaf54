"""The run's language and Exchange role reach every module once, through module_defaults (issue 15, item 4)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
GROUPS = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))["action_groups"]


def _options(module: str) -> dict:
    tree = ast.parse((ROOT / "plugins" / "modules" / f"{module}.py").read_text(encoding="utf-8"))
    doc = next(node.value.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION")
    parsed = yaml.safe_load(doc)
    options = dict(parsed.get("options") or {})
    fragments = " ".join(parsed.get("extends_documentation_fragment") or [])
    if "windows_action" in fragments or "controller_decision" in fragments:
        options.setdefault("language", {})
    return options


def _modules() -> list[str]:
    return sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py"))


@pytest.mark.parametrize("group, option", [("speaks", "language"), ("for_role", "role")])
def test_every_module_with_the_option_is_in_its_group(group, option):
    assert sorted(GROUPS[group]) == [module for module in _modules() if option in _options(module)]


@pytest.mark.parametrize("playbook", ["install_exchange.yml", "review_installation.yml"])
def test_the_playbooks_give_the_groups_their_values(playbook):
    play = yaml.safe_load((ROOT / "playbooks" / playbook).read_text(encoding="utf-8"))[0]
    defaults = play["module_defaults"]
    assert "rpi_exchange_report_language" in defaults["group/rpi.exchange.speaks"]["language"]
    assert "rpi_exchange_role" in defaults["group/rpi.exchange.for_role"]["role"]


def test_no_role_task_repeats_what_module_defaults_give():
    repeated = re.compile(r"^\s+(language: \"\{\{ rpi_exchange_report_language|role: \"\{\{ rpi_exchange_role)", re.M)
    found = [str(path.relative_to(ROOT)) for path in ROOT.glob("roles/*/tasks/*.yml") if repeated.search(path.read_text(encoding="utf-8"))]
    assert not found
