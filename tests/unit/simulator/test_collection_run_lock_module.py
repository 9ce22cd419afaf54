"""Emulation of rpi.exchange.win_exchange_run_lock (simulator/collection_modules/win_exchange_run_lock.py)."""

from __future__ import annotations

import json

import pytest

from simulator import collection_modules, presets
from simulator.windows.testing import Runner

MODULE = "rpi.exchange.win_exchange_run_lock"
PATH = "C:\\ProgramData\\RPI\\rpi-exchange\\run.lock"


@pytest.fixture(autouse=True)
def _registered() -> None:
    collection_modules.register_all()


def record(run_id: str) -> str:
    return json.dumps({"run_id": run_id, "controller_host": "ansible01", "controller_pid": 1, "started": "2026-11-27T18:00:00Z"})


def acquire(runner: Runner, run_id: str, **extra):
    return runner.module(MODULE, {"state": "acquired", "run_id": run_id, "record": record(run_id), **extra})


def test_first_run_creates_the_lock_and_second_is_told_who_holds_it():
    host = presets.build("ws2022-bare")
    runner = Runner(host)
    first = acquire(runner, "run-a")
    assert first["acquired"] and first["changed"] and first["holder"] is None
    assert json.loads(host.fs.read(PATH))["run_id"] == "run-a"
    second = acquire(runner, "run-b")
    assert not second["acquired"] and not second["changed"]
    assert json.loads(second["holder"])["run_id"] == "run-a"
    again = acquire(runner, "run-a")
    assert again["acquired"] and not again["changed"]


def test_take_over_only_the_lock_judged_left_behind():
    host = presets.build("ws2022-bare")
    runner = Runner(host)
    acquire(runner, "run-a")
    assert not acquire(runner, "run-c", replace_run_id="run-b")["acquired"]
    taken = acquire(runner, "run-c", replace_run_id="run-a")
    assert taken["acquired"] and json.loads(host.fs.read(PATH))["run_id"] == "run-c"


def test_release_deletes_only_the_runs_own_lock_and_the_folders_it_made():
    host = presets.build("ws2022-bare")
    runner = Runner(host)
    had_rpi_folder = host.fs.exists("C:\\ProgramData\\RPI")
    acquire(runner, "run-a")
    assert not runner.module(MODULE, {"state": "released", "run_id": "run-b"})["released"]
    assert host.fs.exists(PATH)
    released = runner.module(MODULE, {"state": "released", "run_id": "run-a"})
    assert released["released"] and released["changed"]
    assert not host.fs.exists(PATH) and not host.fs.exists("C:\\ProgramData\\RPI\\rpi-exchange")
    assert host.fs.exists("C:\\ProgramData\\RPI") == had_rpi_folder
    assert host.fs.exists("C:\\ProgramData")


def test_check_mode_reads_only():
    host = presets.build("ws2022-bare")
    result = Runner(host).module(MODULE, {"state": "acquired", "run_id": "run-a", "record": record("run-a")}, check=True)
    assert not result["acquired"] and not result["changed"] and not host.fs.exists(PATH)


def test_missing_record_is_an_error():
    result = Runner(presets.build("ws2022-bare")).module(MODULE, {"state": "acquired", "run_id": "run-a"})
    assert result.get("failed")


def test_the_default_lock_is_in_programdata_on_the_system_drive():
    # %ProgramData% follows Windows (here on D:); Ansible.Basic's `path` type expands it on the server (issue 14, item 3's class).
    host = presets.build("ws2022-ready-windows-on-d")
    answer = Runner(host).module(MODULE, {"state": "acquired", "run_id": "r1", "record": '{"run_id": "r1"}'})
    assert answer["acquired"] and answer["path"] == "D:\\ProgramData\\RPI\\rpi-exchange\\run.lock"
    assert host.fs.is_file("D:\\ProgramData\\RPI\\rpi-exchange\\run.lock")
