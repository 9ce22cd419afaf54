"""The run report of real ansible-playbook runs: success, failure, check, partial, unreachable, Ctrl-C, killed, review."""

from __future__ import annotations

import os
import signal
import subprocess
import sys


def test_a_successful_run_reports_every_activity(scenarios, core, harness, smtp_relay):
    run = scenarios.get("success", core)
    assert run.returncode == 0, run.output
    document = run.document
    assert harness.schema_errors(document) == []
    assert run.folder.parent == run.root and os.readlink(run.root / "latest") == run.folder.name
    assert sorted(path.name for path in run.folder.iterdir()) == ["report.html", "report.json"]
    assert document["run"]["status"] == "succeeded" and document["run"]["finalized"] is True
    assert harness.statuses(document) == ["done"] * 11 + ["pending"]
    assert document["run"]["technician"] == {"name": "Téc. Juan Pérez", "position": "Técnico de Operaciones y Seguridad Informática",
                                             "source": "variable"}
    assert document["run"]["instruction"]["who"] == "Ing. Ana López"
    assert document["run"]["playbooks"][0].endswith("procedure.yml")
    target = document["target"]
    assert target["host"] == "rpi-exch01" and target["mode"] == "upgrade"
    assert target["exchange_before"]["label"] == "2019 CU14" and target["exchange_after"]["version"] == "15.2.1748.10"
    by_number = {entry["number"]: entry for entry in document["activities"]}
    assert by_number[8]["evidence"][-1]["details"]["command_line"].startswith("Setup.exe /Mode:Upgrade")
    assert [item["kind"] for item in by_number[7]["evidence"]] == ["check", "change"]
    assert by_number[9]["task_counts"]["ignored"] == 1 and by_number[9]["task_counts"]["rescued"] == 1
    assert by_number[10]["tasks"][0]["name"] == "Wait until the server answers", "a dependency counts for the role that needs it"
    notice = by_number[11]["evidence"][-1]
    assert notice["kind"] == "notice" and notice["level"] == "ok", notice
    assert "Actualización completada" in run.html and "Informe de la ejecución / run report:" in run.output
    assert "procedure_report" not in run.output.replace("rpi.exchange.procedure_report", ""), "no warning from the callback"
    assert "rpi.exchange.procedure_report:" not in run.output, run.output
    port, mailbox = smtp_relay
    assert len(run.messages) == 1 and ("notifier", harness.smtp_password) in mailbox.logins


def test_a_failed_run_shows_the_failing_activity_its_diagnosis_and_what_was_not_reached(scenarios, core, harness):
    run = scenarios.get("failure", core)
    assert run.returncode == 2
    document = run.document
    assert harness.schema_errors(document) == []
    assert document["run"]["status"] == "failed" and document["run"]["finalized"] is True
    assert harness.statuses(document) == ["done"] * 7 + ["failed"] + ["pending"] * 4
    failure = document["run"]["failure"]
    assert failure["activity"] == 8 and failure["task"] == "Run the setup program" and failure["rc"] == 1
    assert failure["msg"] == "Setup failed while signing in with ********"
    assert failure["triage"]["category"] == "reboot_pending" and failure["triage"]["advice"]["es"].startswith("Reinicie")
    assert "The Exchange Server setup operation" in failure["stderr_tail"]
    assert "Falló en la actividad 8" in run.html and "Reinicie el servidor" in run.html
    assert "<script>alert(1)</script>" not in run.html


def test_no_secret_reaches_any_artefact(scenarios, core, harness, smtp_relay):
    _port, mailbox = smtp_relay
    success, failure = scenarios.get("success", core), scenarios.get("failure", core)
    artefacts = {str(path): path.read_text(encoding="utf-8") for run in (success, failure) for path in run.folder.iterdir()}
    artefacts.update({f"e-mail part {index}": text for index, text in enumerate(mailbox.texts())})
    assert len(artefacts) >= 7
    leaks = [f"{secret} ({road}) in {name}" for secret, road in harness.secrets.items() for name, text in artefacts.items() if secret in text]
    assert leaks == []
    assert success.document["activities"][4]["tasks"][-1]["name"] == "Use the token ********", "the no_log fact was learnt and masked"
    assert "Sign in as the installer with ********" in [task["name"] for task in success.document["activities"][1]["tasks"]], "vaulted"
    assert "Sup3r-Secret-Extra-981" in failure.output, "the secret did reach the run: the test proves the report kept it out"


def test_check_mode_in_english(main_core, harness, tmp_path):
    run = harness.run(main_core, tmp_path, "procedure.yml", "--check", RPI_EXCHANGE_REPORT_LANGUAGE="en")
    assert run.returncode == 0, run.output
    document = run.document
    assert document["run"]["status"] == "check" and document["run"]["check_mode"] is True
    assert document["presentation"]["language"] == "en"
    assert '<html lang="en">' in run.html and "Dry run (check mode)" in run.html
    assert harness.schema_errors(document) == []


