"""rpi.exchange.server_restart's pieces: the scripts are the ones a (simulated) Windows server runs as win_reboot's, and
the waits try every second and use their whole timeout (issue 19)."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._server import restart
from simulator import presets
from simulator.windows import raw


class FakeClock(restart.Clock):
    def __init__(self):
        self.time = 0.0
        super().__init__(now=lambda: self.time, sleep=self.advance)
        self.sleeps: list[float] = []

    def advance(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.time += seconds


def decoded(command_line: str) -> str:
    return base64.b64decode(command_line.rsplit(" ", 1)[1]).decode("utf-16-le")


def test_the_wait_tries_every_second_until_it_succeeds():
    clock, tries = FakeClock(), []

    def attempt():
        tries.append(clock.time)
        clock.time += 0.25  # the try itself takes time: the next starts a second after this one started
        if len(tries) < 4:
            raise ConnectionRefusedError("down")
        return "back"

    assert restart.until_success(attempt, 600, "last boot time check", clock=clock) == "back"
    assert tries == [0.0, 1.0, 2.0, 3.0]


def test_the_wait_uses_its_whole_timeout_and_says_so_in_win_reboots_words():
    clock, tries = FakeClock(), []

    def attempt():
        tries.append(clock.time)
        raise ConnectionRefusedError("down")

    with pytest.raises(restart.GaveUp, match=r"^Timed out waiting for post-reboot test command \(timeout=30\)"):
        restart.until_success(attempt, 30, "post-reboot test command", clock=clock)
    assert tries[-1] == 30.0 and len(tries) == 31


def test_the_scripts_are_those_the_server_runs_as_win_reboots():
    host = presets.build("ws2022-bare")
    before = raw.run_raw(host, decoded(restart.encoded(restart.BOOT_TIME_COMMAND)).replace(restart.FAILURE_EXIT, ""),
                         "RPI\\ansible")
    assert before.rc == 0 and before.stdout.strip().isdigit()
    sent = raw.run_raw(host, restart.shutdown_script("Reinicio de l'equipo", 0) + restart.FAILURE_EXIT, "RPI\\ansible")
    assert restart.shutdown_outcome(sent.rc, sent.stdout.decode(), sent.stderr.decode())[0] == 0
    host.poll()
    host.poll()
    after = raw.run_raw(host, restart.BOOT_TIME_COMMAND + restart.FAILURE_EXIT, "RPI\\ansible")
    assert after.rc == 0 and after.stdout != before.stdout  # the new boot reads differently
    token = "success-1"
    ready = raw.run_raw(host, restart.test_script(token) + restart.FAILURE_EXIT, "RPI\\ansible")
    assert ready.rc == 0 and token in ready.stdout.decode()


def test_the_message_is_a_single_quoted_literal():
    # PowerShell also ends a single-quoted string at the typographic quotes U+2018 and U+2019: each is doubled too.
    assert restart.quote("it's \u2018here\u2019") == "'it''s \u2018\u2018here\u2019\u2019'"


@pytest.mark.parametrize(("rc", "stderr", "expected"), [
    (1190, "", True), (1, "A system shutdown has already been scheduled.(1190)", True), (0, "", False), (5, "denied", False)])
def test_a_shutdown_already_scheduled_is_recognised(rc, stderr, expected):
    assert restart.already_scheduled(rc, stderr) is expected


def test_shutdowns_own_result_comes_from_the_scripts_json():
    assert restart.shutdown_outcome(0, '{"stdout":"","stderr":"denied","rc":5}', "") == (5, "", "denied")
    assert restart.shutdown_outcome(1, "not json", "err") == (1, "not json", "err")
