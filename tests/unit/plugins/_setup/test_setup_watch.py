"""The watch of a detached setup run: back-off, progress, lost connections, and when it stops (no server needed)."""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._setup import watch
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import SCHED_S_TASK_HAS_NOT_RUN, SCHED_S_TASK_RUNNING

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


def status(running: bool, tail: str = "", *, task: dict | None = None, size: int | None = None, read_from: int = 0,
           waited: float | None = None, **log: object) -> dict:
    """One win_exchange_setup_status answer: setup's processes, the task, and the log lines read from `read_from`."""
    answer = {"exchange": {"setup_processes": [{"name": "ExSetup.exe", "pid": 4}] if running else []},
              "task": task if task is not None else (stat("TASK_STATE_RUNNING", SCHED_S_TASK_RUNNING) if running
                                                     else stat("TASK_STATE_READY", 0)),
              "setup_log": {"exists": True, "size_bytes": read_from + len(tail) if size is None else size, "tail": tail,
                            "read_from": read_from, "read_to": read_from + len(tail), **log}}
    if waited is not None:
        answer["waited_seconds"] = waited
    return answer


def stat(status_name: str, result: int) -> dict:
    return {"task_exists": True, "state": {"status": status_name, "last_task_result": result,
                                           "last_run_time": "2026-11-27T11:00:00"},
            "actions": [{"Path": "E:\\Setup.exe", "Arguments": "/Mode:Install"}], "principal": {"user_id": "RPI\\svc-exchange"}}


def scripted(answers):
    """A callable returning (or raising) the next scripted answer; the last one repeats. It records its arguments."""
    calls = []

    def call(*arguments):
        calls.append(arguments)
        answer = answers[min(len(calls), len(answers)) - 1]
        if isinstance(answer, BaseException):
            raise answer
        return answer
    call.calls = calls
    return call


def watcher(answers, clock=None, *, timeout=3600.0, poll_interval=10.0, log=None, **kwargs):
    clock = clock or FakeClock()
    resets = []
    retrier = watch.Retrier(lambda: resets.append(1), clock=clock, sleep=clock.sleep)
    progress = []
    item = watch.SetupWatcher(scripted(answers), retrier, log=log, started_at=clock(), timeout=timeout,
                              poll_interval=poll_interval, clock=clock, sleep=clock.sleep, on_progress=progress.append, **kwargs)
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


def test_read_status_gives_the_facts_and_the_task_without_the_log_text():
    facts, state = watch.read_status(status(True, BANNER))
    assert facts["exchange"]["setup_running"] is True and state.running and state.exists
    assert "tail" not in facts["setup_log"] and facts["setup_log"]["size_bytes"] == len(BANNER)
    assert watch.read_status({"task": {"task_exists": False}})[1].exists is False


