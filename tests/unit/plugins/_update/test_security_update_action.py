# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""rpi.exchange.exchange_security_update run in-process against the simulated server (its modules answered by the
simulator's stand-ins, without WinRM): activity 2's check, check mode and the no-op. The install itself, with its
restarts, is end-to-end (tests/integration/test_security_update.py)."""

from __future__ import annotations

import types

from ansible_collections.rpi.exchange.plugins.action import exchange_security_update
from simulator import collection_modules
from simulator.exchange import presets as exchange_presets
from simulator.exchange.updates import PACKAGES, SHARE_UPDATES_DIR, exsetup_build, state_of
from simulator.windows.presets import PASSWORDS
from simulator.windows.testing import Runner

ADMIN = "RPI\\svc-exchange"


def package(key: str, sha256: str | None = None) -> dict:
    found = PACKAGES[key]
    return {"path": f"{SHARE_UPDATES_DIR}\\{found.file_name}", "sha256": sha256 or found.sha256}


def run_action(host, args: dict, check_mode: bool = False) -> dict:
    collection_modules.register_all()
    task = types.SimpleNamespace(args=dict(args), async_val=0, check_mode=check_mode, action="rpi.exchange.exchange_security_update")
    connection = types.SimpleNamespace(_shell=types.SimpleNamespace(tmpdir="C:\\Windows\\Temp\\ansible-tmp"), become=None)
    action = exchange_security_update.ActionModule(task, connection, None, None, None)
    runner = Runner(host)

    def execute_module(module_name, module_args, task_vars=None, **_kwargs):
        return runner.module(module_name, module_args, check=check_mode)

    action._execute_module = execute_module  # pylint: disable=protected-access
    return action.run(task_vars={})


def test_activity_2_refuses_another_cus_update_naming_both_builds():
    host = exchange_presets.exchange_2019_cu15()
    result = run_action(host, {"security_update": package("2019-CU14-Aug26SU"), "state": "inspected",
                               "installed_version": "15.2.1748.10", "media_version": "15.2.1748.10"})
    assert result["failed"] and result["action"] == "refuse"
    assert "2019 CU14 Aug26SU" in result["msg"] and "2019 CU15" in result["msg"] and "antes de cambiar nada" in result["msg"]
    assert result["rpi_report"]["evidence"][0]["level"] == "error"


def test_activity_2_refuses_a_package_whose_hash_differs():
    host = exchange_presets.ready_for_exchange()
    result = run_action(host, {"security_update": package("SE-RTM-Aug26SU", "0" * 64), "state": "inspected",
                               "media_version": "15.2.2562.17"})
    assert result["failed"] and "rpi_exchange_security_update.sha256" in result["msg"]


def test_check_mode_reports_the_update_and_changes_nothing():
    host = exchange_presets.exchange_se()
    result = run_action(host, {"security_update": package("SE-RTM-Aug26SU"), "run_as_user": ADMIN,
                               "run_as_password": PASSWORDS[ADMIN]}, check_mode=True)
    assert result["changed"] and not result.get("failed")
    assert "KB5121573" in result["msg"] and "15.2.2562.17 → 15.2.2562.46" in result["msg"]
    assert result["rpi_report"]["target"]["security_update"]["status"] == "planned"
    assert state_of(host).runs == [] and str(exsetup_build(host)) == "15.2.2562.17"
    assert host.get_task("rpi-exchange-security-update", "\\RPI\\") is None


def test_nothing_to_do_at_the_updates_build():
    host = exchange_presets.exchange_se_updated()
    result = run_action(host, {"security_update": package("SE-RTM-Aug26SU"), "run_as_user": ADMIN,
                               "run_as_password": PASSWORDS[ADMIN]})
    assert not result["changed"] and result["action"] == "nothing" and result["version_after"] == "15.2.2562.46"
    assert len(state_of(host).runs) == 1  # only the preset's own run


def test_no_update_given_is_nothing():
    host = exchange_presets.ready_for_exchange()
    result = run_action(host, {"security_update": {}})
    assert not result["changed"] and result["action"] == "none"
