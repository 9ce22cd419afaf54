"""The molecule scenarios (extensions/molecule) run against the simulated RPI server, one plan per situation.

Each plan (below) starts the simulated server with its preset, arms its faults through the simulator's own model, and
runs molecule's steps; the tests then check what molecule said, the server's state as the simulator holds it (registry,
files, services, processes, scheduled tasks, setup runs, ExchangeSetup.log) and the run reports. See molecule_lab.py.

Known product defects are marked xfail(strict=True) with the evidence: they fail the suite as soon as they are fixed
(XPASS), so the mark is removed then.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from report_english import english_words
from simulator import presets as simulator_presets
from simulator.exchange import presets as exchange_presets
from simulator.exchange.faults import REAL_ERRORS
from simulator.exchange.media import MEDIA
from simulator.exchange.runtime import model_for

from molecule_lab import (CRITICAL_SERVICES, ROOT, SCENARIOS, SETUP_KEY, SETUP_OK, SETUP_TASK, UNINSTALL_KEY, Lab, Plans,  # pylint: disable=import-error
                          Step, differences, installed_version, report_schema_errors, setup_log, watermarks)

CU14, CU15, SE = "15.2.1544.4", "15.2.1748.10", "15.2.2562.17"
SETUP_USER = exchange_presets.SETUP_USER
BAD_INPUT_CASES = yaml.safe_load((SCENARIOS / "bad_input" / "vars" / "cases.yml").read_text(encoding="utf-8"))["bad_input_cases"]
BAD_INPUT_PRESET = "ws2022-bare"  # a case's server when its `preset` says nothing
WINDOWS_REQUIRED = yaml.safe_load((SCENARIOS / "windows" / "create.yml").read_text(encoding="utf-8"))[0]["vars"]["windows_required"]
SETUP_FAULT = REAL_ERRORS["search_foundation"]  # a real ExchangeSetup.log error, with its own triage category


def plan(scenario: str, weight: int = 30) -> Callable[[Callable[[Lab], None]], Callable[[Lab], None]]:
    """A plan runs `scenario`; `weight` is about how many seconds it takes (the longest start first)."""

    def mark(function: Callable[[Lab], None]) -> Callable[[Lab], None]:
        function.scenario = scenario  # type: ignore[attr-defined]
        function.weight = weight  # type: ignore[attr-defined]
        return function

    return mark


def uses(function: Callable[[Lab], None]) -> pytest.MarkDecorator:
    return pytest.mark.molecule_plan.with_args(function)


# One plan per molecule mechanism (converge/verify/idempotence, a failing converge, nested bad-input runs, `check`, the
# environment-only inventory) also runs on the ansible-core 2.21 line; the other plans differ only in the product's path.
EVERY_CORE = pytest.mark.every_core


def media_on_share(release: str) -> dict[str, str]:
    """rpi_exchange_media for one of the simulator's ISOs on the RPI share (path and SHA-256 from its catalogue)."""
    image = MEDIA[release]
    return {"iso": f"{exchange_presets.SHARE_MEDIA_DIR}\\{image.iso_name}", "sha256": image.sha256}


# =============================================================================================== the plans

@plan("fresh_install", weight=55)
def fresh_install(lab: Lab) -> None:
    lab.start("ws2022-bare")
    lab.snapshot("before")
    lab.molecule("converge")
    lab.snapshot("converged")
    lab.molecule("verify")
    lab.molecule("idempotence")
    lab.snapshot("after")


@plan("cu_upgrade", weight=45)
def cu_upgrade(lab: Lab) -> None:
    lab.start("ws2022-exchange-2019-cu14")
    lab.extra_vars({"rpi_exchange_media": media_on_share("2019-CU15")})
    lab.snapshot("before")
    lab.molecule("converge")
    lab.molecule("verify")


@plan("se_upgrade", weight=45)
def se_upgrade(lab: Lab) -> None:
    lab.start("ws2022-exchange-2019-cu15")
    lab.snapshot("before")
    lab.molecule("converge")
    lab.molecule("verify")


@plan("resume", weight=55)
def resume_upgrade(lab: Lab) -> None:
    host = lab.start("ws2022-exchange-2019-cu15")
    lab.snapshot("before")
    model_for(host).faults.fail_at = SETUP_FAULT  # consumed by the next Setup.exe run
    lab.molecule("converge")
    lab.snapshot("interrupted")
    lab.notes["watermarks"] = watermarks(host)
    lab.molecule("converge")
    lab.molecule("verify")


@plan("resume", weight=18)
def interrupted_install(lab: Lab) -> None:
    lab.start("ws2022-exchange-interrupted")  # a 2019 CU15 install stopped by a setup error, watermark left
    lab.extra_vars({"rpi_exchange_media": media_on_share("2019-CU15")})  # the media the interrupted install used
    lab.snapshot("before")
    lab.notes["watermarks"] = watermarks(lab.host)
    lab.molecule("converge")
    lab.snapshot("after")


