"""The run lock's decisions (plugins/plugin_utils/_preflight/run_lock.py): who may take a lock, take one over, or must refuse."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import run_lock as lock

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=timezone.utc)
ME = lock.LockRecord(run_id="20261127T180000Z-aaaaaa", controller_host="ansible01", controller_pid=4242,
                     started="2026-11-27T18:00:00Z", technician="Juan Pérez", reference="MEMO-DTI-2026-041")


def holder(**changes) -> lock.LockRecord:
    fields = {"run_id": "20261127T170000Z-bbbbbb", "controller_host": "ansible01", "controller_pid": 1111,
              "started": (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"), "technician": "Ana Gómez", "reference": "MEMO-7"}
    fields.update(changes)
    return lock.LockRecord(**fields)


def judge(found, *, alive=True, break_run_id=None, max_age_hours=12.0):
    return lock.judge(found, ME, now=NOW, max_age_hours=max_age_hours, break_run_id=break_run_id, process_alive=lambda pid: alive)


def test_a_free_server_is_locked():
    assert judge(None).action == lock.ACQUIRE


def test_the_runs_own_lock_is_kept():
    assert judge(ME).action == lock.HELD


def test_a_live_run_on_this_controller_is_never_disturbed():
    verdict = judge(holder(), alive=True)
    assert verdict.action == lock.REFUSE
    assert "20261127T170000Z-bbbbbb" in verdict.message_es and "Ana Gómez" in verdict.message_es
    assert "rpi_exchange_lock_break=20261127T170000Z-bbbbbb" in verdict.message_es
    assert "no se cambió nada" in verdict.message_es
    assert "nothing was changed" in verdict.message("en")


def test_a_lock_whose_process_is_gone_on_this_controller_is_taken_over():
    verdict = judge(holder(), alive=False)
    assert (verdict.action, verdict.reason) == (lock.TAKE_OVER, lock.OWNER_GONE)
    assert "ya no existe" in verdict.message_es


def test_a_dead_process_number_on_another_controller_means_nothing_here():
    assert judge(holder(controller_host="awx-node-2"), alive=False).action == lock.REFUSE


def test_an_old_lock_is_taken_over_whoever_held_it():
    old = holder(controller_host="awx-node-2", started=(NOW - timedelta(hours=13)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    verdict = judge(old)
    assert (verdict.action, verdict.reason) == (lock.TAKE_OVER, lock.EXPIRED)
    assert "rpi_exchange_lock_max_age_hours" in verdict.message_es
    assert judge(old, max_age_hours=14).action == lock.REFUSE


def test_the_technician_breaks_only_the_lock_he_names():
    found = holder(controller_host="awx-node-2")
    verdict = judge(found, break_run_id="20261127T170000Z-bbbbbb")
    assert (verdict.action, verdict.reason) == (lock.TAKE_OVER, lock.BROKEN)
    wrong = judge(found, break_run_id="20261127T160000Z-cccccc")
    assert wrong.action == lock.REFUSE
    assert "rpi_exchange_lock_break vale '20261127T160000Z-cccccc'" in wrong.message_es


def test_record_round_trip():
    assert lock.parse_record(ME.to_text()) == ME
    assert json.loads(ME.to_text())["version"] == lock.RECORD_VERSION


@pytest.mark.parametrize("text", ["", "not json", "[1, 2]", "{\"controller_pid\": \"x\"}"])
def test_an_unreadable_lock_is_still_a_lock(text):
    found = lock.parse_record(text)
    assert found is not None
    assert judge(found, alive=False).action == lock.REFUSE  # no host, no age: only the technician can break it
    assert judge(found, break_run_id=found.run_id).action == lock.TAKE_OVER


def test_no_text_means_no_lock():
    assert lock.parse_record(None) is None


def test_evidence_says_what_happened():
    taken = lock.lock_evidence(lock.Verdict(lock.ACQUIRE), ME, check_mode=False)
    assert (taken["kind"], taken["level"]) == ("check", "ok") and ME.run_id in taken["summary_es"]
    over = judge(holder(), alive=False)
    notice = lock.lock_evidence(over, ME, check_mode=False)
    assert (notice["kind"], notice["level"]) == ("notice", "warning")
    assert notice["details"]["previous_holder"]["run_id"] == "20261127T170000Z-bbbbbb"
    assert lock.lock_evidence(lock.Verdict(lock.ACQUIRE), ME, check_mode=True)["summary_es"].startswith("Simulación")
