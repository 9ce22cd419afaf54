"""One time zone and masking without false positives in the rendered report (issue 20, items 5 and 6)."""

from __future__ import annotations

import datetime
import html
import re

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import check_license, license_evidence
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.humanize import local_time, localize_text
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import MASK

ACCEPTED = datetime.datetime(2026, 12, 5, 22, 31, 50, tzinfo=datetime.timezone.utc)
# A time of day as a person reads it (10:00, 16:31:50), or an ISO time a module wrote.
_CLOCK = re.compile(r"(?<![\d:+-])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _visible_text(page: str) -> str:
    """What a person reads: the page without its markup and its style sheet, entities decoded."""
    body = page.split("</style>", 1)[1]
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _full_install(driver):
    """Activities 1 to 11 of an install, with the instruction's window and activity 6's real licence record."""
    driver.task(1, result={"rpi_report": {"run": {"instruction": {
        "who": "Ing. Ana López", "reference": "OF-TI-2026-041",
        "planned_window": {"start": "2026-11-27T09:00:00-06:00", "end": "2026-11-27T14:00:00-06:00"}}}}})
    driver.task(2, result={"rpi_report": {"target": {"mode": "install", "exchange_before": {"installed": False}}}})
    acceptance, problems = check_license(accept=True, diagnostic_data="OFF", media_version="15.2.1748.10", accepted_by="jperez",
                                         now=ACCEPTED)
    assert not problems
    for number in range(3, 12):
        driver.task(number, result={"rpi_report": license_evidence(acceptance)} if number == 6 else None)
    return driver.finalize()


def test_every_time_in_a_full_install_report_carries_guatemalas_offset(driver):
    document = _full_install(driver)
    text = _visible_text(render(document)).replace(document["run"]["id"], "RUN-ID")
    assert not _ISO.search(text), "no ISO time left as a module wrote it"
    clocks = list(_CLOCK.finditer(text))
    assert len(clocks) > 15, "the window, start, end, each activity, the evidence, the footer"
    unzoned = [text[max(0, m.start() - 30):m.end() + 12] for m in clocks if not text[m.end():].startswith(" (UTC-06:00)")]
    assert unzoned == []
    # The licence acceptance (written in UTC by the module) reads in Guatemala's time, in its summary and its details.
    assert "aceptada por jperez el 05/12/2026 16:31:50 (UTC-06:00)" in text
    assert '"accepted_at": "05/12/2026 16:31:50 (UTC-06:00)"' in text
    assert "Horas en America/Guatemala (UTC-06:00)" in text


def test_report_json_keeps_utc_as_its_schema_says(driver):
    document = _full_install(driver)
    licence = next(item for item in document["activities"][5]["evidence"] if item["kind"] == "check" or "accepted_at" in item["details"])
    assert licence["details"]["accepted_at"] == "2026-12-05T22:31:50Z"
    assert document["run"]["started"].endswith("Z")


def test_english_times_carry_the_offset_too():
    assert local_time("2026-12-05T22:31:50.000Z", "America/Guatemala", "en", "seconds") == "2026-12-05 16:31:50 (UTC-06:00)"
    assert local_time("2026-12-05T22:31:50.000Z", "Europe/Madrid", "es", "time") == "23:31:50 (UTC+01:00)"


def test_zoned_times_in_text_are_localized_and_others_left_alone():
    zone = "America/Guatemala"
    assert localize_text("el 2026-12-05T22:31:50Z para", zone, "es") == "el 05/12/2026 16:31:50 (UTC-06:00) para"
    assert localize_text("at 2026-12-05T16:31:50-06:00.", zone, "en") == "at 2026-12-05 16:31:50 (UTC-06:00)."
    assert localize_text("run_started 2026-12-06T03:01:23.692786+00:00", zone, "es") == "run_started 05/12/2026 21:01:23 (UTC-06:00)"
    # Without a zone nobody knows which it meant; a run id is not a time; a date alone stays a date.
    for text in ("[06/02/2026 09:00:00.0001] Setup", "2026-11-27T18:00", "20261127T160000Z-abc123", "2026-11-28"):
        assert localize_text(text, zone, "es") == text


def _notices(document):
    """The notices of the run; the masking notice is in the first activity that ran (3 here)."""
    return [(entry["number"], item) for entry in document["activities"] for item in entry["evidence"] if item["kind"] == "notice"]


def _with_secret(make_driver, secret: str, sentence: str):
    driver = make_driver()
    driver.recorder.scrubber.collect({"rpi_exchange_setup_password": secret})
    driver.task(3, result={"rpi_report": {"evidence": [{
        "kind": "reboot", "summary_es": sentence, "summary_en": sentence,
        "details": {"reason": "after_install", "smtp_password": secret, "copied": secret}}]}})
    driver.task(4, name=f"Sign in with {secret}")
    return driver.finalize()


def test_a_secret_that_is_a_common_word_masks_the_field_not_the_sentence(make_driver):
    document = _with_secret(make_driver, "features", "Servidor reiniciado: lo requieren features, vcredist2012.")
    item = document["activities"][2]["evidence"][0]
    assert item["summary_es"] == "Servidor reiniciado: lo requieren features, vcredist2012."
    assert item["details"] == {"reason": "after_install", "smtp_password": MASK, "copied": MASK}
    page = render(document)
    assert "lo requieren features, vcredist2012." in page
    notice = _notices(document)
    assert [number for number, _item in notice] == [3]
    notice = notice[0][1]
    assert notice["level"] == "warning" and notice["details"]["not_searched_word"] == 1
    assert "que son una palabra común no se buscan" in notice["summary_es"] and "features" not in notice["summary_es"]


def test_a_catalogue_key_is_not_a_secret_and_masks_nothing(make_driver):
    driver = make_driver()
    driver.task(3, result={"rpi_report": {"evidence": [
        {"kind": "change", "summary_es": "Instalado vcredist2012.", "summary_en": "Installed vcredist2012.",
         "details": {"key": "vcredist2012", "prerequisite": "vcredist2012"}},
        {"kind": "reboot", "summary_es": "Servidor reiniciado: lo requieren features, vcredist2012.",
         "summary_en": "Server restarted: required by features, vcredist2012.", "details": {}}]}})
    evidence = driver.finalize()["activities"][2]["evidence"]
    assert evidence[0]["details"] == {"key": "vcredist2012", "prerequisite": "vcredist2012"}
    assert evidence[1]["summary_es"].endswith("features, vcredist2012.")


def test_a_short_secret_is_masked_as_a_value_and_reported_as_not_searched(make_driver):
    document = _with_secret(make_driver, "Pw-42", "Servidor reiniciado: Pw-42 tras features.")
    item = document["activities"][2]["evidence"][0]
    assert item["details"]["smtp_password"] == MASK and item["details"]["copied"] == MASK
    assert item["summary_es"] == "Servidor reiniciado: Pw-42 tras features.", "not searched in text: the report says so"
    notices = _notices(document)
    assert len(notices) == 1
    notices = [item for _number, item in notices]
    assert notices[0]["details"] == {"not_searched_short": 1, "not_searched_word": 0, "min_length_searched": 8}
    assert notices[0]["summary_es"].startswith("1 secreto(s) de menos de 8 caracteres no se buscan en el texto del informe")
    assert all("Pw-42" not in value for value in (notices[0]["summary_es"], notices[0]["summary_en"]))
    page = render(document)
    assert page.index('id="notices"') < page.index("1 secreto(s) de menos de 8 caracteres") < page.index("Datos de la ejecución")


def test_a_long_secret_is_still_masked_everywhere_and_no_notice_is_added(make_driver):
    document = _with_secret(make_driver, "Sup3r-Secret-981", "Reinicio tras Sup3r-Secret-981.")
    assert document["activities"][2]["evidence"][0]["summary_es"] == f"Reinicio tras {MASK}."
    assert document["activities"][3]["tasks"][0]["name"] == f"Sign in with {MASK}"
    assert not _notices(document)


def test_an_identifier_like_secret_is_masked_as_a_whole_token_only(make_driver):
    document = _with_secret(make_driver, "Passw0rd2026", "Reinicio: Passw0rd2026, Passw0rd2026x.")
    assert document["activities"][2]["evidence"][0]["summary_es"] == f"Reinicio: {MASK}, Passw0rd2026x."