@plan("resume", weight=40)
def setup_exits_before_its_log(lab: Lab) -> None:
    """Issue 16, item 4: Setup.exe dies at once (an unhandled .NET exception, 0xE0434352) and writes no log."""
    host = lab.start("ws2022-exchange-2019-cu15")
    lab.snapshot("before")
    lab.notes["setup_log_before"] = setup_log(host)
    model_for(host).faults.exit_before_log = 0xE0434352
    lab.molecule("converge")


@plan("resume", weight=40)
def disk_full_during_setup(lab: Lab) -> None:
    """Issue 16, item 6: the disk fills up while setup copies Exchange's files (MSI 1603, not enough space)."""
    host = lab.start("ws2022-exchange-2019-cu15")
    lab.snapshot("before")
    model_for(host).faults.disk_full_during_copy = True
    lab.molecule("converge")


def _fault_plan(lab: Lab, arm: Callable[[Lab], None]) -> None:
    """CU15 -> SE with setup lasting a few real seconds (speed 0.001: an hour of setup is 3.6 s), so faults land mid-run."""
    host = lab.start("ws2022-exchange-2019-cu15", speed=0.001)
    lab.snapshot("before")
    lab.notes["boot_id"] = host.boot_id()
    arm(lab)
    lab.molecule("converge")
    lab.notes["boot_id_after"] = host.boot_id()
    lab.molecule("verify")


@plan("faults", weight=55)
def winrm_restart(lab: Lab) -> None:
    def arm(lab: Lab) -> None:
        lab.host.winrm_restart_seconds = 2500  # 2.5 s of real time without WinRM
        model_for(lab.host).faults.restart_winrm_at = "Mailbox role: Transport service"

    _fault_plan(lab, arm)


@plan("faults", weight=60)
def connection_drop(lab: Lab) -> None:
    def arm(lab: Lab) -> None:
        host, server = lab.host, lab.sim.server
        dropped = lab.notes["dropped"] = threading.Event()

        def drop_while_setup_runs() -> None:
            deadline = time.monotonic() + 240
            while time.monotonic() < deadline and not host.find_processes("ExSetup"):
                time.sleep(0.05)
            time.sleep(0.5)
            server.accepting = lambda: False  # the network goes: requests are cut, new connections refused
            dropped.set()
            time.sleep(3)
            del server.accepting

        threading.Thread(target=drop_while_setup_runs, daemon=True).start()

    _fault_plan(lab, arm)


@plan("faults", weight=65)
def slow_reboot(lab: Lab) -> None:
    def arm(lab: Lab) -> None:
        host = lab.host
        host.reboot_seconds = 6000  # 6 s of real time down at every restart
        outages = lab.notes["reboot_outages"] = []

        def measure() -> None:  # how long the server really stays down at each restart
            down_since = None
            while not lab.notes.get("done"):
                down = host.outage_kind() == "reboot"
                if down and down_since is None:
                    down_since = time.monotonic()
                elif not down and down_since is not None:
                    outages.append(time.monotonic() - down_since)
                    down_since = None
                time.sleep(0.1)

        threading.Thread(target=measure, daemon=True).start()

    try:
        _fault_plan(lab, arm)
    finally:
        lab.notes["done"] = True


def _bad_input_plan(case: str) -> Callable[[Lab], None]:
    preset = BAD_INPUT_CASES[case].get("preset", BAD_INPUT_PRESET)

    @plan("bad_input", weight=30 if "exchange" in preset else 18)
    def bad_input(lab: Lab) -> None:
        lab.start(preset)  # by default nothing prepared yet: any change before the refusal shows
        lab.snapshot("before")
        lab.molecule("converge", env={"RPI_EXCHANGE_MOLECULE_CASES": case})
        lab.snapshot("after")

    bad_input.__name__ = f"bad_input_{case}"
    return bad_input


BAD_INPUT_PLANS = {case: _bad_input_plan(case) for case in BAD_INPUT_CASES}


@plan("check_mode", weight=25)
def check_mode(lab: Lab) -> None:
    lab.start("ws2022-bare")
    lab.snapshot("before")
    lab.molecule("check")
    lab.snapshot("after")
    lab.molecule("verify")


@plan("idempotence", weight=30)
def idempotence(lab: Lab) -> None:
    lab.start("ws2022-exchange-se")  # already at the media's version
    lab.snapshot("before")
    lab.molecule("converge")
    lab.snapshot("converged")
    lab.molecule("idempotence")
    lab.snapshot("after")
    lab.molecule("verify")


