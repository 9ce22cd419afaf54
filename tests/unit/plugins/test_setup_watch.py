"""The watch of a detached setup run: back-off, progress, lost connections, and when it stops (no server needed)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils import setup_watch as watch
from ansible_collections.rpi.exchange.plugins.plugin_utils.setup_runner import SCHED_S_TASK_HAS_NOT_RUN, SCHED_S_TASK_RUNNING

BANNER = ("[11/27/2026 11:44:54.0623] [0] **********************************************\n"
          "[11/27/2026 11:44:54.0623] [0] Starting Microsoft Exchange Server 2019 Setup\n"
          "[11/27/2026 11:44:54.0623] [0] **********************************************\n"
          "[11/27/2026 11:44:54.0623] [0] Setup version: 15.2.1748.10.\n"
          "[11/27/2026 11:44:54.0623] [0] Command Line Parameter Name='mode', Value='Install'.\n")


def task_lines(name: str, minute: int) -> str:
    return (f"[11/27/2026 12:{minute:02d}:25.0473] [0] Setup will run the task '{name}'\n"
            f"[11/27/2026 12:{minute:02d}:25.0473] [1] Setup launched task '{name} -DomainController 'DC01''\n"
            f"[11/27/2026 12:{minute:02d}:25.0473] [1] Beginning processing {name}\n")


SUCCESS = ("[11/27/2026 13:22:55.0473] [0] The Exchange Server setup operation completed successfully.\n"
           "[11/27/2026 13:22:55.0473] [0] End of Setup\n")


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def probe(running: bool, tail: str = "", size: int | None = None) -> dict:
    return {"exchange": {"setup_processes": [{"name": "ExSetup.exe", "pid": 4}] if running else []},
            "setup_log": {"exists": bool(tail), "size_bytes": len(tail) if size is None else size, "tail": tail}}


def stat(status: str, result: int) -> dict:
    return {"task_exists": True, "state": {"status": status, "last_task_result": result, "last_run_time": "2026-11-27T11:00:00"},
            "actions": [{"Path": "E:\\Setup.exe", "Arguments": "/Mode:Install"}], "principal": {"user_id": "RPI\\svc-exchange"}}


def scripted(answers):
    """A callable returning (or raising) the next scripted answer; the last one repeats."""
    calls = []

    def call():
        calls.append(1)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, BaseException):
            raise answer
        return answer
    call.calls = calls
    return call


def watcher(probe_answers, stat_answers, clock=None, *, timeout=3600.0, poll_interval=10.0, mark=None, **kwargs):
    clock = clock or FakeClock()
    resets = []
    retrier = watch.Retrier(lambda: resets.append(1), clock=clock, sleep=clock.sleep)
    progress = []
    item = watch.SetupWatcher(scripted(probe_answers), scripted(stat_answers), retrier, log_mark=mark, started_at=clock(),
                              timeout=timeout, poll_interval=poll_interval, clock=clock, sleep=clock.sleep,
                              on_progress=progress.append, **kwargs)
    return item, clock, resets, progress


class TestBackoff:
    def test_grows_by_half_up_to_the_poll_interval(self):
        backoff = watch.Backoff(2.0, 10.0)
        assert [backoff.next() for _wait in range(7)] == [2.0, 3.0, 4.5, 6.75, 10.0, 10.0, 10.0]
        backoff.reset()
        assert backoff.next() == 2.0

    def test_a_short_poll_interval_caps_the_first_wait(self):
        backoff = watch.Backoff(2.0, 0.5)
        assert [backoff.next() for _wait in range(3)] == [0.5, 0.5, 0.5]

    def test_refuses_a_zero_interval(self):
        with pytest.raises(ValueError):
            watch.Backoff(2.0, 0)


def test_poll_probe_arguments_skip_the_slow_lookups():
    arguments = watch.poll_probe_arguments("Mailbox", 4096)
    assert arguments["feature_names"] == [] and arguments["registry_keys"] == [] and arguments["uninstall_display_names"] == []
    assert arguments["setup_log_tail_bytes"] == 4096


class TestLogMark:
    def test_a_grown_log_is_a_new_run(self):
        mark = watch.LogMark(True, 1000, "2026-11-27T10:00:00")
        assert mark.is_new({"setup_log": {"exists": True, "size_bytes": 1200}}, None)
        assert not mark.is_new({"setup_log": {"exists": True, "size_bytes": 1000}}, {"last_run_started": "2026-11-27T10:00:00"})
        assert not mark.is_new({"setup_log": {"exists": False}}, None)

    def test_a_replaced_log_with_another_run_is_new(self):
        mark = watch.LogMark(True, 5000, "2026-11-27T10:00:00")
        assert mark.is_new({"setup_log": {"exists": True, "size_bytes": 300}}, {"last_run_started": "2026-11-27T12:00:00"})

    def test_of_facts(self):
        facts = {"setup_log": {"exists": True, "size_bytes": 42, "last_run": {"last_run_started": "2026-11-27T10:00:00"}}}
        assert watch.LogMark.of(facts) == watch.LogMark(True, 42, "2026-11-27T10:00:00")
        assert watch.LogMark.of(None) == watch.LogMark()


class TestProgressTracker:
    def test_one_milestone_per_change(self):
        tracker = watch.ProgressTracker()
        first = {"progress": {"phase": "configuration", "step": None, "task": "install-msipackage"}, "last_entry_time": "x"}
        assert tracker.update(first, 10.0).task == "install-msipackage"
        assert tracker.update(first, 20.0) is None
        assert tracker.update({"progress": {"phase": None, "step": None, "task": None}}, 25.0) is None
        assert tracker.update({"progress": {"phase": "configuration", "task": "Install-MailboxRole"}}, 30.0).label == "Install-MailboxRole"
        assert [item.task for item in tracker.milestones] == ["install-msipackage", "Install-MailboxRole"]

    def test_keeps_the_first_and_the_latest_within_its_limit(self):
        tracker = watch.ProgressTracker(limit=3)
        for number in range(6):
            tracker.update({"progress": {"phase": "configuration", "task": f"T{number}"}}, float(number))
        assert [item.task for item in tracker.milestones] == ["T0", "T4", "T5"]

    def test_text_in_both_languages(self):
        milestone = watch.Milestone(3725.0, "configuration", None, "Install-MailboxRole", "2026-11-27T12:54:55")
        assert milestone.text("es") == "Setup, 1:02:05 transcurrido: configuración - Install-MailboxRole (2026-11-27 12:54:55)"
        assert milestone.text("en").startswith("Setup, 1:02:05 elapsed: configuration - Install-MailboxRole")


class TestRetrier:
    def test_a_lost_connection_is_reset_and_retried(self):
        clock = FakeClock()
        resets, seen = [], []
        retrier = watch.Retrier(lambda: resets.append(1), clock=clock, sleep=clock.sleep,
                                on_interruption=lambda what, problem: seen.append((what, problem)))
        call = scripted([ConnectionError("reset by peer"), {"unreachable": True, "msg": "winrm down"}, {"ok": 1}])
        assert retrier.call(call, "probe") == {"ok": 1}
        assert len(resets) == 2 and [entry[0] for entry in seen] == ["probe", "probe"]
        assert "ConnectionError: reset by peer" in retrier.interruptions[0]["error"]
        assert retrier.interruptions[1]["error"] == "winrm down"
        assert clock.sleeps == [1.0, 2.0]

    def test_a_reset_that_fails_does_not_stop_the_retries(self):
        clock = FakeClock()

        def reset():
            raise OSError("connection refused")
        retrier = watch.Retrier(reset, clock=clock, sleep=clock.sleep)
        assert retrier.call(scripted([OSError("down"), {"ok": 1}]), "probe") == {"ok": 1}

    def test_gives_up_at_the_deadline(self):
        clock = FakeClock()
        retrier = watch.Retrier(lambda: None, clock=clock, sleep=clock.sleep, deadline=clock() + 30)
        with pytest.raises(watch.GaveUp) as raised:
            retrier.call(scripted([OSError("down")]), "probe")
        assert raised.value.reason == watch.TIMED_OUT
        assert clock() <= 1000 + 30 + 1e-9

    def test_gives_up_after_too_long_without_an_answer(self):
        clock = FakeClock()
        retrier = watch.Retrier(lambda: None, clock=clock, sleep=clock.sleep, max_unreachable=60, max_wait=10)
        with pytest.raises(watch.GaveUp) as raised:
            retrier.call(scripted([OSError("down")]), "probe")
        assert raised.value.reason == watch.UNREACHABLE

    def test_a_failing_module_is_retried_a_few_times_only(self):
        clock = FakeClock()
        retrier = watch.Retrier(lambda: None, clock=clock, sleep=clock.sleep, max_failed=3)
        call = scripted([{"failed": True, "msg": "probe broke"}])
        with pytest.raises(watch.GaveUp) as raised:
            retrier.call(call, "probe")
        assert raised.value.reason == watch.CALL_FAILED and len(call.calls) == 3
        assert retrier.call(scripted([{"failed": True, "msg": "x"}]), "register", retry_failed=False)["failed"] is True


class TestSetupWatcher:
    def test_watches_progress_to_the_end(self):
        tails = [BANNER + task_lines("Start-PreFileCopy", 1),
                 BANNER + task_lines("Start-PreFileCopy", 1) + task_lines("install-msipackage", 3),
                 BANNER + task_lines("Start-PreFileCopy", 1) + task_lines("install-msipackage", 3) + SUCCESS]
        probes = [probe(True, tails[0]), probe(True, tails[1]), probe(False, tails[2])]
        item, clock, resets, progress = watcher(probes, [stat("TASK_STATE_READY", 0)])
        result = item.watch()
        assert result.status == watch.FINISHED and result.polls == 3
        assert result.task.last_result == 0 and result.task.finished
        assert [milestone.task for milestone in progress] == ["Start-PreFileCopy", "install-msipackage"]
        assert result.run_triage["outcome"] == "succeeded"
        assert clock.sleeps == [2.0, 3.0, 4.5]
        assert result.detection_window_seconds == pytest.approx(4.5)
        assert resets == []

    def test_the_end_is_seen_within_one_poll_interval(self):
        running = [probe(True, BANNER)] * 30
        item, clock = watcher(running + [probe(False, BANNER + SUCCESS)], [stat("TASK_STATE_READY", 0)])[:2]
        result = item.watch()
        assert result.status == watch.FINISHED
        assert max(clock.sleeps) == 10.0 and result.detection_window_seconds <= 10.0

    def test_survives_a_lost_connection(self):
        probes = [probe(True, BANNER), OSError("connection reset"), OSError("refused"), probe(False, BANNER + SUCCESS)]
        item, resets = watcher(probes, [stat("TASK_STATE_READY", 0)])[0:3:2]
        result = item.watch()
        assert result.status == watch.FINISHED and len(resets) == 2 and len(result.interruptions) == 2

    def test_setup_between_processes_keeps_the_watch_going(self):
        probes = [probe(False, BANNER), probe(True, BANNER), probe(False, BANNER + SUCCESS)]
        stats = [stat("TASK_STATE_RUNNING", SCHED_S_TASK_RUNNING), stat("TASK_STATE_READY", 0)]
        result = watcher(probes, stats)[0].watch()
        assert result.status == watch.FINISHED and result.polls == 3

    def test_a_task_that_never_starts(self):
        item = watcher([probe(False)], [stat("TASK_STATE_READY", SCHED_S_TASK_HAS_NOT_RUN)], start_grace=20.0)[0]
        result = item.watch()
        assert result.status == watch.NOT_STARTED and result.task.last_result == SCHED_S_TASK_HAS_NOT_RUN

    def test_a_task_that_vanished(self):
        result = watcher([probe(False)], [{"task_exists": False}])[0].watch()
        assert result.status == watch.TASK_VANISHED

    def test_times_out_while_setup_runs(self):
        item, clock = watcher([probe(True, BANNER)], [], timeout=60.0)[:2]
        result = item.watch()
        assert result.status == watch.TIMED_OUT
        assert clock() == pytest.approx(1060.0)

    def test_an_unreachable_server_ends_the_watch(self):
        item = watcher([OSError("down")], [], timeout=7200.0)[0]
        item.retrier.max_unreachable = 300
        result = item.watch()
        assert result.status == watch.UNREACHABLE and result.interruptions

    def test_the_previous_run_in_the_log_is_not_this_run(self):
        old = BANNER + task_lines("Install-MailboxRole", 5) + SUCCESS
        mark = watch.LogMark(True, len(old), "2026-11-27T11:44:54")
        probes = [probe(True, old), probe(False, old)]
        result = watcher(probes, [stat("TASK_STATE_READY", 1)], mark=mark)[0].watch()
        assert result.status == watch.FINISHED
        assert result.run_triage is None and result.milestones == []
