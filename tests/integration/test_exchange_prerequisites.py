"""rpi.exchange.exchange_prerequisites through the real WinRM path against simulator presets.

Every claim of the module is checked against the simulated server's own state (`simulator.host`), and the
WinRM traffic against its request log.
"""

from __future__ import annotations

import json

from simulator.exchange.media import MEDIA
from simulator.exchange.presets import LOCAL_MEDIA_DIR
from simulator.windows.presets import LOCAL_PREREQ_DIR, SHARE_PREREQ_DIR
from simulator.windows.state import PENDING_FILE_RENAME

PLAYBOOK = "tests/integration/playbooks/exchange_prerequisites.yml"
SE = "15.2.2562.17"
CU15 = "15.2.1748.10"
# Microsoft's Mailbox feature list for Desktop Experience (exchange-facts §2.4), as the simulator knows it.
MAILBOX_FEATURES = ("Server-Media-Foundation", "NET-WCF-HTTP-Activation45", "RPC-over-HTTP-proxy", "RSAT-Clustering-Mgmt",
                    "Web-Server", "Web-Mgmt-Console", "Windows-Identity-Foundation", "RSAT-ADDS")
SOFTWARE = ("vcredist2012", "vcredist2013", "ucma4", "urlrewrite")


def run(simulator, ansible_playbook, tmp_path, *args, name="result", **extra):
    output = tmp_path / f"{name}.json"
    simulator.server.log.clear()
    played = ansible_playbook(PLAYBOOK, simulator.inventory_path, *args, extra_vars=dict(extra, prerequisites_output=str(output)))
    result = json.loads(output.read_text()) if output.is_file() else {}
    return result, played, simulator.server.log.summary()


def task_status(played, task="Install the prerequisites"):
    """How the task ended as ansible-playbook printed it ("ok", "changed", "fatal"...)."""
    lines = played.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"TASK [{task}]"))
    return next(line.split(":", 1)[0] for line in lines[start + 1:] if line.strip())


def state(host):
    """What a run could change on the server."""
    return {
        "features": sorted(host.features.installed | host.features.install_pending),
        "products": sorted(host.products),
        "reboots": host.reboot_count,
        "pending": host.pending_reboot(),
        "boot_time": host.boot_time,
        "processes": len(host.processes),
    }