@plan("windows", weight=45)
def windows_on_the_simulator(lab: Lab) -> None:
    """The real-VM scenario, wired only through its RPI_EXCHANGE_TEST_* variables, against a simulated server."""
    lab.start("ws2022-exchange-se")
    lab.molecule("create")  # without the variables: must stop and name them
    host_vars = lab.sim.host_vars
    lab.notes["test_vm"] = test_vm = {
        "RPI_EXCHANGE_TEST_HOST": host_vars["ansible_host"],
        "RPI_EXCHANGE_TEST_PORT": str(host_vars["ansible_port"]),
        "RPI_EXCHANGE_TEST_USER": host_vars["ansible_user"],
        "RPI_EXCHANGE_TEST_PASSWORD": host_vars["ansible_password"],
        "RPI_EXCHANGE_TEST_CA": host_vars["ansible_winrm_ca_trust_path"],
        "RPI_EXCHANGE_TEST_TRANSPORT": host_vars["ansible_winrm_transport"],
        "RPI_EXCHANGE_TEST_SETUP_USER": host_vars["rpi_exchange_setup_user"],
        "RPI_EXCHANGE_TEST_SETUP_PASSWORD": host_vars["rpi_exchange_setup_password"],
        "RPI_EXCHANGE_TEST_MEDIA_ISO": media_on_share("SE-RTM")["iso"],
        "RPI_EXCHANGE_TEST_MEDIA_SHA256": media_on_share("SE-RTM")["sha256"],
        "RPI_EXCHANGE_TEST_PREREQUISITES": f"{exchange_presets.SHARE_MEDIA_DIR}\\Prerequisites",
        "RPI_EXCHANGE_TEST_LICENSE_ACCEPT": "true",
        "RPI_EXCHANGE_TEST_EXPECTED_VERSION": SE,
    }
    lab.snapshot("before")
    for command in ("create", "converge", "verify"):
        lab.molecule(command, env=test_vm)


# =============================================================================================== shared checks

def step(lab: Lab, index: int, command: str) -> Step:
    assert len(lab.steps) > index, f"plan {lab.name} stopped after {len(lab.steps)} steps"
    found = lab.steps[index]
    assert found.command == command, found.why()
    return found


def statuses(document: dict[str, Any]) -> list[str]:
    return [activity["status"] for activity in document["activities"]]


