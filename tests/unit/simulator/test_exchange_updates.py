"""The simulated server's security/hotfix update packages (simulator/exchange/updates.py)."""

from __future__ import annotations

from simulator.exchange import presets
from simulator.exchange.builds import Build
from simulator.exchange.updates import LOG_PATH, PACKAGES, SHARE_UPDATES_DIR, exsetup_build, state_of


def _run(host, key, *, elevated=True):
    package = PACKAGES[key]
    run = presets.setup_run(host, f"{SHARE_UPDATES_DIR}\\{package.file_name}", "/passive /norestart")
    run.elevated = elevated
    return host.run_program(run, wait=True)[0].rc


def test_packages_follow_the_reference_facts():
    aug = PACKAGES["SE-RTM-Aug26SU"]
    assert (aug.kb, str(aug.target), str(aug.produces)) == ("KB5121573", "15.2.2562.17", "15.2.2562.46")
    assert aug.file_name == "ExchangeSE-KB5121573-x64-en.exe" and len(aug.sha256) == 64


def test_an_elevated_run_updates_exsetup_and_leaves_a_restart_pending():
    host = presets.exchange_se()
    assert host.fs.get(f"{SHARE_UPDATES_DIR}\\{PACKAGES['SE-RTM-Aug26SU'].file_name}") is not None
    assert _run(host, "SE-RTM-Aug26SU") == 3010
    assert exsetup_build(host) == Build.parse("15.2.2562.46")
    assert host.pending_reboot()
    assert b"Installation completed successfully" in host.fs.get(LOG_PATH).content
    assert all(svc.start_mode != "disabled" for svc in presets.model_of(host).install.exchange_services())


def test_a_run_without_elevation_leaves_the_old_files_and_breaks_the_web_apps():
    host = presets.exchange_se()
    assert _run(host, "SE-RTM-Aug26SU", elevated=False) == 0
    assert exsetup_build(host) == Build.parse("15.2.2562.17") and state_of(host).web_broken


def test_a_package_for_another_cu_ends_with_1642():
    host = presets.exchange_2019_cu15()
    assert _run(host, "2019-CU14-Aug26SU") == 1642
    assert exsetup_build(host) == Build.parse("15.2.1748.10")


def test_a_stopped_run_leaves_the_services_disabled():
    host = presets.exchange_se()
    state_of(host).stop_half_way = True
    assert _run(host, "SE-RTM-Aug26SU") == 1603
    assert any(svc.start_mode == "disabled" for svc in presets.model_of(host).install.exchange_services())


def test_the_updated_preset_is_at_the_su_build():
    host = presets.exchange_se_updated()
    assert exsetup_build(host) == Build.parse("15.2.2562.46")
    assert _run(host, "SE-RTM-Jul26SU") == 1642
