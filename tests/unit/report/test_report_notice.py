"""Activity 11's e-mail (plugins/plugin_utils/report/notice.py) against a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import ssl

import pytest
from rpi_test_ca import rpi_ca

from ansible_collections.rpi.exchange.plugins.plugin_utils.report.document import provisional
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.html_render import render
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.recorder import TaskInfo
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.notice import NoticeError, SmtpSettings, body, compose, send


def _report(driver):
    driver.task(1)
    driver.task(2, result={"rpi_report": {"target": {"host": "RPI-EXCH01", "mode": "upgrade",
                                                     "exchange_before": {"version": "15.2.1544.4", "label": "2019 CU14"}}}})
    for number in range(3, 11):
        driver.task(number)
    driver.recorder.task_started(TaskInfo("notice", "Inform", "rpi.exchange.report_notice", 11, True), driver.clock.tick())
    return driver.document()


def _settings(port, **overrides):
    values = {"host": "127.0.0.1", "port": port, "security": "none", "sender": "instalador@rpi.gob.gt",
              "recipients": ["encargado.ti@rpi.gob.gt"], "timeout": 5}
    values.update(overrides)
    return SmtpSettings(**values)


def _received(mailbox):
    assert len(mailbox.envelopes) == 1
    return email.message_from_bytes(mailbox.envelopes[0].content, policy=email.policy.default)


def test_the_notice_attaches_a_report_that_reads_as_the_run_stands(driver):
    document = provisional(_report(driver), "2026-11-27T18:00:00.000Z")
    assert document["run"]["status"] == "succeeded" and document["run"]["snapshot"] == "notice"
    assert document["activities"][10]["status"] == "done"
    assert "Copia enviada con el aviso" in render(document)


def test_a_failed_run_is_not_dressed_up_by_the_snapshot(driver):
    driver.task(3, "failed", {"msg": "x"})
    assert provisional(driver.document(), "2026-11-27T18:00:00.000Z")["run"]["status"] == "failed"


def test_the_body_is_a_plain_spanish_summary(driver):
    text = body(provisional(_report(driver), "2026-11-27T18:00:00.000Z"), "es", "/srv/reports/run")
    assert text.startswith("Estimado(a) Encargado(a) del Departamento de Tecnologías de la Información:")
    assert "✓ Actualización completada" in text and "RPI-EXCH01" in text and "2019 CU14 (15.2.1544.4) → Sin dato" in text
    assert "  11  Hecha        Informa al Encargado" in text and "  12  Pendiente" in text
    assert "ansible-playbook playbooks/review_installation.yml" in text and "/srv/reports/run" in text
    assert "Dear Head of the Information Technology Department," in body(provisional(_report(driver), "2026-11-27T18:00:00.000Z"), "en", "x")


def test_the_message_arrives_with_its_attachments_and_login(driver, smtp_server):
    controller, mailbox = smtp_server(auth_require_tls=False)
    document = provisional(_report(driver), "2026-11-27T18:00:00.000Z")
    settings = _settings(controller.port, username="notifier", password="right-password")
    attachments = {"report.html": (render(document).encode(), "text/html"), "report.json": (b"{}", "application/json")}
    message = compose(document, settings, "es", "/srv/reports/run", attachments)
    assert send(message, settings) == {}
    received = _received(mailbox)
    assert str(received["Subject"]).strip().startswith("[RPI] Actualización completada en RPI-EXCH01: informe de la ejecución 20261127T160000Z")
    assert received["To"] == "encargado.ti@rpi.gob.gt" and mailbox.logins == [("notifier", "right-password")]
    parts = {part.get_filename(): part for part in received.iter_attachments()}
    assert sorted(parts) == ["report.html", "report.json"]
    assert "Actualización completada" in parts["report.html"].get_content()
    assert "Estimado(a)" in received.get_body(("plain",)).get_content()


def test_starttls_with_the_rpi_ca(driver, smtp_server, tls_files):
    cert_file, key_file = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    controller, mailbox = smtp_server(tls_context=context, require_starttls=True)
    document = provisional(_report(driver), "2026-11-27T18:00:00.000Z")
    settings = _settings(controller.port, security="starttls", ca_path=str(cert_file), username="notifier", password="right-password")
    send(compose(document, settings, "en", "x", {}), settings)
    assert str(_received(mailbox)["Subject"]).strip().startswith("[RPI] Upgrade completed on RPI-EXCH01")
    with pytest.raises(NoticeError, match="SSL|certificate"):
        send(compose(document, settings, "en", "x", {}), _settings(controller.port, security="starttls"))


def test_failures_to_send_are_errors_the_caller_can_report(driver, smtp_server):
    document = provisional(_report(driver), "2026-11-27T18:00:00.000Z")
    controller, _mailbox = smtp_server(auth_require_tls=False)
    settings = _settings(controller.port, username="notifier", password="wrong-password")
    with pytest.raises(NoticeError, match="SMTPAuthenticationError"):
        send(compose(document, settings, "es", "x", {}), settings)
    closed = _settings(controller.port + 1 if controller.port < 65535 else 1)
    with pytest.raises(NoticeError, match="ConnectionRefusedError"):
        send(compose(document, closed, "es", "x", {}), closed)
    assert "wrong-password" not in repr(settings)


def test_smtps_with_the_rpi_ca(driver, smtp_server, tls_files):
    cert_file, key_file = tls_files
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    controller, mailbox = smtp_server(ssl_context=context)
    document = provisional(_report(driver), "2026-11-27T18:00:00.000Z")
    settings = _settings(controller.port, security="tls", ca_path=str(cert_file))
    send(compose(document, settings, "es", "x", {}), settings)
    assert len(mailbox.envelopes) == 1


# --- issue 16, item 9: the configured CA reaches the relay, beside the controller's own trust store -------------------


def _server_context(cert_file, key_file):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_the_ca_is_trusted_beside_the_controllers_own_store(tmp_path):
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.notice import _tls_context  # pylint: disable=import-outside-toplevel

    ca_file, _cert, _key = rpi_ca(tmp_path)
    system = ssl.create_default_context().cert_store_stats()["x509_ca"]
    context = _tls_context(_settings(25, security="starttls", ca_path=str(ca_file)))
    assert context.cert_store_stats()["x509_ca"] == system + 1, "the RPI's CA is added, the controller's store kept"
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert any(dict(item[0] for item in cert["subject"]).get("commonName") == "RPI CA de pruebas" for cert in context.get_ca_certs())


def _notice_action(tmp_path, driver, **args):
    """rpi.exchange.report_notice's action plugin run on a report folder, as activity 11 runs it."""
    from unittest.mock import MagicMock  # pylint: disable=import-outside-toplevel

    from ansible_collections.rpi.exchange.plugins.action.report_notice import ActionModule  # pylint: disable=import-outside-toplevel
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report.store import write_report  # pylint: disable=import-outside-toplevel

    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    document = _report(driver)
    write_report(folder, document, render(document))
    task = MagicMock()
    task.args = dict({"report_dir": str(folder), "smtp_host": "127.0.0.1", "sender": "instalador@rpi.gob.gt",
                      "recipients": ["encargado.ti@rpi.gob.gt"], "timeout": 5}, **args)
    task.async_val = 0
    task.check_mode = False
    task.action = "rpi.exchange.report_notice"
    action = ActionModule(task, MagicMock(), play_context=MagicMock(), loader=None, templar=None, shared_loader_obj=None)
    return action.run(task_vars={})


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_the_action_sends_through_a_relay_the_rpi_ca_signed(driver, smtp_server, tmp_path, security):
    ca_file, cert_file, key_file = rpi_ca(tmp_path)
    options = ({"tls_context": _server_context(cert_file, key_file), "require_starttls": True} if security == "starttls"
               else {"ssl_context": _server_context(cert_file, key_file)})
    controller, mailbox = smtp_server(**options)
    result = _notice_action(tmp_path, driver, smtp_port=controller.port, smtp_security=security, ca_path=str(ca_file))
    assert result["sent"] is True and not result.get("warnings"), result
    assert len(mailbox.envelopes) == 1
    # Without the CA the controller's own store does not know the relay: refused, reported, never fatal.
    without = _notice_action(tmp_path, driver, smtp_port=controller.port, smtp_security=security)
    assert without["sent"] is False and "CERTIFICATE_VERIFY_FAILED" in without["msg"], without


def test_a_ca_file_that_is_not_there_is_named_without_trying_the_relay(driver, smtp_server, tmp_path):
    controller, mailbox = smtp_server(auth_require_tls=False)
    missing = tmp_path / "no-such-ca.pem"
    result = _notice_action(tmp_path, driver, smtp_port=controller.port, smtp_security="starttls", ca_path=str(missing))
    assert result["sent"] is False and result.get("failed") is not True
    evidence = result["rpi_report"]["evidence"][0]
    assert evidence["level"] == "warning"
    assert f"el archivo de la CA del relé indicado en ca_path ({missing}) no existe en el equipo de control" in evidence["summary_es"]
    assert f"ca_path ({missing}) does not exist" in result["warnings"][0]
    assert mailbox.envelopes == []
