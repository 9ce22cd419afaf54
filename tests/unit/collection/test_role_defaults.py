"""Each role's defaults are the ones its meta/argument_specs.yml advertises (issue 15, item 4).

ansible-core validates a role's arguments against its spec but never applies a spec's `default`: a default only
advertised would do nothing at run time. Both directions: every advertised default is in defaults/main.yml with the
same value, and every variable in defaults/main.yml is declared (with that default).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROLES = Path(__file__).resolve().parents[3] / "roles"
ROLE_NAMES = sorted(path.parent.parent.name for path in ROLES.glob("*/meta/argument_specs.yml"))


def _load(path: Path) -> dict:
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.is_file() else {}


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_the_advertised_defaults_are_the_roles_defaults(role):
    options = _load(ROLES / role / "meta" / "argument_specs.yml")["argument_specs"]["main"].get("options") or {}
    defaults = _load(ROLES / role / "defaults" / "main.yml")
    advertised = {name: spec["default"] for name, spec in options.items() if "default" in spec}
    assert {name: defaults.get(name, "<absent>") for name in advertised} == advertised
    undeclared = sorted(set(defaults) - set(options))
    assert not undeclared, f"{role}: defaults/main.yml sets variables its argument specs do not declare: {undeclared}"
    unadvertised = sorted(name for name in defaults if "default" not in options[name])
    assert not unadvertised, f"{role}: argument specs declare these without their default: {unadvertised}"


def test_every_role_has_its_spec():
    assert len(ROLE_NAMES) == 12
