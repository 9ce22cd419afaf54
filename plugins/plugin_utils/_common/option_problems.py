# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What is wrong with a task's options, said the way the technician reads it.

The decision plugins (licence, roles and options, setup plan) collect every problem
before failing, name the option the way the technician wrote it (the inventory variable
when the role says which one, else the task option) and say how to fix it. Messages are
in Spanish by default, English on request (`language: en`). The run report receives the
same words through the `rpi_report` evidence contract built here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.evidence import Evidence


@dataclass(frozen=True)
class OptionProblem:
    """One thing wrong with one option. `code` is stable: roles and tests key on it."""

    option: str
    code: str
    es: str
    en: str
    fix_es: str = ""
    fix_en: str = ""
    variable: str = ""

    @property
    def name(self) -> str:
        """How the user wrote the option: the inventory variable when known, else the task option."""
        return self.variable or self.option

    def text(self, language: str = SPANISH) -> str:
        return i18n.text(language, self.es, self.en)

    def fix(self, language: str = SPANISH) -> str:
        return i18n.text(language, self.fix_es, self.fix_en)

    def message(self, language: str = SPANISH) -> str:
        """`<option>: <what is wrong> <how to fix it>`."""
        fix, text = self.fix(language), self.text(language)
        return f"{self.name}: {text[:1].upper()}{text[1:]}" + (f" {fix}" if fix else "")

    def as_dict(self) -> dict[str, str]:
        return {
            "option": self.option, "variable": self.name, "code": self.code,
            "message_es": self.message(SPANISH), "message_en": self.message(ENGLISH),
        }


def variable_for(option: str, variable_names: Mapping[str, str] | None) -> str:
    """The inventory variable for `option` (`database.edb_path` falls back to `<database var>.edb_path`)."""
    names = variable_names or {}
    if names.get(option):
        return str(names[option])
    parent, _dot, child = option.partition(".")
    if child and names.get(parent):
        return f"{names[parent]}.{child}"
    return option


def name_variables(problems: Iterable[OptionProblem], variable_names: Mapping[str, str] | None) -> tuple[OptionProblem, ...]:
    """The same problems with `variable` filled in, and every `{var}` in their texts replaced by it.

    Texts may also name other options as `{var:<option>}` (for example the fix of an
    organisation name that points at `first_server`).
    """
    named = []
    for problem in problems:
        variable = variable_for(problem.option, variable_names)

        def fill(text: str, variable: str = variable) -> str:
            text = text.replace("{var}", variable)
            while "{var:" in text:
                start = text.index("{var:")
                end = text.index("}", start)
                text = text[:start] + variable_for(text[start + 5:end], variable_names) + text[end + 1:]
            return text

        named.append(OptionProblem(problem.option, problem.code, fill(problem.es), fill(problem.en), fill(problem.fix_es),
                                   fill(problem.fix_en), variable))
    return tuple(named)


def failure_message(title_es: str, title_en: str, problems: Iterable[OptionProblem], language: str = SPANISH) -> str:
    """One message listing every problem, each on its own line."""
    items = list(problems)
    title = i18n.text(language, title_es, title_en)
    if len(items) == 1:
        return f"{title}: {items[0].message(language)}"
    lines = [f"{title} ({len(items)}):"] + [f"- {problem.message(language)}" for problem in items]
    return "\n".join(lines)


def report_evidence(kind: str, summary_es: str, summary_en: str, details: Mapping[str, Any], level: str = "info") -> dict[str, Any]:
    """The `rpi_report` value of a task result: `{evidence: [{kind, summary_es, summary_en, level, details}]}`.

    `level` (info, ok, warning, error) is the report's optional severity of the item.
    """
    return {"evidence": [Evidence(kind=kind, summary_es=summary_es, summary_en=summary_en, level=level, details=dict(details)).as_dict()]}