class TestSetupLogFollower:
    def test_adds_the_lines_each_answer_brings(self):
        log = watch.SetupLogFollower(100, 1048576)
        assert log.feed({"exists": True, "tail": "a\n", "read_from": 100, "read_to": 102}) is True
        assert log.feed({"exists": True, "tail": "", "read_from": 102, "read_to": 102}) is False
        assert log.feed({"exists": True, "tail": "b\n", "read_from": 102, "read_to": 104}) is True
        assert log.text == "a\nb\n" and log.offset == 104

    def test_keeps_only_the_end(self):
        log = watch.SetupLogFollower(0, 4)
        log.feed({"exists": True, "tail": "12\n34\n", "read_to": 6})
        assert log.text == "\n34\n"

    def test_a_replaced_log_starts_over_and_a_gap_drops_what_it_does_not_continue(self):
        log = watch.SetupLogFollower(500, 1048576, "old\n")
        log.feed({"exists": True, "tail": "new\n", "read_from": 0, "read_to": 4, "restarted": True})
        assert log.text == "new\n" and log.restarted and log.offset == 4
        log.feed({"exists": True, "tail": "end\n", "read_from": 9000, "read_to": 9004, "skipped_bytes": 8996})
        assert log.text == "end\n" and log.skipped_bytes == 8996

    def test_a_missing_log_changes_nothing(self):
        log = watch.SetupLogFollower(42, 100)
        assert log.feed({"exists": False}) is False and log.feed(None) is False and log.offset == 42

    def test_after_the_log_as_it_was_before_the_run(self):
        facts = {"setup_log": {"exists": True, "size_bytes": 42}}
        assert watch.SetupLogFollower.after(facts, 1000).offset == 42
        assert watch.SetupLogFollower.after({"setup_log": {"exists": False, "size_bytes": 42}}, 1000).offset == 0
        assert watch.SetupLogFollower.after(None, 1000).offset == 0


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
        lines = [BANNER + task_lines("Start-PreFileCopy", 1), task_lines("install-msipackage", 3), SUCCESS]
        answers = [status(True, lines[0]), status(True, lines[1], read_from=len(lines[0])),
                   status(False, lines[2], read_from=len(lines[0]) + len(lines[1]))]
        item, clock, resets, progress = watcher(answers)
        result = item.watch()
        assert result.status == watch.FINISHED and result.polls == 3
        assert result.task.last_result == 0 and result.task.finished
        assert [milestone.task for milestone in progress] == ["Start-PreFileCopy", "install-msipackage"]
        assert result.run_triage["outcome"] == "succeeded"
        # Each call asked the server to wait (2, 3, 4.5 s) and read the log from where the previous one stopped.
        assert [call[0] for call in item.status.calls] == [2.0, 3.0, 4.5]
        assert [call[1] for call in item.status.calls] == [0, len(lines[0]), len(lines[0]) + len(lines[1])]
        # The fake server did not wait: the watch waited the rest itself, except after the end.
        assert clock.sleeps == [2.0, 3.0]
        assert resets == []

    def test_each_phase_is_heard_once_and_the_last_reached_is_kept(self):
        """The console line of issue 18: one per setup phase, never one per poll (the same phase over many polls)."""
        lines = [BANNER + task_lines("Start-PreFileCopy", 1), "", task_lines("install-msipackage", 3),
                 "[11/27/2026 12:04:00.0473] [1] Still copying\n", task_lines("Install-BridgeheadRole", 5)]
        offsets = [sum(len(line) for line in lines[:number]) for number in range(len(lines))]
        answers = [status(True, line, read_from=offset) for line, offset in zip(lines, offsets)]
        answers.append(status(False, "", read_from=offsets[-1] + len(lines[-1]), task=stat("TASK_STATE_READY", 1)))
        phases = []
        item = watcher(answers, on_phase=phases.append)[0]
        result = item.watch()
        assert [(position.key, position.index) for position in phases] == [
            ("stopping_services", 4), ("language_files", 6), ("transport", 10)]
        assert result.reached.key == "transport" and result.as_dict()["reached"]["index"] == 10
        assert result.as_dict()["reached"]["label_es"] == "Rol de buzón: servicios de transporte"

    def test_the_end_is_seen_when_the_server_answers(self):
        running = [status(True, BANNER, waited=wait) for wait in (2.0, 3.0, 4.5, 6.75)] + [status(True, waited=10.0)] * 26
        item, clock = watcher(running + [status(False, SUCCESS, waited=0.4)])[:2]
        result = item.watch()
        assert result.status == watch.FINISHED and result.polls == 31
        assert clock.sleeps == []  # the server waited every time: no wait on the controller
        assert max(call[0] for call in item.status.calls) == 10.0
        assert result.detection_window_seconds == pytest.approx(0.4)

    def test_an_early_answer_is_followed_by_the_rest_of_the_wait(self):
        item, clock = watcher([status(True, BANNER, waited=0.5), status(False, SUCCESS, waited=0.0)])[:2]
        assert item.watch().status == watch.FINISHED
        assert clock.sleeps == [pytest.approx(1.5)]

    def test_survives_a_lost_connection(self):
        answers = [status(True, BANNER), OSError("connection reset"), OSError("refused"), status(False, SUCCESS, read_from=len(BANNER))]
        item, resets = watcher(answers)[0:3:2]
        result = item.watch()
        assert result.status == watch.FINISHED and len(resets) == 2 and len(result.interruptions) == 2
        assert item.status.calls[3][1] == len(BANNER)  # the retried call reads from the same place

    def test_setup_between_processes_keeps_the_watch_going(self):
        answers = [status(False, BANNER, task=stat("TASK_STATE_RUNNING", SCHED_S_TASK_RUNNING)), status(True),
                   status(False, SUCCESS, read_from=len(BANNER))]
        result = watcher(answers)[0].watch()
        assert result.status == watch.FINISHED and result.polls == 3

    def test_a_task_that_never_starts(self):
        item = watcher([status(False, task=stat("TASK_STATE_READY", SCHED_S_TASK_HAS_NOT_RUN))], start_grace=20.0)[0]
        result = item.watch()
        assert result.status == watch.NOT_STARTED and result.task.last_result == SCHED_S_TASK_HAS_NOT_RUN

    def test_a_task_that_vanished(self):
        result = watcher([status(False, task={"task_exists": False})])[0].watch()
        assert result.status == watch.TASK_VANISHED

    def test_times_out_while_setup_runs(self):
        item, clock = watcher([status(True, BANNER)], timeout=60.0)[:2]
        result = item.watch()
        assert result.status == watch.TIMED_OUT
        assert clock() == pytest.approx(1060.0)
        assert all(call[0] <= 60.0 for call in item.status.calls)

    def test_an_unreachable_server_ends_the_watch(self):
        item = watcher([OSError("down")], timeout=7200.0)[0]
        item.retrier.max_unreachable = 300
        result = item.watch()
        assert result.status == watch.UNREACHABLE and result.interruptions

    def test_nothing_new_in_the_log_is_no_triage_of_this_run(self):
        answers = [status(True), status(False)]
        result = watcher(answers, log=watch.SetupLogFollower(5000, 1048576))[0].watch()
        assert result.status == watch.FINISHED
        assert result.run_triage is None and result.milestones == []