def test_a_partial_run_and_a_notice_that_cannot_be_sent(main_core, harness, tmp_path):
    run = harness.run(main_core, tmp_path, "partial.yml", "-e", "fixture_smtp_port=1", "-e", "{\"fixture_skip_all\": [6]}")
    assert run.returncode == 0, run.output
    assert "could not be sent" in run.output
    document = run.document
    assert document["run"]["status"] == "partial"
    assert harness.statuses(document) == ["done"] + ["pending"] * 4 + ["skipped"] + ["pending"] * 4 + ["done", "pending"]
    notice = document["activities"][10]["evidence"][-1]
    assert notice["kind"] == "notice" and notice["level"] == "warning" and "ConnectionRefusedError" in notice["summary_es"]
    assert "Ejecución parcial" in run.html


def test_an_unreachable_server(main_core, harness, tmp_path):
    run = harness.run(main_core, tmp_path, "procedure.yml", inventory="inventory-unreachable.yml")
    assert run.returncode == 4, run.output
    document = run.document
    assert document["run"]["status"] == "failed"
    assert harness.statuses(document) == ["done", "failed"] + ["pending"] * 10
    assert document["run"]["failure"]["unreachable"] is True and document["run"]["failure"]["task"] == "Reach the server"
    assert "Falló en la actividad 2" in run.html and "WinRM" in run.html


def test_ctrl_c_leaves_an_interrupted_report(main_core, harness, tmp_path):
    run = harness.interrupt(main_core, tmp_path, signal.SIGINT)
    assert run.returncode == 99, run.output
    document = run.document
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is True
    assert harness.statuses(document) == ["done"] * 8 + ["interrupted"] + ["pending"] * 3
    assert document["run"]["current"]["task"] == "Wait for the installation"
    assert "Interrumpida" in run.html and "durante la actividad 9" in run.html
    assert harness.schema_errors(document) == []


def test_a_killed_run_leaves_a_true_report(main_core, harness, tmp_path):
    run = harness.interrupt(main_core, tmp_path, signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    document = run.document
    assert document["run"]["status"] == "interrupted" and document["run"]["finalized"] is False
    assert document["run"]["finished"] is None
    assert harness.statuses(document) == ["done"] * 8 + ["interrupted"] + ["pending"] * 3
    assert "Interrumpida" in run.html and "no cerró este informe" in run.html
    assert [path.name for path in run.folder.iterdir() if path.name.startswith(".")] == [], "no temporary file left behind"


def test_the_review_run_records_the_validation_in_the_install_report(scenarios, main_core, harness, tmp_path):
    source = scenarios.get("success", main_core)
    root = tmp_path / "reports"
    subprocess.run(["cp", "-a", str(source.root), str(root)], check=True)
    folder = root / source.folder.name
    review = harness.run(main_core, root, "review.yml", "-e", f"report_path={root / 'latest'}")
    assert review.returncode == 0, review.output
    assert sorted(path.name for path in root.iterdir()) == [folder.name, "latest"], "a review run writes no report of its own"
    document = review.document
    assert document["validation"]["name"] == "Ing. Ana López" and document["validation"]["decision"] == "validated"
    assert document["activities"][11]["status"] == "done"
    assert harness.schema_errors(document) == []
    assert "Validada por Ing. Ana López" in review.html and "&lt;b&gt;conforme&lt;/b&gt; &amp;" in review.html
    tool = [sys.executable, str(harness.root / "tools" / "verify-report.py"), str(folder)]
    assert subprocess.run(tool, capture_output=True, check=False).returncode == 0
    (folder / "report.html").write_text(review.html.replace("Ing. Ana López", "Ing. Otro"), encoding="utf-8")
    tampered = subprocess.run(tool, capture_output=True, text=True, check=False)
    assert tampered.returncode == 1 and "report.html cambió" in tampered.stdout


def test_the_evidence_action_is_strict_with_role_authors(main_core, harness, tmp_path):
    run = harness.run(main_core, tmp_path, "contract.yml")
    assert run.returncode == 0, run.output
    assert run.folder is None, "a playbook without procedure roles writes no report"


def test_the_report_language_follows_rpi_exchange_report_language_below_the_environment(main_core, harness, tmp_path):
    """Issue 16, item 10: environment RPI_EXCHANGE_REPORT_LANGUAGE > the hosts' rpi_exchange_report_language > ansible.cfg > es."""
    run = harness.run(main_core, tmp_path / "variable", "procedure.yml", "--check", "-e", "rpi_exchange_report_language=en")
    assert run.returncode == 0, run.output
    assert run.document["presentation"]["language"] == "en"
    assert '<html lang="en">' in run.html and "Dry run (check mode)" in run.html
    both = harness.run(main_core, tmp_path / "both", "procedure.yml", "--check", "-e", "rpi_exchange_report_language=en",
                       RPI_EXCHANGE_REPORT_LANGUAGE="es")
    assert both.returncode == 0, both.output
    assert both.document["presentation"]["language"] == "es" and "Simulacro (modo de comprobación)" in both.html
