"""Only WinRM over HTTPS with the certificate validated, unless the inventory declares a lab, and then the report says so.

The simulated server's request log proves a refused run sent nothing at all: not even the credentials.
"""

from __future__ import annotations

from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"


def first_page_notices(run) -> str:
    html = (run.report_dir / "latest" / "report.html").read_text(encoding="utf-8")
    return html[html.index('id="notices"'):html.index("Datos de la ejecución")] if 'id="notices"' in html else ""


def test_certificate_validation_off_is_refused_before_anything_is_sent(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                           extra_vars={"ansible_winrm_server_cert_validation": "ignore"})
    assert run.rc != 0
    assert "ansible_winrm_server_cert_validation=ignore" in run.stdout and "rpi_exchange_insecure_lab" in run.stdout
    assert "No se envió nada al servidor" in run.stdout
    assert simulator.server.log.summary()["requests"] == 0, "not one request reached the server"
    report = run.latest_report()
    assert report["run"]["status"] == "failed" and report["run"]["failure"]["activity"] == 1


def test_a_declared_lab_goes_on_and_the_report_says_so_on_its_first_page(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}",
                           extra_vars={"ansible_winrm_server_cert_validation": "ignore", "rpi_exchange_insecure_lab": True})
    assert run.rc == 0, run.output[-3000:]
    assert differences(before, snapshot(simulator.host)) == []
    notices = first_page_notices(run)
    assert "AJUSTE INSEGURO DE LABORATORIO" in notices and "certificado del servidor sin validar" in notices
    assert run.latest_report()["run"]["status"] == "succeeded"


def test_plain_http_is_refused_and_a_lab_over_http_is_recorded(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se", scheme="http")
    refused = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert refused.rc != 0 and "WinRM por HTTP" in refused.stdout
    assert simulator.server.log.summary()["requests"] == 0

    lab = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars={"rpi_exchange_insecure_lab": True})
    assert lab.rc == 0, lab.output[-3000:]
    notices = first_page_notices(lab)
    assert "WinRM por HTTP" in notices and "autenticación Basic por HTTP" in notices


def test_the_secure_default_is_recorded_as_a_passed_check(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-exchange-se")
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert run.rc == 0, run.output[-3000:]
    first = run.latest_report()["activities"][0]["evidence"]
    assert any(item["kind"] == "check" and "certificado validado" in item["summary_es"] for item in first), first
    # No notice about the connection (activity 1); the SE preset's trial edition has its own notice from activity 10.
    notices = first_page_notices(run)
    assert "Actividad 1:" not in notices and "WinRM" not in notices and "Basic" not in notices, notices
