"""Each activity's tag alone (`--tags <activity>`), after an install, against the same simulated server.

procedure.py's table says what each activity needs from earlier ones; the read-only tasks that provide it carry the
activity's tag (tests/unit/plugins/test_activity_data.py keeps them in step). So every tag alone either does its
activity or refuses in Spanish, never with an undefined variable. The server is shared between the runs: one install,
then the eleven tags in the manual's order.
"""

from __future__ import annotations

import re

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import ACTIVITIES
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"
TAGS = [activity.tag for activity in ACTIVITIES if activity.number <= 11]

# What a run that broke (rather than refused) looks like: a variable an earlier activity should have provided.
BROKEN = re.compile(r"is undefined|has no attribute|Traceback|template error", re.IGNORECASE)
# A refusal the technician can act on is in Spanish (the inventory's report language).
SPANISH = re.compile(r"\b(el|la|los|las|del|que|no|se|un|una)\b.*\b(servidor|instalación|medio|actividad|ejecución)\b",
                     re.IGNORECASE)
# Tags that refuse after an install, with the words of their message. Empty: after an install every tag alone succeeds.
REFUSALS: dict[str, str] = {}


def failure_messages(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("fatal:", "failed:"))]


@pytest.mark.baseline_core
def test_each_activity_tag_alone_after_an_install(rpi_simulator, ansible_playbook, instruction_file):
    simulator = rpi_simulator("ws2022-bare")
    install = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}")
    assert install.rc == 0, install.output

    outcomes = {}
    for tag in TAGS:
        before = snapshot(simulator.host)
        run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", "--tags", tag)
        assert not BROKEN.search(run.output), (tag, run.output)
        if tag in REFUSALS:
            assert run.rc != 0, (tag, run.output)
            messages = failure_messages(run.output)
            assert messages and REFUSALS[tag] in "\n".join(messages), (tag, run.output)
            assert SPANISH.search("\n".join(messages)), (tag, run.output)
            outcomes[tag] = "refused"
        else:
            assert run.rc == 0, (tag, run.output)
            # The server is installed: no activity alone has anything left to change on it.
            assert run.recap()["changed"] == 0, (tag, run.stdout)
            assert differences(before, snapshot(simulator.host)) == [], tag
            report = run.latest_report()
            assert report["run"]["status"] in ("partial", "succeeded"), (tag, report["run"])
            statuses = {activity["number"]: activity["status"] for activity in report["activities"]}
            own = next(activity.number for activity in ACTIVITIES if activity.tag == tag)
            # Activities 5 to 8 run only when setup must run (the playbook's condition on activity 3's decision).
            assert statuses[own] == ("skipped" if own in (5, 6, 7, 8) else "done"), (tag, statuses)
            outcomes[tag] = "succeeded"
    assert set(outcomes) == set(TAGS)