def test_fresh_ws2022_installs_everything_reboots_once_then_nothing(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-bare")
    host = simulator.host
    result, played, log = run(simulator, ansible_playbook, tmp_path,
                              prerequisites={"exchange_version": SE, "source": LOCAL_PREREQ_DIR})
    assert played.rc == 0, played.output
    assert result["changed"] is True and result["missing_after"] == [] and result["reboot_required"] is False
    keys = [item["key"] for item in result["installed"]]
    assert keys[-5:] == ["dotnet481", "vcredist2012", "vcredist2013", "ucma4", "urlrewrite21"]
    assert set(MAILBOX_FEATURES) <= set(keys)
    # One restart, after installing: .NET 4.8.1 exits 3010 and Media Foundation needs a restart.
    assert result["reboots"] == {"count": 1, "reasons": ["after_install"]}
    dotnet = next(item for item in result["installed"] if item["key"] == "dotnet481")
    assert dotnet["rc"] == 3010 and dotnet["reboot_required"] is True
    # The server's own state, not the module's claims.
    assert host.reboot_count == 1 and host.pending_reboot() == []
    # Issue 18: the restart is said on the console without -v, when it starts and when the server is back.
    restart = [line for line in played.stdout.splitlines() if " · Reinicio del servidor · " in line]
    assert len(restart) == 2, played.stdout
    assert "esperando a que el servidor vuelva (máximo " in restart[0] and "el servidor volvió" in restart[1]
    assert all(host.feature_state(name) == "Installed" for name in MAILBOX_FEATURES)
    assert all(host.product_installed(key) for key in (*SOFTWARE, "dotnet481"))
    assert host.registry.get(r"HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full", "Release") >= 533320
    # WinRM: one probe before, one after; one win_feature; one win_stat and one win_package per installer.
    executions = log["executions"]
    assert executions["rpi.exchange.win_exchange_probe"] == 2 and executions["ansible.windows.win_feature"] == 1
    assert executions["ansible.windows.win_package"] == 5 and executions["ansible.windows.win_stat"] == 5
    kinds = [item["kind"] for item in result["rpi_report"]["evidence"]]
    assert "reboot" in kinds and kinds.count("change") == 6 and kinds[-1] == "check"
    print("full run:", log)

    again, played, log = run(simulator, ansible_playbook, tmp_path, name="again",
                             prerequisites={"exchange_version": SE, "source": LOCAL_PREREQ_DIR})
    assert played.rc == 0, played.output
    assert again["changed"] is False and again["installed"] == [] and again["reboots"]["count"] == 0
    assert task_status(played) == "ok"
    assert host.reboot_count == 1
    assert log["executions"] == {"rpi.exchange.win_exchange_probe": 1}
    print("no-op re-run:", log)


def test_server_core_2019_takes_ucma_from_the_media(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2019-core-bare")
    host = simulator.host
    image = MEDIA["2019-CU15"]
    result, played, _log = run(simulator, ansible_playbook, tmp_path, prerequisites={"source": LOCAL_PREREQ_DIR},
                               media={"iso": f"{LOCAL_MEDIA_DIR}\\{image.iso_name}", "sha256": image.sha256})
    assert played.rc == 0, played.output
    installed = {item["key"]: item for item in result["installed"]}
    assert installed["ucma4"]["path"] == "E:\\UCMARedist\\Setup.exe" and installed["ucma4"]["origin"] == "media"
    # Exchange 2019 CU15 on Windows Server 2019: .NET 4.8, never 4.8.1.
    assert "dotnet48" in installed and "dotnet481" not in installed
    assert host.product_installed("dotnet48") and not host.product_installed("dotnet481")
    assert host.product_installed("ucma4")
    assert "Web-Mgmt-Console" not in installed and host.feature_state("Server-Media-Foundation") == "Installed"
    assert result["reboots"]["count"] == 1 and host.reboot_count == 1 and result["missing_after"] == []


def test_share_only_source_without_restarting(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-bare-share-only")
    result, played, _log = run(simulator, ansible_playbook, tmp_path,
                               prerequisites={"exchange_version": SE, "source": SHARE_PREREQ_DIR, "dotnet": "minimum", "reboot": False})
    assert played.rc == 0, played.output
    assert all(item["path"].startswith(SHARE_PREREQ_DIR) for item in result["installed"] if item["type"] == "software")
    # dotnet=minimum keeps Windows Server 2022's in-box .NET 4.8.
    assert "dotnet481" not in [item["key"] for item in result["installed"]]
    assert all(simulator.host.product_installed(key) for key in SOFTWARE)
    # Media Foundation needs a restart; with reboot=false it is reported, not taken.
    assert result["reboots"] == {"count": 0, "reasons": []} and result["reboot_required"] is True
    assert simulator.host.reboot_count == 0 and simulator.host.pending_reboot()
    assert result["missing_after"] == [] and "Falta reiniciar" in result["msg"]


def test_missing_installer_is_refused_before_any_change(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-bare-share-only")
    before = state(simulator.host)
    result, played, log = run(simulator, ansible_playbook, tmp_path, expect_failure=True,
                              prerequisites={"exchange_version": SE, "source": LOCAL_PREREQ_DIR})
    assert played.rc == 0, played.output
    assert result["failed"] is True and result["changed"] is False
    assert "NDP481-x86-x64-AllOS-ENU.exe" in result["msg"] and LOCAL_PREREQ_DIR in result["msg"] and "'source'" in result["msg"]
    assert result["msg"].startswith("Prerrequisitos no instalados")
    assert {problem["code"] for problem in result["problems"]} == {"installer_missing"}
    assert len(result["problems"]) == 5
    assert state(simulator.host) == before
    assert set(log["executions"]) == {"rpi.exchange.win_exchange_probe", "ansible.windows.win_stat"}


def test_pending_reboot_is_taken_first(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-ready-pending-reboot-cbs")
    assert simulator.host.pending_reboot()
    result, played, _log = run(simulator, ansible_playbook, tmp_path, prerequisites={"exchange_version": SE, "language": "en"})
    assert played.rc == 0, played.output
    assert result["reboots"] == {"count": 1, "reasons": ["pending_before_start"]}
    assert result["changed"] is True and result["installed"] == [] and result["missing_after"] == []
    assert simulator.host.reboot_count == 1 and simulator.host.pending_reboot() == []
    assert result["msg"] == "Every prerequisite was already present. Restarts: 1."


def test_pending_reboot_then_install(simulator_factory, ansible_playbook, tmp_path):
    """A bare server with a restart pending: restart first, install, restart once more."""
    simulator = simulator_factory("ws2022-bare")
    simulator.host.set_pending_reboot(PENDING_FILE_RENAME)
    result, played, _log = run(simulator, ansible_playbook, tmp_path,
                               prerequisites={"exchange_version": SE, "source": LOCAL_PREREQ_DIR})
    assert played.rc == 0, played.output
    assert result["reboots"] == {"count": 2, "reasons": ["pending_before_start", "after_install"]}
    assert simulator.host.reboot_count == 2 and result["missing_after"] == []


def test_check_mode_changes_nothing(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2022-bare")
    before = state(simulator.host)
    result, played, log = run(simulator, ansible_playbook, tmp_path, "--check",
                              prerequisites={"exchange_version": SE, "source": LOCAL_PREREQ_DIR})
    assert played.rc == 0, played.output
    assert state(simulator.host) == before
    assert result["changed"] is True
    assert [item["key"] for item in result["installed"]][-5:] == ["dotnet481", "vcredist2012", "vcredist2013", "ucma4", "urlrewrite21"]
    assert result["reboots"] == {"count": 1, "reasons": ["after_install"]}
    assert "reinicio: sí" in result["msg"]
    assert "ansible.windows.win_package" not in log["executions"]
    assert [item["kind"] for item in result["rpi_report"]["evidence"]] == ["check", "plan"]


def test_check_mode_on_server_core_with_the_media(simulator_factory, ansible_playbook, tmp_path):
    """The whole plan in check mode: the media is read without staying mounted, UCMA is planned from it."""
    simulator = simulator_factory("ws2019-core-bare")
    before = state(simulator.host)
    image = MEDIA["2019-CU15"]
    result, played, _log = run(simulator, ansible_playbook, tmp_path, "--check", prerequisites={"source": LOCAL_PREREQ_DIR},
                               media={"iso": f"{LOCAL_MEDIA_DIR}\\{image.iso_name}", "sha256": image.sha256})
    assert played.rc == 0, played.output
    installed = {item["key"]: item for item in result["installed"]}
    assert installed["ucma4"]["path"] == "E:\\UCMARedist\\Setup.exe" and "dotnet48" in installed
    assert any("UCMARedist" in warning for warning in result["warnings"])
    assert state(simulator.host) == before and simulator.host.mounted_images == {}


def test_unsupported_os_is_refused(simulator_factory, ansible_playbook, tmp_path):
    simulator = simulator_factory("ws2025-bare")
    result, played, log = run(simulator, ansible_playbook, tmp_path, expect_failure=True,
                              prerequisites={"exchange_version": "15.2.1544.4", "source": LOCAL_PREREQ_DIR, "language": "en"})
    assert played.rc == 0, played.output
    assert result["failed"] is True and "not supported on Windows Server 2025" in result["msg"]
    assert log["executions"] == {"rpi.exchange.win_exchange_probe": 1}
