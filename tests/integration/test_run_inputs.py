"""Issue 16, item 2: nothing is installed until every input of the whole run is valid (plugins/plugin_utils/_preflight/run_inputs.py).

Every variable of the later activities (declared by the roles of activities 3 to 11 only) is given at once as null, at
once with the wrong type, and at once as an empty text: each run is refused in activity 2, before its first change,
by one Spanish message that names every one of them, and the simulated server's whole state is unchanged. The walk of
every variable x (null, wrong type, empty) one by one is the unit test tests/unit/plugins/_preflight/test_run_inputs.py; the
issue's own example (a first server with a null organisation name) is a row of the molecule bad-input table.
"""

from __future__ import annotations

import re

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight.run_inputs import declarations
from simulator.snapshot import differences, snapshot

PLAYBOOK = "playbooks/install_exchange.yml"
# The variables only activities 3 to 11 use (activities 1 and 2 read theirs, and ansible-core validates their roles'
# arguments, before activity 2's check): the inputs a run used to find wrong an hour after installing the prerequisites.
LATER = sorted(name for name, declaration in declarations().items()
               if min(declaration.activities) >= 3 and set(declaration.activities) & set(range(3, 12)))
# (A text variable's wrong value is not a word of the messages: the report masks a secret's value wherever it appears.)
WRONG = {"str": ["Valor-Equivocado"], "bool": "quizás", "int": "diez", "float": "doce", "dict": "texto", "list": "texto"}
SPANISH = ("Datos de la ejecución no válidos; no se instaló ni se cambió nada en el servidor", "Corríjalos en el inventario")


def bad_values(kind: str) -> dict:
    if kind == "null":
        return {name: None for name in LATER}
    if kind == "empty":
        return {name: "" for name in LATER}
    return {name: WRONG[declarations()[name].type] for name in LATER}


@pytest.mark.parametrize("kind", [
    "null",
    pytest.param("wrong_type", marks=pytest.mark.baseline_core),
    pytest.param("empty", marks=pytest.mark.baseline_core),
])
def test_every_later_input_wrong_at_once_is_refused_in_activity_2_naming_each_and_nothing_changes(
        rpi_simulator, ansible_playbook, instruction_file, kind):
    assert len(LATER) >= 20, LATER
    simulator = rpi_simulator("ws2022-bare")
    before = snapshot(simulator.host)
    run = ansible_playbook(PLAYBOOK, simulator.inventory_path, "-e", f"@{instruction_file}", extra_vars=bad_values(kind))
    assert run.rc != 0, run.output
    assert differences(before, snapshot(simulator.host)) == []
    report = run.latest_report()
    failure = report["run"]["failure"]
    assert report["run"]["status"] == "failed" and failure["activity"] == 2, failure
    assert failure["action"] == "rpi.exchange.run_inputs", failure
    # One refusal names every one of them, in Spanish: in the report's failure and on the console.
    message = failure["msg"]
    assert message.startswith(f"{SPANISH[0]} ({len(LATER)}):\n") and message.endswith("vuelva a ejecutar la instalación."), message
    for text in (message, run.stdout):
        missing = [name for name in LATER if not re.search(rf"^\s*- {name}: [A-Z]", text, re.MULTILINE)]
        assert not missing, (missing, text)
    evidence = next(item for item in report["activities"][1]["evidence"] if item["details"].get("problems"))
    assert sorted(problem["variable"] for problem in evidence["details"]["problems"]) == LATER
    assert all(problem["message_es"].startswith(problem["variable"] + ": ") for problem in evidence["details"]["problems"])
    statuses = {activity["number"]: activity["status"] for activity in report["activities"]}
    assert statuses[1] == "done" and statuses[2] == "failed" and all(statuses[number] == "pending" for number in range(3, 13))
