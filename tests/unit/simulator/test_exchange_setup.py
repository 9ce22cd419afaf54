"""Setup.exe runs on the simulated host: install, upgrade, failures, watermarks, double hop (exchange-facts §1-§6)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from simulator.clock import Clock
from simulator.exchange import presets, verify
from simulator.exchange.faults import REAL_ERRORS
from simulator.exchange.media import MEDIA
from simulator.exchange.model import SETUP_KEY, UNINSTALL_KEY, V15
from simulator.exchange.org import ExchangeOrg
from simulator.exchange.builds import RELEASES
from simulator.exchange.runtime import model_for
from simulator.windows.programs import ProgramResult
from simulator.windows.state import SESSION_MANAGER
from simulator.credentials import LOCAL_WINRM_USER as LOCAL_ADMIN

LIC = "/IAcceptExchangeServerLicenseTerms_DiagnosticDataOFF"
INSTALL = f'{LIC} /Mode:Install /Roles:Mailbox /OrganizationName:"RPI"'
UPGRADE = f"{LIC} /Mode:Upgrade"
LOG = "C:\\ExchangeSetupLogs\\ExchangeSetup.log"
LINE_RE = re.compile(r"^\[\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}\.\d{4}\] \[\d\] ")


def log_text(host) -> str:
    return host.fs.read(LOG).decode("utf-8")


def last_run(host) -> str:
    text = log_text(host)
    return text[text.rfind("Starting Microsoft Exchange Server"):]


def reg(host, key, name):
    return host.registry.get(key, name)


@pytest.fixture(name="cu15_host", scope="module")
def fixture_cu15_host():
    return presets.exchange_2019_cu15()


class TestFreshInstall:
    def test_exit_code_log_and_registry(self, cu15_host):
        host = cu15_host
        text = log_text(host)
        assert "Starting Microsoft Exchange Server 2019 Setup" in text
        assert "The installation mode is set to: 'Install'." in text
        assert text.rstrip().split("\r\n")[-9].endswith("The Exchange Server setup operation completed successfully.")
        assert all(LINE_RE.match(line) for line in text.split("\r\n") if line)
        assert reg(host, SETUP_KEY, "MsiInstallPath") == "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
        assert [reg(host, SETUP_KEY, n) for n in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")] \
            == [15, 2, 1748, 10]
        for key in ("MailboxRole", "HubTransportRole", "ClientAccessRole", "FrontendTransportRole", "CafeRole", "AdminTools"):
            assert reg(host, f"{V15}\\{key}", "ConfiguredVersion") == "15.2.1748.10"
            assert reg(host, f"{V15}\\{key}", "Watermark") is None and reg(host, f"{V15}\\{key}", "Action") is None
        assert reg(host, UNINSTALL_KEY, "DisplayVersion") == "15.2.1748.10"
        assert re.fullmatch(r"\d{8}", reg(host, UNINSTALL_KEY, "InstallDate"))

    def test_environment_files_and_services(self, cu15_host):
        host = cu15_host
        assert host.env["ExchangeInstallPath"] == "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\"
        assert "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\bin" in host.env["PATH"].split(";")
        assert verify.exsetup_version(host) == "15.02.1748.010"
        states = {s["Name"]: s for s in verify.service_states(host)}
        assert states["MSExchangeIS"]["Status"] == "Running" and states["MSExchangeIS"]["StartType"] == "Automatic"
        assert states["MSExchangeIMAP4"]["StartType"] == "Manual" and states["MSExchangeIMAP4"]["Status"] == "Stopped"
        assert "MSExchangeFlighting" in states and "MSExchangeMitigation" in states

    def test_verification_answers(self, cu15_host):
        host = cu15_host
        server = verify.get_exchange_server(host)
        assert server["AdminDisplayVersion"] == "Version 15.2 (Build 1748.10)"
        assert server["IsExchangeTrialEdition"] is True and server["Edition"] == "StandardEvaluation"
        assert {r["State"] for r in verify.get_server_component_state(host)} == {"Active"}
        assert all(r["RequiredServicesRunning"] for r in verify.test_service_health(host))
        for vdir in ("owa", "ecp", "EWS", "Autodiscover", "Microsoft-Server-ActiveSync", "OAB", "mapi", "rpc"):
            status, body = verify.health_check(host, f"/{vdir}/healthcheck.htm")
            assert status == 200 and body.split("<")[0] == "200 OK"
        assert model_for(host).org.data_collection_enabled is False
        assert model_for(host).org.org_object_version == 16763

    def test_restart_required_before_health(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU14", INSTALL) == 0
        assert reg(host, SESSION_MANAGER, "PendingFileRenameOperations")
        assert verify.health_check(host, "owa")[0] == 503
        presets.restart(host)
        assert verify.health_check(host, "owa")[0] == 200
        assert not host.pending_reboot()

    def test_process_visible_while_running_as_scheduled_task(self):
        clock = Clock(speed=0.001)
        host = presets.ready_for_exchange(clock=clock)
        letter = presets.mount_media(host, f"{presets.LOCAL_MEDIA_DIR}\\{MEDIA['SE-RTM'].iso_name}")
        run = presets.setup_run(host, f"{letter}:\\Setup.exe", INSTALL)
        result, proc = host.run_program(run, wait=False)
        assert isinstance(result, ProgramResult) and result.duration_seconds > 3000 and proc is not None
        assert host.find_processes("ExSetup") and host.find_processes("Setup.exe")
        assert "Starting Microsoft Exchange Server Subscription Edition Setup" in log_text(host)
        assert "completed successfully" not in last_run(host)
        second = host.run_program(presets.setup_run(host, f"{letter}:\\Setup.exe", INSTALL), wait=True)[0]
        assert second.rc == 1 and "already running" in second.stdout
        with clock._lock:  # pylint: disable=protected-access  # jump simulated time without the real wait
            clock._offset += timedelta(seconds=result.duration_seconds + 1)  # pylint: disable=protected-access
        host.poll()
        assert not host.find_processes("ExSetup")
        assert "The Exchange Server setup operation completed successfully." in last_run(host)
        assert verify.get_exchange_server(host)["AdminDisplayVersion"] == "Version 15.2 (Build 2562.17)"


class TestUpgrade:
    @pytest.mark.parametrize("start,target,build", [("2019-CU14", "2019-CU15", "15.2.1748.10"),
                                                    ("2019-CU15", "SE-RTM", "15.2.2562.17"),
                                                    ("2019-CU14", "SE-RTM", "15.2.2562.17")])
    def test_upgrade(self, start, target, build):
        host = presets.exchange_installed(start)
        assert presets.run_setup(host, target, UPGRADE) == 0
        text = last_run(host)
        assert "The installation mode is set to: 'BuildToBuildUpgrade'." in text
        assert f"The locally installed version is {RELEASES[start].build}." in text
        assert "Setup will run the task 'uninstall-MsiPackage'" in text  # Removing Exchange Files
        assert reg(host, f"{V15}\\MailboxRole", "ConfiguredVersion") == build
        assert reg(host, UNINSTALL_KEY, "DisplayVersion") == build
        presets.restart(host)
        assert verify.get_exchange_server(host)["AdminDisplayVersion"].endswith(f"{build.split('.', 2)[2]})")
        assert verify.health_check(host, "owa")[0] == 200

    def test_console_of_upgrade(self):
        host = presets.exchange_installed("2019-CU14")
        letter = presets.mount_media(host, f"{presets.LOCAL_MEDIA_DIR}\\{MEDIA['2019-CU15'].iso_name}")
        result = host.run_program(presets.setup_run(host, f"{letter}:\\Setup.exe", UPGRADE), wait=True)[0]
        lines = [line.strip() for line in result.stdout.split("\r\n")]
        steps = [line.rsplit(None, 1)[0].strip() for line in lines if line.endswith("COMPLETED")]
        assert steps[:2] == ["Configuring Prerequisites", "Prerequisite Analysis"]
        assert steps[2] == "Organization Preparation"  # CU14 -> CU15 raises the org objectVersion (§2.6)
        assert steps[3:11] == ["Preparing Setup", "Stopping Services", "Language Files", "Removing Exchange Files",
                               "Preparing Files", "Copying Exchange Files", "Language Files", "Restoring Services"]
        assert lines[0] == "Microsoft Exchange Server 2019 Cumulative Update 15 Unattended Setup"

    @pytest.mark.parametrize("start,target,text", [("2019-CU15", "2019-CU14", "can't downgrade"),
                                                   ("2019-CU15", "2019-CU15", "nothing to upgrade"),
                                                   ("2019-CU13", "SE-RTM", "CU14 or CU15")])
    def test_refused(self, start, target, text):
        host = presets.exchange_installed(start, year=2019)
        assert presets.run_setup(host, target, UPGRADE) == 1
        assert text in last_run(host)
        assert reg(host, f"{V15}\\MailboxRole", "ConfiguredVersion") == str(RELEASES[start].build)

    def test_upgrade_without_install(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 1
        assert "isn't installed on this computer" in last_run(host)

    def test_cu14_to_cu15_without_enterprise_admins(self):
        host = presets.exchange_2019_cu14()
        host.find_account("RPI\\svc-exchange").groups = {"RPI\\Organization Management", "RPI\\Domain Admins"}
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 1
        assert "Failed [Rule:GlobalUpdateRequired]" in last_run(host)


class TestFailures:
    def test_failure_at_step_leaves_watermark_and_error(self):
        host = presets.interrupted_setup()
        mark = reg(host, f"{V15}\\MailboxRole", "Watermark")
        assert re.fullmatch(r"SearchFoundationComponent___[0-9a-f]{32}", mark)
        assert reg(host, f"{V15}\\MailboxRole", "Action") == "Install"
        text = last_run(host)
        assert f"[ERROR-REFERENCE] Id={mark} Component=EXCHANGE14:\\Current\\Release\\Shared\\Datacenter\\Setup" in text
        assert "[ERROR] " + REAL_ERRORS["search_foundation"].message in text
        assert "The Exchange Server setup operation didn't complete.  More details" in text
        assert reg(host, f"{V15}\\MailboxRole", "ConfiguredVersion") is None
        assert reg(host, f"{V15}\\HubTransportRole", "ConfiguredVersion") == "15.2.1748.10"
        assert reg(host, UNINSTALL_KEY, "DisplayVersion") == "15.2.1748.10"  # the MSI ran: only role keys tell

    def test_unattended_rerun_with_watermark_is_refused(self):
        host = presets.interrupted_setup()
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 1
        text = last_run(host)
        assert "Failed [Rule:InstallWatermark]" in text
        assert "Exchange Server installation failed during prereq check." in text

    def test_failed_upgrade_resumes_with_upgrade(self):
        host = presets.exchange_2019_cu14()
        model_for(host).faults.fail_at = REAL_ERRORS["ad_topology"]
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 1
        assert reg(host, f"{V15}\\HubTransportRole", "Action") == "BuildToBuildUpgrade"
        assert re.fullmatch(r"AllADRolesCommonServiceControl___[0-9a-f]{32}", reg(host, f"{V15}\\HubTransportRole", "Watermark"))
        assert {r["Component"]: r["State"] for r in verify.get_server_component_state(host)}["ServerWideOffline"] == "Inactive"
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 0
        assert reg(host, f"{V15}\\HubTransportRole", "Watermark") is None
        assert {r["State"] for r in verify.get_server_component_state(host)} == {"Active"}

    def test_install_from_v15_bin_fails(self):
        host = presets.exchange_2019_cu14()
        bin_setup = "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\Setup.exe"
        assert host.resolve_executable("setup.exe").lower() == bin_setup.lower()  # the PATH copy wins without '.\'
        result = host.run_program(presets.setup_run(host, bin_setup, UPGRADE), wait=True)[0]
        assert result.rc == 1
        text = last_run(host)
        assert "\\V15\\Bin\\ManageScheduledTask.ps1' is not recognized as the name of a cmdlet" in text
        assert "[ERROR-REFERENCE] Id=AllRolesPreFileCopyComponent___" in text
        assert {s["StartType"] for s in verify.service_states(host)} == {"Disabled"}
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 0  # from the media it recovers
        assert verify.service_states(host)[0]["StartType"] != "Disabled"

    def test_disk_full_during_copy(self):
        host = presets.ready_for_exchange()
        model_for(host).faults.disk_full_during_copy = True
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 1
        text = last_run(host)
        assert "failed. Fatal error during installation. Error code is 1603." in text
        assert reg(host, SETUP_KEY, "MsiBuildMajor") is None and not model_for(host).install.watermarks()
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 0  # nothing left behind: a re-run works

    def test_disabled_service_before_cu(self):
        host = presets.exchange_2019_cu14()
        host.get_service("MSExchangeServiceHost").start_mode = "disabled"
        assert presets.run_setup(host, "2019-CU15", UPGRADE) == 1
        assert ("Service 'Microsoft Exchange Service Host (MSExchangeServiceHost)' cannot be started due to the following "
                "error: Cannot start service MSExchangeServiceHost on computer '.'.") in last_run(host)

    def test_slow_step(self):
        host = presets.ready_for_exchange()
        model_for(host).faults.slow("Copying Exchange Files", 3600)
        before = host.now()
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 0
        assert (host.now() - before).total_seconds() > 5400 + 3600

    def test_winrm_restart_kills_a_run_in_the_winrm_shell(self):
        host = presets.ready_for_exchange()
        model_for(host).faults.restart_winrm_at = "Mailbox role: Client Access service"
        boot = host.boot_id()
        rc = presets.run_setup(host, "2019-CU15", INSTALL, via="win_shell", logon_type="interactive")
        assert rc != 0 and host.boot_id() != boot
        text = last_run(host)
        assert "Install-ClientAccessRole" in text and "End of Setup" not in text
        assert reg(host, f"{V15}\\ClientAccessRole", "Action") == "Install"

    def test_winrm_restart_without_updated_config_spares_a_task(self):
        host = presets.ready_for_exchange()
        host.registry.delete_value(r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN", "UpdatedConfig")
        boot = host.boot_id()
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 0
        assert host.boot_id() != boot


class TestIdentity:
    def test_double_hop_is_refused(self):
        host = presets.ready_for_exchange()
        rc = presets.run_setup(host, "2019-CU15", INSTALL, via="win_shell", logon_type="network", network_credentials=False)
        assert rc == 1
        text = last_run(host)
        assert "[ERROR] Setup encountered a problem while validating the state of Active Directory:" in text
        assert "Failed [Rule:AdInitErrorRule]" in text
        assert reg(host, SETUP_KEY, "MsiBuildMajor") is None

    def test_become_works(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", INSTALL, via="win_shell", logon_type="interactive") == 0

    def test_s4u_task_has_no_network_credentials(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", INSTALL, logon_type="s4u", network_credentials=False) == 1
        assert "Failed [Rule:AdInitErrorRule]" in last_run(host)

    def test_local_administrator(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", INSTALL, user="RPI-EXCH01\\Administrator",
                                 via="win_shell", logon_type="interactive") == 1
        assert "Failed [Rule:ComputerNotPartofDomain]" in last_run(host)

    def test_system_lacks_exchange_rights(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", INSTALL, user="SYSTEM") == 1
        text = last_run(host)
        assert "Failed [Rule:SchemaUpdateRequired]" in text and "Failed [Rule:GlobalUpdateRequired]" in text


class TestOtherModes:
    def test_prepare_schema_and_ad(self):
        host = presets.ready_for_exchange()
        org = model_for(host).org
        assert presets.run_setup(host, "SE-RTM", f"{LIC} /PrepareSchema") == 0
        assert org.schema_range_upper == 17003 and not org.exists
        assert presets.run_setup(host, "SE-RTM", f'{LIC} /PrepareAD /OrganizationName:"RPI GT"') == 0
        assert (org.name, org.org_object_version, org.domain_object_version) == ("RPI GT", 16763, 13243)
        assert "Command Line Parameter Name='prepareschema', Value=''." in log_text(host)

    def test_first_install_without_org_name(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", f"{LIC} /Mode:Install /Roles:Mailbox") == 1
        assert "Failed [Rule:OrganizationNameRequired]" in last_run(host)

    def test_recover_server(self):
        host = presets.ready_for_exchange(org=ExchangeOrg.prepared_for(RELEASES["2019-CU15"]))
        from simulator.exchange.org import ServerObject
        from simulator.exchange.steps import MAILBOX_ROLES
        org = model_for(host).org
        org.servers[host.hostname.lower()] = ServerObject(host.hostname, host.fqdn, RELEASES["2019-CU15"].build,
                                                          MAILBOX_ROLES, "C:\\Program Files\\Microsoft\\Exchange Server\\V15\\")
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 1
        assert "Only disaster recovery mode is available" in last_run(host)
        assert presets.run_setup(host, "2019-CU15", f"{LIC} /Mode:RecoverServer /DoNotStartTransport") == 0
        assert "The installation mode is set to: 'DisasterRecovery'." in last_run(host)
        assert host.get_service("MSExchangeTransport").state == "stopped"

    def test_recover_server_needs_same_fqdn(self):
        host = presets.ready_for_exchange(org=ExchangeOrg.prepared_for(RELEASES["2019-CU15"]))
        from simulator.exchange.org import ServerObject
        from simulator.exchange.steps import MAILBOX_ROLES
        model_for(host).org.servers[host.hostname.lower()] = ServerObject(
            host.hostname, f"{host.hostname}.other.example", RELEASES["2019-CU15"].build, MAILBOX_ROLES, "C:\\X\\")
        assert presets.run_setup(host, "2019-CU15", f"{LIC} /Mode:RecoverServer") == 1
        assert "same FQDN" in last_run(host)

    def test_install_windows_components(self):
        host = presets.ready_for_exchange()
        host.remove_features(["Web-Dyn-Compression", "Web-Http-Tracing"])
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 1
        assert "Failed [Rule:WindowsFeatureWebDynCompressionNotInstalled]" in last_run(host)
        assert presets.run_setup(host, "2019-CU15", f"{INSTALL} /InstallWindowsComponents") == 0
        assert host.feature_installed("Web-Dyn-Compression") and host.feature_installed("Web-Http-Tracing")

    def test_management_tools(self):
        host = presets.ready_for_exchange(org=ExchangeOrg.prepared_for(RELEASES["2019-CU15"]))
        assert presets.run_setup(host, "2019-CU15", f"{LIC} /Role:ManagementTools") == 0
        assert reg(host, f"{V15}\\AdminTools", "ConfiguredVersion") == "15.2.1748.10"
        assert reg(host, f"{V15}\\MailboxRole", "ConfiguredVersion") is None

    def test_uninstall_is_reported_as_not_modelled(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", f"{LIC} /Mode:Uninstall") == 1
        assert any("does not model" in d for d in host.diagnostics)


EDGE = f"{LIC} /Mode:Install /Roles:EdgeTransport"
EDGE_SERVICES = ("ADAM_MSExchange", "MSExchangeEdgeCredential", "MSExchangeTransport", "MSExchangeAntispamUpdate",
                 "MSExchangeDiagnostics", "MSExchangeHM", "MSExchangeHMRecovery", "MSExchangeServiceHost",
                 "MSExchangeTransportLogSearch")


def edge_host():
    """The Edge preset (a workgroup server with the RPI's DNS suffix) with AD LDS installed, as activity 2 leaves it."""
    host = presets.edge_workgroup()
    host.install_features(["ADLDS"])
    return host


class TestEdgeTransport:
    """/Roles:EdgeTransport (exchange-facts §1.2, §2.4, §3.2, §5.2 [S1 install-edge-transport-role, S6 services-overview])."""

    def test_installs_the_edge_role_its_services_and_an_ad_lds_server_object(self):
        host = edge_host()
        assert presets.run_setup(host, "SE-RTM", EDGE, user=LOCAL_ADMIN) == 0
        model = model_for(host)
        assert reg(host, f"{V15}\\EdgeTransportRole", "ConfiguredVersion") == str(RELEASES["SE-RTM"].build)
        assert reg(host, f"{V15}\\AdminTools", "ConfiguredVersion") and reg(host, f"{V15}\\MailboxRole", "ConfiguredVersion") is None
        for name in EDGE_SERVICES:
            assert host.get_service(name) is not None and host.get_service(name).state == "running", name
            assert "MSExchangeADTopology" not in host.get_service(name).dependencies, name
        for name in ("MSExchangeADTopology", "MSExchangeIS", "MSExchangeFrontEndTransport", "MSExchangeEdgeSync"):
            assert host.get_service(name) is None, name
        # No AD preparation, no organisation, no database; its server object is in AD LDS, not in the forest.
        assert not model.org.exists and model.org.server(host.hostname) is None and not model.database_name
        assert model.edge_server is not None and model.local_server() is model.edge_server
        text = last_run(host)
        assert "Install-GatewayRole" in text and "Setup is choosing the domain controller" not in text
        assert "Install-ExchangeOrganization" not in text and "The Exchange Server setup operation completed successfully." in text

    def test_verification_answers_are_the_edges(self):
        host = edge_host()
        assert presets.run_setup(host, "SE-RTM", EDGE, user=LOCAL_ADMIN) == 0
        presets.restart(host)
        server = verify.get_exchange_server(host)
        assert server["ServerRole"] == "Edge" and server["IsEdgeServer"] and not server["IsMailboxServer"]
        rows = verify.test_service_health(host)
        assert [row["Role"] for row in rows] == ["Edge Transport Server Role"] and rows[0]["RequiredServicesRunning"]
        assert {row["Component"] for row in verify.get_server_component_state(host)} >= {"ServerWideOffline", "EdgeTransport"}
        assert verify.set_product_key(host, "RPI00-DEMO0-STAND-ARD00-0KEY1") == []  # no Information Store to restart
        assert verify.get_exchange_server(host)["Edition"] == "Standard"

    def test_needs_ad_lds(self):
        host = presets.edge_workgroup()
        assert presets.run_setup(host, "SE-RTM", EDGE, user=LOCAL_ADMIN) == 1
        assert "Failed [Rule:WindowsFeatureAdldsNotInstalled]" in last_run(host)

    def test_not_on_a_mailbox_server(self):
        host = presets.exchange_installed("2019-CU15")
        assert presets.run_setup(host, "2019-CU15", EDGE) == 1
        assert "can't be installed on a computer that has the Mailbox server role" in last_run(host)

    def test_unknown_switch_in_the_log(self):
        host = presets.ready_for_exchange()
        assert presets.run_setup(host, "2019-CU15", f"{INSTALL} /ProductKey:AAAAA-BBBBB-CCCCC-DDDDD-EEEEE") == 1
        text = last_run(host)
        assert "[ERROR] The parameter '/ProductKey' isn't valid." in text and "End of Setup" in text

    def test_prereq_failure_through_a_run(self):
        host = presets.ready_for_exchange(prerequisites=False)
        assert presets.run_setup(host, "2019-CU15", INSTALL) == 1
        text = last_run(host)
        for rule in ("UcmaRedistMsi", "VC2013RedistDependencyRequirement", "IISURLRewriteNotInstalled"):
            assert f"Failed [Rule:{rule}]" in text
            assert f"Help URL: http://technet.microsoft.com/library(EXCHG.150)/ms.exch.setupreadiness.{rule}.aspx" in text

    def test_log_appends_across_runs(self):
        host = presets.ready_for_exchange()
        presets.run_setup(host, "2019-CU15", f"{LIC} /Mode:Install /Roles:Mailbox")
        presets.run_setup(host, "2019-CU15", INSTALL)
        assert log_text(host).count("Starting Microsoft Exchange Server 2019 Setup") == 2

    def test_ws2025_needs_cu15(self):
        from simulator.windows import presets as windows_presets
        host = windows_presets.windows_server(2025)
        presets.place_media(host)
        presets.model_of(host)
        assert presets.run_setup(host, "2019-CU14", INSTALL) == 1
        assert "Failed [Rule:ValidOSVersion]" in last_run(host)
