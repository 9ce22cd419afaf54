"""The option spec of each PowerShell module (.ps1) matches its documentation (.py).

ansible-test's validate-modules does this with pwsh, which our machines cannot install (no
Microsoft package repository): tests/sanity/ignore-*.txt skips validate-modules for the .ps1
files and this test takes its place. Our modules declare one option per line in `$spec`, as
`name = @{ type = 'str'; default = 'x' }`; the test enforces that layout too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

MODULES = Path(__file__).resolve().parents[3] / "plugins" / "modules"
PS1_FILES = sorted(MODULES.glob("*.ps1"))
OPTION_LINE = re.compile(r"^\s*(?P<name>\w+) = @\{ (?P<body>.*) \}\s*$")
PAIR = re.compile(r"(?P<key>\w+) = (?P<value>@\([^)]*\)|'[^']*'|\$\w+|-?\d+)")


def _ps_value(text: str):
    if text.startswith("@("):
        return [item.strip().strip("'") for item in text[2:-1].split(",") if item.strip()]
    if text.startswith("'"):
        return text.strip("'")
    if text in ("$true", "$false"):
        return text == "$true"
    return int(text)


def ps1_options(path: Path) -> dict[str, dict]:
    text = path.read_text(encoding="utf-8")
    block = re.search(r"options = @\{\n(?P<body>.*?)\n\s*\}\n", text, re.S)
    assert block, f"{path.name}: no `options = @{{ ... }}` block in $spec"
    options = {}
    for line in block.group("body").splitlines():
        if not line.strip():
            continue
        match = OPTION_LINE.match(line)
        assert match, f"{path.name}: option not on one line in the expected layout: {line.strip()!r}"
        options[match.group("name")] = {pair.group("key"): _ps_value(pair.group("value")) for pair in PAIR.finditer(match.group("body"))}
    return options


def documented_options(path: Path) -> dict[str, dict]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "DOCUMENTATION" for target in node.targets):
            return yaml.safe_load(node.value.value).get("options") or {}
    raise AssertionError(f"{path.name}: no DOCUMENTATION")


def test_there_are_powershell_modules():
    assert PS1_FILES, "no .ps1 module found: the test would check nothing"


@pytest.mark.parametrize("ps1", PS1_FILES, ids=lambda path: path.stem)
def test_spec_matches_documentation(ps1: Path):
    spec = ps1_options(ps1)
    docs = documented_options(ps1.with_suffix(".py"))
    assert sorted(spec) == sorted(docs), "options in $spec and DOCUMENTATION differ"
    for name, option in spec.items():
        doc = docs[name]
        assert option.get("type", "str") == doc.get("type", "str"), f"{name}: type"
        assert option.get("elements") == doc.get("elements"), f"{name}: elements"
        assert option.get("required", False) == doc.get("required", False), f"{name}: required"
        assert option.get("choices") == doc.get("choices"), f"{name}: choices"
        assert bool(option.get("no_log", False)) == bool(doc.get("no_log", False)) or "password" not in name, f"{name}: no_log"
        if "default" in option or "default" in doc:
            expected = doc.get("default")
            actual = option.get("default")
            assert actual == expected, f"{name}: default {actual!r} in .ps1, {expected!r} documented"


def test_the_layout_check_can_fail(tmp_path: Path):
    bad = tmp_path / "bad.ps1"
    bad.write_text("$spec = @{\n    options = @{\n        name = @{\n            type = 'str'\n        }\n    }\n}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="expected layout"):
        ps1_options(bad)


@pytest.mark.parametrize("ps1", PS1_FILES, ids=lambda path: path.stem)
def test_each_powershell_module_is_covered_here_instead_of_validate_modules(ps1: Path):
    ignores = (MODULES.parents[1] / "tests" / "sanity" / "ignore-2.19.txt").read_text(encoding="utf-8")
    assert f"plugins/modules/{ps1.name} validate-modules!skip" in ignores, (
        f"add 'plugins/modules/{ps1.name} validate-modules!skip # <why>' to tests/sanity/ignore-2.19.txt "
        "(validate-modules needs pwsh, which we cannot install; this test checks the spec instead)")
