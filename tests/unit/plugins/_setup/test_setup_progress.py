"""The progress lines a person sees without -v: setup's console phases from its log, n/N, one line per phase (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import progress
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup_log.triage import triage

HEADER = ("[11/27/2026 11:44:54.0623] [0] Starting Microsoft Exchange Server 2019 Setup\n"
          "[11/27/2026 11:44:54.0623] [0] Command Line Parameter Name='mode', Value='{mode}'.\n"
          "[11/27/2026 11:45:10.0001] [0] The installation mode is set to: '{installation_mode}'.\n"
          "[11/27/2026 11:45:10.0001] [0] Schema Update Required Status : '{schema}'.\n"
          "[11/27/2026 11:45:10.0001] [0] Organization Configuration Update Required Status : '{org}'.\n")
# The order the simulator runs an install's tasks in (tests/simulator/exchange/steps.py), with the copy's package path.
INSTALL_TASKS = ("test-SetupPrerequisites", "Start-PreConfiguration", "Start-PreFileCopy",
                 "install-msipackage -packagepath 'E:\\exchangeserver.msi'", "install-MsiPackage", "Start-PostFileCopy",
                 "install-Languages", "Install-AdminToolsRole", "Install-BridgeheadRole", "Install-ClientAccessRole",
                 "Install-MailboxRole", "Install-FrontendTransportRole", "Install-CafeRole", "Start-PostSetup")


def header(mode="Install", installation_mode="Install", schema="False", org="False") -> str:
    return HEADER.format(mode=mode, installation_mode=installation_mode, schema=schema, org=org)


def launched(task: str, minute: int, second: int = 0) -> str:
    name = task.split(" ", 1)[0]
    return (f"[11/27/2026 12:{minute:02d}:{second:02d}.0473] [0] Setup will run the task '{name}'\n"
            f"[11/27/2026 12:{minute:02d}:{second:02d}.0473] [1] Setup launched task '{task}'\n")


def log_of(tasks, start_minute=0) -> str:
    return "".join(launched(task, start_minute + number) for number, task in enumerate(tasks))


class TestPlan:
    def test_an_install_of_the_mailbox_role_shows_setup_s_fifteen_phases(self):
        phases = progress.plan("install")
        assert len(phases) == 15 and phases[0] == "configuring_prerequisites" and phases[-1] == "finalizing"
        assert phases.index("transport") + 1 == 10

    def test_an_upgrade_adds_the_removal_and_the_schema_and_organization_when_needed(self):
        phases = progress.plan("upgrade", schema=True, organization=True)
        assert len(phases) == 20 and phases[2:4] == ("schema", "organization")
        assert phases.count("language_files") == 2 and phases.index("removing_files") < phases.index("copying_files")

    def test_the_management_tools_have_no_mailbox_phases(self):
        assert "transport" not in progress.plan("install", "ManagementTools")
        assert len(progress.plan("install", "ManagementTools")) == 10

    def test_an_active_directory_preparation(self):
        assert progress.plan(None, prepare=("PrepareSchema",)) == ("prerequisite_analysis", "schema")
        assert progress.plan(None, prepare=("PrepareAD",), schema=True) == ("prerequisite_analysis", "schema", "organization")
        assert progress.plan(None, prepare=("PrepareDomain",)) == ("prerequisite_analysis", "domain")

    def test_every_phase_has_a_spanish_and_an_english_name(self):
        for phase in progress.PHASES.values():
            assert phase.es and phase.en and phase.es != phase.en or phase.key == "preparing_setup"
        assert progress.PHASES["copying_files"].label("es") == "Copiando archivos de Exchange"
        assert progress.PHASES["transport"].label("es") == "Rol de buzón: servicios de transporte"
        assert progress.PHASES["transport"].label("en") == "Mailbox role: Transport service"


class TestSetupProgress:
    def test_a_whole_install_followed_poll_by_poll(self):
        tracker = progress.SetupProgress("install")
        text, seen = header(), []
        for number, task in enumerate(INSTALL_TASKS):
            text += launched(task, number)
            position = tracker.observe({}, 60.0 * number, text)
            # The same log read again (a poll that brought nothing new) is not a new phase.
            assert tracker.observe({}, 60.0 * number + 30, text) is None
            if position is not None:
                seen.append((position.index, position.key))
        assert seen[0] == (2, "prerequisite_analysis")  # the simulator runs no separate prerequisite configuration
        assert [index for index, _key in seen] == list(range(2, 16))
        assert dict(seen)[5] == "copying_files" and dict(seen)[7] == "restoring_services"
        assert tracker.current.text("es") == "Fase 15/15 · Finalizando Setup"

    def test_several_tasks_in_one_poll_end_at_the_last(self):
        tracker = progress.SetupProgress("install")
        position = tracker.observe({}, 600.0, header() + log_of(INSTALL_TASKS[:9]))
        assert (position.index, position.total, position.key) == (10, 15, "transport")
        assert position.text("es") == "Fase 10/15 · Rol de buzón: servicios de transporte"
        assert position.as_dict()["elapsed_seconds"] == 600.0

    def test_the_header_sets_the_plan_an_upgrade_with_schema_and_organization(self):
        tracker = progress.SetupProgress("resume")
        text = header("Upgrade", "BuildToBuildUpgrade", "True", "True")
        text += log_of(("Start-PreConfiguration", "test-SetupPrerequisites", "Install-ExchangeOrganization"))
        position = tracker.observe({"step": "Updating the Active Directory schema"}, 100.0, text)
        assert (position.key, position.index, position.total) == ("schema", 3, 20)
        # The same task goes on to the organization: its component says so.
        text += ("[11/27/2026 12:30:00.0001] [1] Processing component 'Common Global AD Configuration' "
                 "(Creating Exchange configuration objects in Active Directory.).\n")
        position = tracker.observe({"step": "Creating Exchange configuration objects in Active Directory"}, 200.0, text)
        assert (position.key, position.index) == ("organization", 4)
        # An upgrade installs the language files before it removes the old files, and again after the copy.
        text += log_of(("Start-PreConfiguration", "Start-PreFileCopy", "install-MsiPackage", "uninstall-MsiPackage"), 31)
        assert tracker.observe({}, 300.0, text).key == "removing_files"
        text += log_of(("Start-MidFileCopy", "install-msipackage -packagepath 'E:\\exchangeserver.msi'", "install-MsiPackage"), 40)
        position = tracker.observe({}, 400.0, text)
        assert (position.key, position.index) == ("language_files", 11)

    def test_a_stale_description_never_moves_setup_back(self):
        tracker = progress.SetupProgress("install")
        text = header() + log_of(INSTALL_TASKS[:10])
        assert tracker.observe({"step": "Configuring the Mailbox role: Transport service"}, 1.0, text).key == "client_access"
        assert tracker.observe({"step": "Configuring the Mailbox role: Transport service"}, 2.0, text) is None

    def test_an_unknown_task_keeps_the_phase_and_nothing_is_guessed(self):
        tracker = progress.SetupProgress("install")
        assert tracker.observe({}, 1.0, header() + log_of(("Some-UnknownTask",))) is None and tracker.current is None

    def test_a_trimmed_text_does_not_count_a_start_twice(self):
        tracker = progress.SetupProgress("install")
        text = header() + log_of(INSTALL_TASKS[:4])
        assert tracker.observe({}, 1.0, text).key == "copying_files"
        # The follower keeps only the end of a long log: the earlier starts are gone, the later ones are new.
        assert tracker.observe({}, 2.0, launched(INSTALL_TASKS[3], 3)) is None
        assert tracker.observe({}, 3.0, launched(INSTALL_TASKS[3], 3) + launched(INSTALL_TASKS[4], 4)).key == "language_files"


@pytest.mark.parametrize("name, key, index, total", [
    ("ExchangeSetup_ADServiceNotStarted.log", "transport", 10, 15),
    ("ExchangeSetup_MSI_3.log", "copying_files", 8, 18),
    ("ExchangeSetup_Service_Disabled.log", "transport", 13, 18),
    ("ExchangeSetup_InvalidWKObjectException.log", "organization", 4, 20),
    ("ExchangeSetup-PrepareSchema-8245.log", "schema", 2, 2),
    ("ExchangeSetupmsExchangeSecurityGroupsContainerDeleted.log", "organization", 2, 2),
    ("ExchangeSetup_Reboot_Pending.log", "prerequisite_analysis", 1, 2),
])
def test_real_logs(shared_dir: Path, name, key, index, total):
    text = (shared_dir / "fixtures" / "exchange-setup-logs" / name).read_text(encoding="utf-8", errors="replace")
    position = progress.SetupProgress("install").observe(triage(text).get("progress"), 60.0, text)
    assert (position.key, position.index, position.total) == (key, index, total)


class TestLines:
    @pytest.mark.parametrize("seconds, es, en", [(0, "menos de 1 min", "under 1 min"), (59.9, "menos de 1 min", "under 1 min"),
                                                 (23 * 60 + 5, "23 min", "23 min"), (3900, "1 h 05 min", "1 h 05 min")])
    def test_elapsed(self, seconds, es, en):
        assert progress.elapsed_text(seconds, "es") == es and progress.elapsed_text(seconds, "en") == en

    def test_the_line_names_the_host_what_the_phase_and_the_time(self):
        line = progress.progress_line("Fase 5/12 · Rol de buzón: servicios de transporte", 23 * 60, subject="Setup de Exchange",
                                      host="ex01")
        assert line == "ex01 · Setup de Exchange · Fase 5/12 · Rol de buzón: servicios de transporte · 23 min"
        assert progress.progress_line("Copying", 61, language="en") == "Copying · 1 min"

    def test_the_printer_prints_each_phase_once(self):
        printed = []
        printer = progress.ProgressPrinter(printed.append, subject=progress.SETUP_SUBJECT, host="ex01")
        assert printer.phase("copy", "Copiando archivos de Exchange", "Copying Exchange Files", 120.0, index=4, total=15)
        assert printer.phase("copy", "Copiando archivos de Exchange", "Copying Exchange Files", 150.0, index=4, total=15) is None
        # The same phase at another place in the plan (an upgrade's second Language Files) is a new line.
        printer.phase("language_files", "Archivos de idioma", "Language Files", 200.0, index=5, total=20)
        printer.phase("language_files", "Archivos de idioma", "Language Files", 900.0, index=11, total=20)
        printer.phase("own", "Instalando la actualización", "Installing the update", 960.0)  # a caller's own phase, no n/N
        assert printed == ["ex01 · Setup de Exchange · Fase 4/15 · Copiando archivos de Exchange · 2 min",
                           "ex01 · Setup de Exchange · Fase 5/20 · Archivos de idioma · 3 min",
                           "ex01 · Setup de Exchange · Fase 11/20 · Archivos de idioma · 15 min",
                           "ex01 · Setup de Exchange · Instalando la actualización · 16 min"]
        assert printer.lines == printed

    def test_english(self):
        printed = []
        progress.ProgressPrinter(printed.append, language="en", subject=progress.SETUP_SUBJECT).position(
            progress.Position("transport", "Rol de buzón: servicios de transporte", "Mailbox role: Transport service", 10, 15, 1500))
        assert printed == ["Exchange Setup · Phase 10/15 · Mailbox role: Transport service · 25 min"]

    def test_the_end_line_says_the_last_phase_reached(self):
        reached = progress.Position("mailbox", "Rol de buzón: servicio de buzón", "Mailbox role: Mailbox service", 11, 15, 2700)
        assert progress.end_line(False, reached, 2820, subject=progress.SETUP_SUBJECT, host="ex01") == (
            "ex01 · Setup de Exchange · no terminó correctamente; última fase: Fase 11/15 · Rol de buzón: servicio de buzón · 47 min")
        assert progress.end_line(True, reached, 3600, language="en") == "completed successfully · 1 h 00 min"
        assert "antes de su primera fase" in progress.end_line(False, None, 10)

    def test_a_restart_says_when_it_starts_and_when_the_server_is_back(self):
        started, ended = progress.restart_lines("es", 1800, host="ex01")
        assert started == "ex01 · Reinicio del servidor · esperando a que el servidor vuelva (máximo 30 min) · menos de 1 min"
        assert ended(True, 190) == "ex01 · Reinicio del servidor · el servidor volvió · 3 min"
        assert ended(False, 1800) == "ex01 · Reinicio del servidor · el servidor no volvió a tiempo · 30 min"
        assert progress.restart_lines("en", 600)[0] == "Server restart · waiting for the server to come back (at most 10 min) · under 1 min"


def test_the_phase_reached_is_kept_beside_the_report_for_a_controller_that_stops(tmp_path):
    position = progress.Position("mailbox", "Rol de buzón: servicio de buzón", "Mailbox role: Mailbox service", 11, 15, 2700.0)
    assert progress.save_reached(tmp_path, position) is True
    assert progress.load_reached(tmp_path) == position.as_dict()
    assert [path.name for path in tmp_path.iterdir()] == [progress.PROGRESS_FILE]  # no temporary file left
    assert progress.save_reached(None, position) is False and progress.save_reached(tmp_path / "missing", position) is False
    (tmp_path / progress.PROGRESS_FILE).write_text("{not json", encoding="utf-8")
    assert progress.load_reached(tmp_path) is None and progress.load_reached(None) is None
