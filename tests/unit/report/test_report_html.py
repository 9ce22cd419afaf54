"""The page the IT Head reads (plugins/plugin_utils/report/html_render.py)."""

from __future__ import annotations

import re

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render


def _finished(driver, numbers=range(1, 12), **finalize):
    driver.task(1, result={"rpi_report": {"run": {"instruction": {"who": "Ing. Ana López", "reference": "OF-TI-2026-041",
                                                                  "planned_window": {"start": "27/11 22:00", "end": "28/11 02:00"}}}}})
    driver.task(2, result={"rpi_report": {"target": {"mode": "install", "exchange_before": {"installed": False},
                                                     "os": {"name": "Windows Server 2022", "edition": "Standard"}}}})
    for number in numbers:
        if number > 2:
            driver.task(number)
    return driver.finalize(**finalize)


def test_a_successful_install_says_so_first(driver):
    page = render(_finished(driver))
    assert page.startswith("<!DOCTYPE html>") and '<html lang="es">' in page
    assert page.index("Instalación completada") < page.index("Datos de la ejecución") < page.index("Actividades del procedimiento")
    assert "Pendiente de revisión y validación del Encargado de TI (actividad 12)." in page
    for fact in ("Ing. Ana López", "OF-TI-2026-041", "Téc. Juan Pérez", "Windows Server 2022 · Standard", "No instalado"):
        assert fact in page


def test_the_page_is_self_contained_and_needs_no_script(driver):
    page = render(_finished(driver))
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert not re.search(r"""(src|href)=|@import|url\(""", page)
    assert "@page { size: A4" in page and "@media print" in page


def test_activities_three_to_eight_share_their_planned_time_and_nine_reads_hours(driver):
    page = render(_finished(driver))
    assert page.count('rowspan="6"') == 1
    assert "para las actividades 3–8 en conjunto" in page and "real 3–8:" in page
    assert "1–2 h" in page
    assert page.count('<td class="planned"') == 7, "1, 2, the 3-8 block, 9, 10, 11, 12"
    assert "Tiempo previsto por el manual: 130–190 min" in page


def test_every_value_is_escaped(driver):
    driver.task(1, name="<img src=x onerror=alert(1)>", result={"rpi_report": {"evidence": [
        {"kind": "note", "summary_es": "<script>alert('x')</script>", "details": {"command_line": "a && b <c>"}}]}})
    driver.task(2, "failed", {"msg": "</pre><script>bad()</script>", "triage": {"error": "<b>x</b>", "advice": {"es": "<i>y</i>"}}})
    page = render(driver.finalize())
    assert "<script>" not in page and "<img" not in page and "<b>x</b>" not in page and "<i>y</i>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "a &amp;&amp; b &lt;c&gt;" in page


def test_a_failure_shows_where_what_and_what_to_do(driver):
    driver.activities(range(1, 8))
    triage = {"category": "reboot_pending", "error": "A reboot is pending.", "advice": {"es": "Reinicie el servidor.", "en": "Restart the server."},
              "findings": [{"category": "reboot_pending", "message": "Pending"}], "failed_rules": ["PendingRebootRequirement"]}
    driver.task(8, "failed", {"msg": "Setup failed", "triage": triage}, name="Run setup")
    document = driver.finalize()
    page = render(document)
    assert "Falló en la actividad 8" in page and "Actividad 8: Pulsa el botón" in page
    assert "Actividad 8 · tarea «Run setup» · servidor rpi-exch01" in page
    assert "Reinicie el servidor." in page and "PendingRebootRequirement" in page and "norma 5.6" in page
    english = render(document, "en")
    assert "Failed at activity 8" in english and "Restart the server." in english and '<html lang="en">' in english


def test_unreachable_without_triage_gets_plain_advice(driver):
    driver.task(2, "unreachable", {"msg": "ssh: connect to host"})
    page = render(driver.finalize())
    assert "Falló en la actividad 2" in page and "WinRM" in page


@pytest.mark.parametrize("language, interrupted, expected", [
    ("es", True, "La ejecución se detuvo antes de terminar durante la actividad 3."),
    ("en", True, "The run stopped before its end during activity 3."),
    ("es", False, "La ejecución no cerró este informe: se detuvo durante la actividad 3 (Ctrl-C"),
])
def test_interrupted_runs_say_where_and_whether_they_were_closed(driver, language, interrupted, expected):
    driver.activities([1, 2, 3])
    document = driver.finalize(interrupted=True) if interrupted else driver.document()
    if not interrupted:
        document["activities"][2]["status"] = "interrupted"
    page = render(document, language)
    assert ("Interrumpida" if language == "es" else "Interrupted") in page and expected in page


def test_check_mode_and_partial_runs(make_driver):
    check = make_driver(check_mode=True)
    page = render(_finished(check))
    assert "Simulacro (modo de comprobación)" in page and "No se cambió nada en el servidor" in page
    partial = make_driver()
    page = render(_finished(partial, numbers=[1, 2, 11]))
    assert "Ejecución parcial" in page and "no se ejecutaron las actividades 3, 4, 5, 6, 7, 8, 9, 10" in page


def test_iso_times_of_the_planned_window_are_shown_in_local_time(driver):
    driver.task(1, result={"rpi_report": {"run": {"instruction": {"planned_window": {"start": "2026-11-27T22:00:00-06:00",
                                                                                     "end": "2026-11-28"}}}}})
    assert "27/11/2026 22:00 (UTC-06:00) – 2026-11-28" in render(driver.finalize())


def test_upgrade_and_nothing_to_do_have_their_own_words(driver):
    document = _finished(driver)
    document["target"]["mode"] = "upgrade"
    assert "Actualización completada" in render(document)
    document["target"]["mode"] = "nothing"
    assert "Sin cambios: el servidor ya tenía la versión requerida" in render(document)


def test_rendering_is_a_pure_function_of_the_document(driver):
    document = _finished(driver)
    assert render(document) == render(document)


def test_evidence_is_on_demand_and_prints_opened(driver):
    driver.task(8, result={"rpi_report": {"evidence": [{"kind": "command", "summary_es": "Línea de comando",
                                                        "details": {"command_line": "Setup.exe /Mode:Upgrade", "switches": 2}}]}})
    page = render(driver.finalize())
    assert '<details class="evidence"><summary>Evidencia (1)</summary>' in page
    assert "<pre>Setup.exe /Mode:Upgrade</pre>" in page and '<details class="raw">' in page
    assert "details.evidence::details-content { content-visibility: visible" in page


def test_warnings_the_it_head_must_not_miss_are_under_the_outcome(driver):
    driver.task(1, result={"rpi_report": {"evidence": [
        {"kind": "notice", "level": "warning", "summary_es": "AJUSTE INSEGURO DE LABORATORIO: certificado sin validar.",
         "summary_en": "INSECURE LAB SETTING: certificate not validated."},
        {"kind": "notice", "level": "info", "summary_es": "Aviso informativo que no sube.", "summary_en": "Not raised."}]}})
    document = _finished(driver)
    page = render(document)
    assert page.index("Instalación completada") < page.index("Avisos para el Encargado de TI") < page.index("Datos de la ejecución")
    notices = page[page.index('id="notices"'):page.index("Datos de la ejecución")]
    assert "Actividad 1:" in notices and "AJUSTE INSEGURO DE LABORATORIO" in notices
    assert "Aviso informativo" not in notices
    assert "INSECURE LAB SETTING" in render(document, "en")


def test_no_notice_section_without_warnings(driver):
    assert 'id="notices"' not in render(_finished(driver))
