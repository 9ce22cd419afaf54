"""Setup's modes are read in the report's language, never as install / upgrade / resume."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import result
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.i18n import mode_label


@pytest.mark.parametrize("mode, spanish, english", [
    ("install", "instalación nueva", "new installation"),
    ("upgrade", "actualización acumulativa", "cumulative update"),
    ("resume", "reanudación", "resumption"),
    ("recoverserver", "recuperación", "recovery"),
])
def test_mode_labels(mode, spanish, english):
    assert mode_label(mode, "es") == spanish
    assert mode_label(mode, "en") == english


def test_unknown_mode_is_shown_as_it_is():
    assert mode_label("future_mode", "es") == "future_mode"


def test_setup_messages_name_the_mode_in_spanish():
    outcome = result.SetupOutcome(succeeded=False, category="disk_space", exit_code=1, version_before=None, version_after=None,
                                  reboot_required=False)
    assert "(actualización acumulativa, 3.0 min)" in result.failure_message(outcome, "upgrade", 3.0, "es")
    assert "modo upgrade" not in result.failure_message(outcome, "upgrade", 3.0, "es")
    assert "(cumulative update, 3.0 min)" in result.failure_message(outcome, "upgrade", 3.0, "en")


@pytest.mark.parametrize("mode, shown", [("upgrade", "Actualización acumulativa"), ("resume", "Reanudación"), ("install", "Instalación nueva")])
def test_header_mode(driver, mode, shown):
    driver.task(8, "ok", result={"rpi_report": {"target": {"mode": mode}}},
                name="Decide what setup must do (install, update, upgrade to SE, resume, or nothing)")
    page = render(driver.finalize())
    assert f"<dd>{shown}</dd>" in page