def assert_valid_report(found: Step, document: dict[str, Any]) -> None:
    assert report_schema_errors(document) == []
    assert [activity["number"] for activity in document["activities"]] == list(range(1, 13))
    assert document["run"]["finalized"] is True
    html = (found.reports[-1] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html and document["run"]["id"] in html


def assert_succeeded(found: Step, mode: str, before: str | None, after: str) -> dict[str, Any]:
    """A run that did its work: exit 0, one finished report, every activity done, the versions the simulator had."""
    assert found.rc == 0, found.why()
    assert len(found.reports) == 1, found.reports
    document = found.report()
    assert_valid_report(found, document)
    run, target = document["run"], document["target"]
    assert run["status"] == "succeeded" and run["failure"] is None and run["check_mode"] is False
    assert statuses(document) == ["done"] * 11 + ["pending"], statuses(document)
    assert target["mode"] == mode
    assert target["exchange_before"].get("version") == before and target["exchange_before"]["installed"] is (before is not None)
    assert target["exchange_after"] == {**target["exchange_after"], "version": after, "installed": True}
    assert run["instruction"]["reference"].startswith("MOLECULE-")
    return document


def assert_server_has(lab: Lab, version: str, new_setup_runs: int = 1) -> None:
    """The server as the simulator holds it: Exchange at `version`, clean, restarted, healthy, nothing left behind."""
    host, model = lab.host, model_for(lab.host)
    assert installed_version(host) == version
    assert host.registry.get(UNINSTALL_KEY, "DisplayVersion") == version
    assert watermarks(host) == {}
    install_path = host.registry.get(SETUP_KEY, "MsiInstallPath")
    exsetup = host.fs.get(install_path + "Bin\\ExSetup.exe")
    assert exsetup is not None and ".".join(str(int(part)) for part in exsetup.version.split(".")) == version
    for name in CRITICAL_SERVICES:
        service = host.get_service(name)
        assert service is not None and (service.state, service.start_mode) == ("running", "auto"), (name, service)
    assert not host.find_processes("ExSetup") and not host.find_processes("Setup")
    assert SETUP_TASK not in host.tasks, "the scheduled task holding the setup account's password is gone"
    assert host.mounted_images == {}, "activity 10 leaves the media unmounted"
    assert host.pending_reboot() == [], "the restart setup asks for has happened (activity 9)"
    runs = len(model.runs) - lab.notes["snapshot:before"]["setup_runs"]
    assert runs == new_setup_runs, f"{runs} setup runs"
    last = model.runs[-1]
    assert last.rc == 0 and last.run.via == "scheduled_task" and last.run.user == SETUP_USER and last.run.elevated
    assert SETUP_OK in setup_log(host).rsplit("Starting Microsoft", 1)[-1]


def assert_unchanged(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert after == before, f"the server changed: {differences(before, after)}"


# =============================================================================================== fresh install

@EVERY_CORE
@uses(fresh_install)
def test_fresh_install_converges_and_reports_an_install(lab: Lab) -> None:
    document = assert_succeeded(step(lab, 0, "converge"), "install", None, SE)
    kinds = {item["kind"] for item in document["activities"][7]["evidence"]}
    assert {"command", "change", "triage"} <= kinds, kinds  # activity 8: the command line, what it changed, the log's verdict
    html = (step(lab, 0, "converge").reports[-1] / "report.html").read_text(encoding="utf-8")
    assert english_words(html) == []  # issue 20, item 1: a Spanish report has no English outside Microsoft's quoted words


@EVERY_CORE
@uses(fresh_install)
def test_fresh_install_leaves_exchange_installed_on_the_server(lab: Lab) -> None:
    assert_server_has(lab, SE)
    host, before = lab.host, lab.notes["snapshot:before"]
    assert host.reboot_count - before["reboots"] >= 2, "the prerequisites' restart and the one after setup"
    assert {"ucma4", "vcredist2013", "urlrewrite"} <= set(host.products), host.products
    command = model_for(host).runs[-1].run.arguments
    assert "/Mode:Install" in command and "/Roles:Mailbox" in command and "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF" in command


@EVERY_CORE
@uses(fresh_install)
def test_fresh_install_verify_passes(lab: Lab) -> None:
    verify = step(lab, 1, "verify")
    assert verify.rc == 0, verify.why()


@EVERY_CORE
@uses(fresh_install)
def test_fresh_install_second_converge_leaves_the_server_as_it_was(lab: Lab) -> None:
    step(lab, 2, "idempotence")
    assert_unchanged(lab.notes["snapshot:converged"], lab.notes["snapshot:after"])


@EVERY_CORE
@uses(fresh_install)
def test_fresh_install_second_converge_reports_no_change(lab: Lab) -> None:
    idempotence_step = step(lab, 2, "idempotence")
    assert idempotence_step.rc == 0, changed_tasks(idempotence_step)


def changed_tasks(found: Step) -> str:
    """The tasks molecule's idempotence step names as changed."""
    tasks = re.findall(r"^\*\s+=> (.+)$", found.output, flags=re.MULTILINE)
    return f"changed on the second converge: {sorted(set(tasks))}\n{found.why()}"


# =============================================================================================== upgrades

@uses(cu_upgrade)
def test_cu_upgrade_from_cu14_to_cu15(lab: Lab) -> None:
    assert_succeeded(step(lab, 0, "converge"), "upgrade", CU14, CU15)
    assert_server_has(lab, CU15)
    assert "/Mode:Upgrade" in model_for(lab.host).runs[-1].run.arguments
    assert lab.host.reboot_count - lab.notes["snapshot:before"]["reboots"] == 2, "before the CU (Microsoft's advice) and after"


@uses(cu_upgrade)
def test_cu_upgrade_verify_passes(lab: Lab) -> None:
    verify = step(lab, 1, "verify")
    assert verify.rc == 0, verify.why()


@uses(se_upgrade)
def test_se_upgrade_from_cu15_to_se(lab: Lab) -> None:
    assert_succeeded(step(lab, 0, "converge"), "upgrade", CU15, SE)
    assert_server_has(lab, SE)
    assert "/Mode:Upgrade" in model_for(lab.host).runs[-1].run.arguments
    assert lab.host.reboot_count - lab.notes["snapshot:before"]["reboots"] == 2


@uses(se_upgrade)
def test_se_upgrade_verify_passes(lab: Lab) -> None:
    verify = step(lab, 1, "verify")
    assert verify.rc == 0, verify.why()


# =============================================================================================== resume after failure

@EVERY_CORE
@uses(resume_upgrade)
def test_a_setup_failure_stops_the_run_with_its_triage_in_the_report(lab: Lab) -> None:
    failed = step(lab, 0, "converge")
    assert failed.rc != 0, failed.why()
    document = failed.report()
    assert_valid_report(failed, document)
    assert document["run"]["status"] == "failed"
    assert statuses(document) == ["done"] * 7 + ["failed"] + ["pending"] * 4, statuses(document)
    failure = document["run"]["failure"]
    assert failure["activity"] == 8 and failure["action"] == "rpi.exchange.exchange_setup"
    triage = failure["triage"]
    assert triage["outcome"] == "failed" and triage["category"] == "search_foundation" and triage["operation"] == "upgrade"
    assert SETUP_FAULT.message.split(" - ")[0] in triage["error"]
    assert triage["advice"]["es"] and triage["advice"]["en"]
    html = (failed.reports[-1] / "report.html").read_text(encoding="utf-8")
    assert "Falló en la actividad 8" in html
    # Issue 20: the header shows the interrupted upgrade, not "No instalado"; no English outside Microsoft's quoted words.
    assert document["target"]["exchange_after"].get("interrupted") is True, document["target"]
    assert "interrumpida (marca de agua de Setup)" in html and "→</span>No instalado" not in html
    assert english_words(html) == []


@uses(resume_upgrade)
def test_a_setup_failure_leaves_the_interrupted_upgrade_as_setup_left_it(lab: Lab) -> None:
    interrupted, before = lab.notes["snapshot:interrupted"], lab.notes["snapshot:before"]
    assert lab.notes["watermarks"], "setup's watermark marks the interrupted upgrade"
    assert interrupted["setup_runs"] == before["setup_runs"] + 1
    assert model_for(lab.host).runs[before["setup_runs"]].rc != 0
    assert SETUP_TASK not in interrupted["scheduled_tasks"], "the task with the password is removed after a failure too"
    assert not [process for process in interrupted["processes"] if process[0].lower() in ("exsetup.exe", "setup.exe")]


@EVERY_CORE
@uses(resume_upgrade)
def test_the_next_run_resumes_the_upgrade_and_succeeds(lab: Lab) -> None:
    resumed = step(lab, 1, "converge")
    assert resumed.rc == 0, resumed.why()
    document = resumed.report()
    assert_valid_report(resumed, document)
    assert document["run"]["status"] == "succeeded" and statuses(document) == ["done"] * 11 + ["pending"]
    assert document["target"]["mode"] == "resume"
    assert document["target"]["exchange_after"]["version"] == SE and document["target"]["exchange_after"]["installed"]
    # Issue 20, item 2: the resumed run names the run it resumes and shows what that run found.
    failed_id = step(lab, 0, "converge").report()["run"]["id"]
    assert document["target"]["resumes_run"]["id"] == failed_id
    html = (resumed.reports[-1] / "report.html").read_text(encoding="utf-8")
    assert f"(reanudación de la ejecución {failed_id})" in html and "No instalado" not in html
    assert english_words(html) == []
    assert_server_has(lab, SE, new_setup_runs=2)
    assert "/Mode:Upgrade" in model_for(lab.host).runs[-1].run.arguments
    verify = step(lab, 2, "verify")
    assert verify.rc == 0, verify.why()


@uses(interrupted_install)
def test_an_interrupted_install_is_a_safe_stop(lab: Lab) -> None:
    refused = step(lab, 0, "converge")
    assert refused.rc != 0, refused.why()
    document = refused.report()
    assert_valid_report(refused, document)
    assert document["run"]["status"] == "failed"
    failure = document["run"]["failure"]
    # Activity 2 checks the decision before it installs anything (the check is repeated in activity 3).
    assert failure["activity"] == 2 and failure["action"] == "rpi.exchange.setup_decision"
    assert "marca de agua" in failure["msg"] and "asistente gráfico" in failure["msg"]
    assert statuses(document) == ["done", "failed"] + ["pending"] * 10
    assert watermarks(lab.host) == lab.notes["watermarks"] != {}, "the watermark stays for the setup wizard"
    # Nothing at all changed: no setup run, no restart, no file (ExchangeSetup.log included), the media not left mounted.
    assert_unchanged(lab.notes["snapshot:before"], lab.notes["snapshot:after"])


@uses(setup_exits_before_its_log)
def test_setup_that_left_no_log_is_explained_by_what_exists(lab: Lab) -> None:
    failed = step(lab, 0, "converge")
    assert failed.rc != 0, failed.why()
    document = failed.report()
    assert_valid_report(failed, document)
    assert statuses(document) == ["done"] * 7 + ["failed"] + ["pending"] * 4, statuses(document)
    failure = document["run"]["failure"]
    assert failure["activity"] == 8 and failure["action"] == "rpi.exchange.exchange_setup"
    assert "Categoría: no_setup_log" in failure["msg"] and "0xE0434352" in failure["msg"]
    assert "excepción .NET no controlada" in failure["msg"] and "registro de eventos Aplicación" in failure["msg"]
    assert setup_log(lab.host) == lab.notes["setup_log_before"], "setup wrote nothing to its log"
    assert len(model_for(lab.host).runs) == lab.notes["snapshot:before"]["setup_runs"] + 1
    assert model_for(lab.host).runs[-1].rc & 0xFFFFFFFF == 0xE0434352
    assert installed_version(lab.host) == CU15 and SETUP_TASK not in lab.host.tasks


@uses(disk_full_during_setup)
def test_a_full_disk_is_diagnosed_as_such(lab: Lab) -> None:
    failed = step(lab, 0, "converge")
    assert failed.rc != 0, failed.why()
    document = failed.report()
    assert_valid_report(failed, document)
    failure = document["run"]["failure"]
    assert failure["activity"] == 8 and failure["triage"]["category"] == "disk_space"
    assert failure["triage"]["error"] == "There is not enough space on the disk."
    assert "Libere espacio" in failure["triage"]["advice"]["es"] and ".msilog" not in failure["triage"]["advice"]["es"]
    html = (failed.reports[-1] / "report.html").read_text(encoding="utf-8")
    assert "disk_space" in html and "Libere espacio" in html


# =============================================================================================== faults

def assert_rode_out_the_fault(lab: Lab) -> None:
    assert_succeeded(step(lab, 0, "converge"), "upgrade", CU15, SE)
    assert_server_has(lab, SE)  # setup ran exactly once, whatever the connection did
    verify = step(lab, 1, "verify")
    assert verify.rc == 0, verify.why()


@uses(winrm_restart)
def test_winrm_restarting_during_setup(lab: Lab) -> None:
    assert_rode_out_the_fault(lab)
    reboots = lab.host.reboot_count - lab.notes["snapshot:before"]["reboots"]
    assert lab.notes["boot_id_after"] - lab.notes["boot_id"] == reboots + 1, "WinRM restarted once, besides the restarts"
    assert not model_for(lab.host).faults.armed


@uses(connection_drop)
def test_the_connection_dropping_during_setup(lab: Lab) -> None:
    assert lab.notes["dropped"].is_set(), "the connection was cut while setup ran"
    assert_rode_out_the_fault(lab)
    reboots = lab.host.reboot_count - lab.notes["snapshot:before"]["reboots"]
    assert lab.notes["boot_id_after"] - lab.notes["boot_id"] == reboots, "only the network went, WinRM did not restart"


@uses(slow_reboot)
def test_slow_restarts(lab: Lab) -> None:
    assert_rode_out_the_fault(lab)
    outages = lab.notes["reboot_outages"]
    assert len(outages) == 2 and min(outages) >= 5, outages


# =============================================================================================== bad input

# Product defects found by these cases and fixed: the licence and the install folder were checked only in
# activities 6 and 5, after activity 2 had installed the prerequisites; activity 2 now checks them first. The refusals of
# a TargetDir on a missing or too small drive, of media the server's Windows does not support, of a downgrade, of a
# wrong ISO SHA-256 and of a server outside the RPI's domain did not name the variable to correct; they do now
# (variable_names of server_readiness, setup_decision and exchange_media in prepare_server; rpi_guard's messages). An
# unknown role was refused first by ansible-core's role argument validation, in English (the argument specs no longer
# list `choices`; exchange_facts refuses it in activity 1), and a wrong password left the host unreachable with the
# connection plugin's English message (exchange_facts now fails naming ansible_user/ansible_password).
# Known defects: (case, check) -> the evidence; `check` is "refused" (test_bad_input_is_refused_saying_why) or
# "unchanged" (test_bad_input_changes_nothing_on_the_server).
BAD_INPUT_BUGS: dict[tuple[str, str], str] = {}  # (case, check) -> why it fails; strict xfail until fixed
BAD_INPUT_TABLE = ROOT / "tests" / "output" / "bad-input-table.md"
# Words only one of the two languages uses: a refusal is Spanish when Spanish ones clearly outnumber English ones.
SPANISH_WORDS = frozenset("el la los las del que se una es para con por debe servidor nada unidad medio falta indique "
                          "cambió cambia instalación actividad dominio contraseña usuario".split())
ENGLISH_WORDS = frozenset("the is was of and with must should could not server value failed be to are this "
                          "credentials rejected".split())


def is_spanish(text: str) -> bool:
    words = re.findall(r"[a-záéíóúñü]+", text.lower())
    spanish, english = sum(word in SPANISH_WORDS for word in words), sum(word in ENGLISH_WORDS for word in words)
    return spanish >= 3 and english * 3 <= spanish


def bad_input_params(check: str) -> list[Any]:
    params = []
    for case in BAD_INPUT_CASES:
        marks = [uses(BAD_INPUT_PLANS[case])] + ([EVERY_CORE] if case == "no_instruction" else [])
        if (case, check) in BAD_INPUT_BUGS:
            marks.append(pytest.mark.xfail(strict=True, reason=BAD_INPUT_BUGS[case, check]))
        params.append(pytest.param(case, marks=marks, id=case))
    return params


def test_bad_input_cases_are_well_formed() -> None:
    """Every case says what it tries, on which server, where it must be refused and which variable the message names;
    the media it pins are the simulator's own ISOs."""
    images = {media_on_share(release)["iso"].lower(): media_on_share(release)["sha256"] for release in MEDIA}
    for case, spec in BAD_INPUT_CASES.items():
        assert {"input", "extra_vars", "activity", "message"} <= set(spec), case
        assert spec["activity"] in range(1, 8) and spec["message"].startswith(("rpi_exchange_", "ansible_")), case
        assert spec.get("preset", BAD_INPUT_PRESET) in simulator_presets.names(), case
        media = spec["extra_vars"].get("rpi_exchange_media") or {}
        if "{{" not in str(media.get("iso", "{{")):
            assert images.get(media["iso"].lower()) == media["sha256"], case


@pytest.mark.parametrize("case", bad_input_params("refused"))
def test_bad_input_is_refused_saying_why(case: str, lab: Lab) -> None:
    converge = step(lab, 0, "converge")
    assert len(converge.reports) == 1, f"{converge.reports}\n{converge.why()}"
    document = converge.report()
    assert_valid_report(converge, document)
    expected = BAD_INPUT_CASES[case]
    failure, activity = document["run"]["failure"], expected["activity"]
    assert document["run"]["status"] == "failed" and failure is not None, document["run"]
    assert failure["activity"] == activity, failure
    # Refused in its activity, before anything later started: activities 8 to 12 (setup and after) never ran.
    assert statuses(document) == ["done"] * (activity - 1) + ["failed"] + ["pending"] * (12 - activity), statuses(document)
    assert expected["message"] in (failure["msg"] or ""), failure["msg"]
    assert is_spanish(failure["msg"] or ""), failure["msg"]
    assert len(model_for(lab.host).runs) == lab.notes["snapshot:before"]["setup_runs"], "setup never ran"
    assert converge.rc == 0, converge.why()  # the scenario's own checks (tasks/case.yml) agree


@pytest.mark.parametrize("case", bad_input_params("unchanged"))
def test_bad_input_changes_nothing_on_the_server(case: str, lab: Lab) -> None:
    assert_unchanged(lab.notes["snapshot:before"], lab.notes["snapshot:after"])


def _excerpt(message: str, variable: str, width: int = 150) -> str:
    """The line of the message that names `variable` (else its first line), cut around the name."""
    lines = [line.strip(" -") for line in message.splitlines() if line.strip()] or [""]
    line = next((line for line in lines if variable in line), lines[0])
    at = max(0, line.find(variable) - 40) if variable in line else 0
    cut = ("…" if at else "") + line[at:at + width] + ("…" if len(line) > at + width else "")
    return cut.replace("|", "\\|")


def bad_input_row(case: str, lab: Lab) -> tuple[str, bool, bool]:
    """One row of the table, whether the case was refused as expected, and whether the server stayed unchanged."""
    spec = BAD_INPUT_CASES[case]
    preset = spec.get("preset", BAD_INPUT_PRESET)
    before, after = lab.notes.get("snapshot:before"), lab.notes.get("snapshot:after")
    unchanged = before is not None and before == after
    converge = lab.steps[0] if lab.steps else None
    if converge is None or len(converge.reports) != 1:
        return f"| `{case}` | {spec['input']} | `{preset}` | no report | - | {'yes' if unchanged else 'no'} |", False, unchanged
    document = converge.report()
    failure = document["run"]["failure"] or {}
    msg = str(failure.get("msg") or "")
    activity = failure.get("activity")
    named, spanish = spec["message"] in msg, is_spanish(msg)
    refused = document["run"]["status"] == "failed" and activity == spec["activity"] and named and spanish
    where = f"{activity}" + (" (unreachable)" if failure.get("unreachable") else "")
    if activity != spec["activity"]:
        where += f" (expected {spec['activity']})"
    notes = ("" if named else f" **[does not name `{spec['message']}`]**") + ("" if spanish else " **[not Spanish]**")
    return (f"| `{case}` | {spec['input']} | `{preset}` | {where} | {_excerpt(msg, spec['message'])}{notes} | "
            f"{'yes' if unchanged else '**no**'} |", refused, unchanged)


def uses_every_bad_input_plan(test: Callable[..., None]) -> Callable[..., None]:
    for function in BAD_INPUT_PLANS.values():
        test = uses(function)(test)
    return test


@uses_every_bad_input_plan
def test_bad_input_table(plans: Plans) -> None:
    """The table for issue 8's note, from this run's reports and snapshots: tests/output/bad-input-table.md."""
    rows, refused, unchanged = [], 0, 0
    for case, function in BAD_INPUT_PLANS.items():
        try:
            row, was_refused, was_unchanged = bad_input_row(case, plans.result(function))
        except pytest.fail.Exception as error:  # the plan broke: its own tests say why
            broke = f"plan broke: {str(error)[:80]}"
            row, was_refused, was_unchanged = f"| `{case}` | {BAD_INPUT_CASES[case]['input']} | {broke} | | | |", False, False
        rows.append(row)
        refused += was_refused
        unchanged += was_unchanged
    table = "\n".join([
        "| case | input | preset | refused at activity | message excerpt (Spanish) | server unchanged |",
        "|---|---|---|---|---|---|", *rows, "",
        f"{len(rows)} bad inputs tried; refused as expected (in the expected activity, in Spanish, naming the variable): "
        f"{refused} of {len(rows)}; server unchanged (whole simulator snapshot before == after): {unchanged} of {len(rows)}.", ""])
    BAD_INPUT_TABLE.parent.mkdir(parents=True, exist_ok=True)
    BAD_INPUT_TABLE.write_text(table, encoding="utf-8")
    print(table)
    assert len(rows) == len(BAD_INPUT_CASES)


# =============================================================================================== check mode

@EVERY_CORE
@uses(check_mode)
def test_check_mode_changes_nothing_on_the_server(lab: Lab) -> None:
    step(lab, 0, "check")
    assert_unchanged(lab.notes["snapshot:before"], lab.notes["snapshot:after"])


@EVERY_CORE
@uses(check_mode)
def test_check_mode_runs_through_and_reports_check(lab: Lab) -> None:
    check = step(lab, 0, "check")
    assert check.rc == 0, check.why()
    document = check.report()
    assert_valid_report(check, document)
    assert document["run"]["status"] == "check" and document["run"]["check_mode"] is True
    verify = step(lab, 1, "verify")
    assert verify.rc == 0, verify.why()


@EVERY_CORE
@uses(check_mode)
def test_check_mode_report_says_it_was_a_dry_run(lab: Lab) -> None:
    check = step(lab, 0, "check")
    document = check.report()
    assert_valid_report(check, document)
    assert document["run"]["check_mode"] is True


# =============================================================================================== idempotence

@uses(idempotence)
def test_a_server_at_the_media_version_is_left_alone(lab: Lab) -> None:
    converge = step(lab, 0, "converge")
    assert converge.rc == 0, converge.why()
    document = converge.report()
    assert_valid_report(converge, document)
    assert document["run"]["status"] == "succeeded"
    assert statuses(document) == ["done"] * 4 + ["skipped"] * 5 + ["done"] * 2 + ["pending"], statuses(document)
    assert document["target"]["exchange_before"]["version"] == document["target"]["exchange_after"]["version"] == SE
    assert_unchanged(lab.notes["snapshot:before"], lab.notes["snapshot:converged"])
    assert_unchanged(lab.notes["snapshot:before"], lab.notes["snapshot:after"])
    verify = step(lab, 2, "verify")
    assert verify.rc == 0, verify.why()


@uses(idempotence)
def test_a_second_converge_reports_no_change(lab: Lab) -> None:
    idempotence_step = step(lab, 1, "idempotence")
    assert idempotence_step.rc == 0, changed_tasks(idempotence_step)


# =============================================================================================== windows

@EVERY_CORE
@uses(windows_on_the_simulator)
def test_windows_scenario_without_its_variables_says_what_to_set(lab: Lab) -> None:
    create = step(lab, 0, "create")
    assert create.rc != 0, create.why()
    assert "Set " + ", ".join(WINDOWS_REQUIRED) in " ".join(create.output.split()), create.why()


@EVERY_CORE
@uses(windows_on_the_simulator)
def test_windows_scenario_through_its_variables_only(lab: Lab) -> None:
    for index, command in enumerate(("create", "converge", "verify"), start=1):
        found = step(lab, index, command)
        assert found.rc == 0, found.why()
    document = lab.steps[2].report()
    assert document["run"]["status"] == "succeeded" and document["target"]["exchange_after"]["version"] == SE
    outputs = "".join(found.output for found in lab.steps)
    for name in ("RPI_EXCHANGE_TEST_PASSWORD", "RPI_EXCHANGE_TEST_SETUP_PASSWORD"):
        assert lab.notes["test_vm"][name] not in outputs
        assert all(lab.notes["test_vm"][name] not in path.read_text(encoding="utf-8")
                   for path in lab.report_dir.rglob("report.*"))


def test_windows_scenario_on_a_real_vm(tmp_path: Path) -> None:
    """The `windows` scenario's steps against the VM the RPI_EXCHANGE_TEST_* variables name: verify before idempotence,
    so that a run on the (slow, single) VM reports the server's state even while the idempotence defect stands."""
    missing = [name for name in WINDOWS_REQUIRED if not os.environ.get(name)]
    if missing:
        pytest.skip("no real Windows VM: to run the `windows` molecule scenario against one, set "
                    + ", ".join(missing) + " (see extensions/molecule/README.md)")
    lab = Lab("windows-real-vm", "windows", tmp_path)
    timeout = int(os.environ.get("RPI_EXCHANGE_TEST_TIMEOUT", "21600"))
    for command in ("create", "converge", "verify", "idempotence"):
        found = lab.molecule(command, keep_test_vm=True, timeout=timeout)
        assert found.rc == 0, changed_tasks(found) if command == "idempotence" else found.why()
        if command == "converge":
            document = found.report()
            assert_valid_report(found, document)
            assert document["run"]["status"] == "succeeded", document["run"]["failure"]
