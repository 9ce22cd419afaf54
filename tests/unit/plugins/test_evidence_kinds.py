"""Every evidence kind the plugins emit is one the report knows (plugin_utils/report/vocabulary.py)."""

from __future__ import annotations

import re
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import licence as license_acceptance, options as role_options, plan as setup_plan
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import EVIDENCE_KINDS

PLUGINS = Path(__file__).resolve().parents[3] / "plugins"


def test_declared_kinds_are_known():
    for module in (license_acceptance, role_options, setup_plan):
        assert module.EVIDENCE_KIND in EVIDENCE_KINDS, module.__name__


def test_literal_kinds_in_plugins_are_known():
    found = set()
    for path in list((PLUGINS / "action").glob("*.py")) + list((PLUGINS / "plugin_utils").rglob("*.py")):
        found |= set(re.findall(r'"kind": "([a-z_]+)"', path.read_text(encoding="utf-8")))
    assert found, "no evidence kinds found: the scan is broken"
    assert found <= set(EVIDENCE_KINDS), sorted(found - set(EVIDENCE_KINDS))
