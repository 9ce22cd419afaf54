"""The language of report.html: environment > the hosts' rpi_exchange_report_language > ansible.cfg > es (issue 16, item 10).

The decision (plugin_utils/report/language.py) and the callback's use of it: the option's origin, and the variable read
through the play's variable manager.
"""

from __future__ import annotations

import pytest

from ansible_collections.rpi.exchange.plugins.callback.procedure_report import CallbackModule
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.language import (
    CONFIG,
    DEFAULT,
    ENVIRONMENT,
    PRECEDENCE,
    VARIABLE,
    choose_language,
)

ENV = "env: RPI_EXCHANGE_REPORT_LANGUAGE"
CFG = "/srv/rpi-exchange/ansible.cfg"


def test_the_documented_order():
    assert PRECEDENCE == (ENVIRONMENT, VARIABLE, CONFIG, DEFAULT)


@pytest.mark.parametrize("value, origin, variables, language, source", [
    ("es", "default", [], "es", DEFAULT),
    ("es", "default", ["en"], "en", VARIABLE),  # the inventory's variable, as its comment says
    ("es", "default", ["en", "en"], "en", VARIABLE),
    ("en", ENV, ["es"], "en", ENVIRONMENT),  # the environment wins over the inventory
    ("es", ENV, ["en"], "es", ENVIRONMENT),
    ("en", CFG, ["es"], "es", VARIABLE),  # the inventory wins over ansible.cfg
    ("en", CFG, [], "en", CONFIG),
    ("en", CFG, [None], "en", CONFIG),  # a host without the variable
    ("es", "default", [None], "es", DEFAULT),
])
def test_the_order_of_precedence(value, origin, variables, language, source):
    choice = choose_language(value, origin, variables)
    assert (choice.language, choice.source) == (language, source)
    assert choice.warnings == ()


def test_hosts_that_disagree_do_not_decide_and_are_warned():
    choice = choose_language("en", CFG, ["es", "en"])
    assert (choice.language, choice.source) == ("en", CONFIG)
    assert "rpi_exchange_report_language" in choice.warnings[0] and "differently" in choice.warnings[0]


@pytest.mark.parametrize("bad", ["fr", "EN", "{{ idioma }}", 3])
def test_a_variable_that_is_not_es_or_en_does_not_decide_and_is_warned(bad):
    choice = choose_language("es", "default", [bad])
    assert (choice.language, choice.source) == ("es", DEFAULT)
    assert "not one of es, en" in choice.warnings[0]


def test_the_choice_names_its_source():
    assert choose_language("en", ENV, []).describe() == "report language en (from the environment RPI_EXCHANGE_REPORT_LANGUAGE)"
    assert "variable rpi_exchange_report_language" in choose_language("es", "default", ["en"]).describe()


# --- the callback's choice ------------------------------------------------------------------------------------------------


class Host:
    def __init__(self, name: str) -> None:
        self.name = name

    def get_name(self):
        return self.name


class VariableManager:
    """What the callback reads: the play's variables, and each host's (inventory, group_vars, extra vars); no inventory:
    the callback learns the hosts from ansible-core (v2_runner_on_start)."""

    def __init__(self, play_vars: dict, host_vars: dict[str, dict]) -> None:
        self._play_vars = play_vars
        self._host_vars = host_vars

    def get_vars(self, play=None, host=None, include_hostvars=True):
        return dict(self._play_vars) if host is None else {**self._play_vars, **self._host_vars[host.name]}


class Play:
    hosts = "rpi_exchange_servers"

    def __init__(self, manager: VariableManager) -> None:
        self._manager = manager

    def get_variable_manager(self):
        return self._manager


class Display:
    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.verbose: list[str] = []

    def warning(self, message):
        self.warnings.append(message)

    def vv(self, message):
        self.verbose.append(message)


def callback_choice(option: tuple[str, str], play_vars: dict, host_vars: dict[str, dict]) -> tuple[str, Display]:
    callback = CallbackModule()
    display = Display()
    callback._display = display
    callback.get_option_and_origin = lambda name: option  # the option as ansible-core resolved it: value and origin
    play = Play(VariableManager(play_vars, host_vars))
    callback._collect_variables(play)  # the play starts: its variables
    callback._collect_variables(play, [Host(name) for name in host_vars])  # its first task starts on each host
    return callback._report_language(), display


def test_the_callback_follows_the_inventory_variable():
    language, display = callback_choice(("es", "default"), {}, {"rpi-exch01": {"rpi_exchange_report_language": "en"}})
    assert language == "en"
    assert display.verbose == ["rpi.exchange.procedure_report: report language en (from the variable rpi_exchange_report_language)"]


def test_the_callback_follows_an_extra_var_even_without_hosts():
    assert callback_choice(("es", "default"), {"rpi_exchange_report_language": "en"}, {})[0] == "en"


def test_the_callback_puts_the_environment_above_the_inventory_and_the_inventory_above_ansible_cfg():
    host_vars = {"rpi-exch01": {"rpi_exchange_report_language": "es"}}
    assert callback_choice(("en", ENV), {}, host_vars)[0] == "en"
    assert callback_choice(("en", CFG), {}, host_vars)[0] == "es"
    assert callback_choice(("en", CFG), {}, {"rpi-exch01": {}})[0] == "en"


def test_the_callback_warns_when_the_hosts_disagree():
    hosts = {"rpi-exch01": {"rpi_exchange_report_language": "en"}, "rpi-exch02": {"rpi_exchange_report_language": "es"}}
    language, display = callback_choice(("es", "default"), {}, hosts)
    assert language == "es"
    assert len(display.warnings) == 1 and display.warnings[0].startswith("rpi.exchange.procedure_report: the run's hosts set")
