"""Every evidence item the plugins build goes through report.evidence.Evidence, which knows the report's kinds and levels."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import licence as license_acceptance, options as role_options, plan as setup_plan
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence, normalize_evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.vocabulary import EVIDENCE_KINDS, LEVELS


def test_declared_kinds_are_known():
    for module in (license_acceptance, role_options, setup_plan):
        assert module.EVIDENCE_KIND in EVIDENCE_KINDS, module.__name__


@pytest.mark.parametrize("kind", EVIDENCE_KINDS)
def test_every_known_kind_makes_an_item_the_report_keeps(kind):
    item = Evidence(kind, "ok", "Resumen", "Summary", {"a": 1}).as_dict()
    assert item == {"kind": kind, "level": "ok", "summary_es": "Resumen", "summary_en": "Summary", "details": {"a": 1}}
    problems: list[str] = []
    assert normalize_evidence(item, problems) == item and not problems


@pytest.mark.parametrize("kind", ["commands", "Check", "", None])
def test_a_kind_the_report_does_not_know_raises(kind):
    with pytest.raises(ValueError, match="evidence kind"):
        Evidence(kind, "info", "Resumen", "Summary")


def test_a_level_the_report_does_not_know_raises():
    assert "fatal" not in LEVELS
    with pytest.raises(ValueError, match="evidence level"):
        Evidence("check", "fatal", "Resumen", "Summary")


def test_the_item_is_frozen_and_its_details_are_copied():
    details = {"a": 1}
    evidence = Evidence("note", "info", "Resumen", "Summary", details)
    with pytest.raises(AttributeError):
        evidence.kind = "check"  # type: ignore[misc]
    item = evidence.as_dict()
    item["details"]["b"] = 2
    assert details == {"a": 1}
    assert Evidence("note", "info", "Resumen", "Summary").as_dict()["details"] == {}
