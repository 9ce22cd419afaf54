# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every input of the whole run, checked on the controller before anything on the server changes.

Activity 2 is the first activity that changes the server (it installs the prerequisites). Before its first change it
checks, at once, every variable that the roles of the run declare in their ``meta/argument_specs.yml``, so that a
mistake in an input of activity 5, 6, 7, 8, 9 or 11 stops the run before anything is installed, instead of an hour
later when Setup.exe or a later activity refuses it. Every problem is reported, not only the first, in Spanish (English
on request), each naming the variable and how to fix it.

Two layers:

1. **Declared** (driven by the argument specs, no code per variable): the declared ``type`` (with the conversions
   ansible-core's own role validation makes, so that nothing accepted here is refused later by a role), ``choices``,
   ``required`` (of the roles that the run certainly runs) and the suboptions of a dictionary. Stricter than
   ansible-core on purpose: a value given as ``null`` (YAML ``~`` or nothing after the colon) is *given but empty*,
   never "not given" (ansible-core reads it as not given, or turns it into ``''``); an empty text is refused for every
   type; a text variable refuses a list, a dictionary or a YAML boolean (``yes``, ``on`` unquoted), which ansible-core
   would turn into the text ``"['x']"`` or ``"True"``.
2. **Rules** (``RULES``): what a declaration cannot say, reusing the checks the activities' own modules make, with the
   same codes and words: the installation media (``media_plan.read_source``), the licence (``license_acceptance``), the
   install folder and the custom options (``role_options``: paths, organisation name, database, domain controller,
   drives and free space), the RPI's thresholds (``server_readiness.Thresholds``), the notice's relay
   (``report.notice.SECURITY_MODES``), timeouts above zero, and the organisation name a first server needs.

What the run will do is not known yet here (the media's version is read later in activity 2), so the checks that depend
on it are taken only when the server has no Exchange at all (``setup_certain``: setup will install): then activities
5 to 8 (which the playbook runs only when setup runs) certainly run, their required variables are required and the
install-time options are checked against the server. On a server with Exchange, activity 2 checks them again, against
the media, in its block "Check the technician's choices for activities 3 to 7" before installing anything.

Extending it (the security update, the product key and any later input): declare the variable in its role's
``meta/argument_specs.yml`` with its ``type``, ``required``, ``choices`` (and ``no_log`` for a secret); the declared
checks then cover it with no code here. A rule the declaration cannot say (a format, a relation between variables)
is a function ``rule(context) -> list[OptionProblem]`` added to ``RULES``; ``RunContext.passed`` holds the values that
passed the declared checks, converted to their type.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml

from ansible.module_utils.common.validation import check_type_bool, check_type_float, check_type_int

from ansible_collections.rpi.exchange.plugins.plugin_utils.catalogue.vocabulary import MAILBOX, normalize_role
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.licence import check_license
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.media import INSPECTED, read_source
from ansible_collections.rpi.exchange.plugins.plugin_utils._server import product_key
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.i18n import ENGLISH, SPANISH
from ansible_collections.rpi.exchange.plugins.plugin_utils._common.option_problems import (
    OptionProblem,
    failure_message,
    name_variables,
    report_evidence,
)
from ansible_collections.rpi.exchange.plugins.plugin_utils.report.notice import SECURITY_MODES
from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.options import RoleRequest, select_role_options
from ansible_collections.rpi.exchange.plugins.plugin_utils._server.readiness import Thresholds
from ansible_collections.rpi.exchange.plugins.plugin_utils._common import i18n
from ansible_collections.rpi.exchange.plugins.plugin_utils._update.package import check_shape as check_security_update_shape

ROLES_DIR = Path(__file__).resolve().parents[3] / "roles"
ACTIVITY = 2  # where the run checks them
# The activities of playbooks/install_exchange.yml (activity 12, the review, is a run of its own).
INSTALL_RUN = tuple(range(1, 12))
# The playbook runs activities 5 to 8 only when setup runs (run_setup_program_decision.runs_setup).
SETUP_ACTIVITIES = (5, 6, 7, 8)
EVIDENCE_KIND = "check"  # the report vocabulary (plugin_utils/report/vocabulary.py)
NO_DEFAULT = object()

# Problem codes of the declared checks (the rules keep the codes of the modules they reuse).
MISSING, NULL, EMPTY, WRONG_TYPE, NOT_A_CHOICE, UNKNOWN_KEY, NOT_EVALUABLE = (
    "input_missing", "input_null", "input_empty", "input_wrong_type", "input_not_a_choice", "input_unknown_key",
    "input_not_evaluable")

_ACTIVITY_TITLE = re.compile(r"^\s*Activity\s+(\d+)\s*:")
TITLE_ES = "Datos de la ejecución no válidos; no se instaló ni se cambió nada en el servidor"
TITLE_EN = "Invalid run inputs; nothing was installed or changed on the server"
CLOSING_ES = "Corríjalos en el inventario (group_vars o host_vars) o en -e y vuelva a ejecutar la instalación."
CLOSING_EN = "Correct them in the inventory (group_vars or host_vars) or in -e and run the installation again."
NULL_NOTE_ES = "Un valor vacío (null, ~ o nada después de los dos puntos) no equivale a «no indicado»."
NULL_NOTE_EN = "An empty value (null, ~ or nothing after the colon) is not the same as \"not given\"."


class DeclarationError(ValueError):
    """Two roles declare the same variable differently, or a role's argument specs can't be read."""


@dataclasses.dataclass(frozen=True)
class Declaration:
    """One variable as the roles declare it (merged over every role that declares it)."""

    name: str
    type: str = "str"
    required_by: tuple[int, ...] = ()  # the activities whose role requires it
    default: Any = NO_DEFAULT
    choices: tuple[Any, ...] = ()
    elements: str | None = None
    no_log: bool = False
    options: tuple[Declaration, ...] = ()
    activities: tuple[int, ...] = ()
    roles: tuple[str, ...] = ()

    @property
    def has_default(self) -> bool:
        return self.default is not NO_DEFAULT

    def option(self, key: str) -> Declaration | None:
        return next((item for item in self.options if item.name.rsplit(".", 1)[-1] == key), None)


# --- the declarations ------------------------------------------------------------------------------------------------

def role_activity(role: str, spec: Mapping[str, Any]) -> int:
    """The manual's activity of a role, from its short_description (`Activity 6: ...`)."""
    found = _ACTIVITY_TITLE.match(str(spec.get("short_description") or ""))
    if not found:
        raise DeclarationError(f"{role}: meta/argument_specs.yml's short_description does not start with 'Activity <n>:'")
    return int(found.group(1))


def _declaration(name: str, spec: Mapping[str, Any], activity: int, role: str) -> Declaration:
    options = tuple(_declaration(f"{name}.{key}", value or {}, activity, role)
                    for key, value in (spec.get("options") or {}).items())
    return Declaration(
        name=name, type=str(spec.get("type") or "str"), required_by=(activity,) if spec.get("required") else (),
        default=spec["default"] if "default" in spec else NO_DEFAULT, choices=tuple(spec.get("choices") or ()),
        elements=spec.get("elements"), no_log=bool(spec.get("no_log")), options=options, activities=(activity,), roles=(role,))


def _merge(first: Declaration, second: Declaration, strict: bool = True) -> Declaration:
    """One declaration for a variable several roles declare. They must agree (the unit tests hold them to it); when
    `strict` is false a disagreement gives the loosest reading (type raw, no choices) instead of an error."""
    loosest: dict[str, Any] = {}
    for field, loose in (("type", "raw"), ("choices", ()), ("elements", None)):
        if getattr(first, field) != getattr(second, field):
            if strict:
                raise DeclarationError(f"{first.name}: roles {', '.join(first.roles + second.roles)} declare a different {field}")
            loosest[field] = loose
    if strict and first.has_default and second.has_default and first.default != second.default:
        raise DeclarationError(f"{first.name}: roles {', '.join(first.roles + second.roles)} declare a different default")
    options = {item.name: item for item in first.options}
    for item in second.options:
        options[item.name] = _merge(options[item.name], item, strict) if item.name in options else item
    return dataclasses.replace(
        first, required_by=tuple(sorted(set(first.required_by + second.required_by))),
        default=first.default if first.has_default else second.default, no_log=first.no_log or second.no_log,
        options=tuple(options.values()), activities=tuple(sorted(set(first.activities + second.activities))),
        roles=first.roles + second.roles, **loosest)


def load_declarations(roles_dir: Path | str | None = None, strict: bool = True) -> dict[str, Declaration]:
    """Every variable the roles declare (entry point `main`), by name, in the order of their first activity."""
    folder = Path(roles_dir) if roles_dir is not None else ROLES_DIR
    found: dict[str, Declaration] = {}
    for path in sorted(folder.glob("*/meta/argument_specs.yml")):
        role = path.parent.parent.name
        try:
            spec = (yaml.safe_load(path.read_text(encoding="utf-8")) or {})["argument_specs"]["main"]
        except (OSError, yaml.YAMLError, KeyError, TypeError) as error:
            raise DeclarationError(f"{role}: meta/argument_specs.yml can't be read: {error}") from error
        activity = role_activity(role, spec)
        for name, option in (spec.get("options") or {}).items():
            declared = _declaration(name, option or {}, activity, role)
            found[name] = _merge(found[name], declared, strict) if name in found else declared
    return dict(sorted(found.items(), key=lambda item: (item[1].activities[0], item[0])))


@lru_cache(maxsize=2)
def declarations(strict: bool = True) -> dict[str, Declaration]:
    """The collection's own declarations, read once per process (see `_merge` for `strict`)."""
    return load_declarations(strict=strict)


# --- words -----------------------------------------------------------------------------------------------------------

_EXPECTED = {  # declared type -> (Spanish, English)
    "str": ("un texto", "a text"), "path": ("una ruta (texto)", "a path (text)"), "raw": ("un valor", "a value"),
    "bool": ("true o false", "true or false"), "int": ("un número entero", "a whole number"),
    "float": ("un número", "a number"), "dict": ("un diccionario (clave: valor)", "a dictionary (key: value)"),
    "list": ("una lista", "a list"),
}


def _actual(value: object) -> tuple[str, str]:
    if isinstance(value, bool):
        return "un valor true o false", "a true or false value"
    if isinstance(value, int):
        return "un número entero", "a whole number"
    if isinstance(value, float):
        return "un número con decimales", "a decimal number"
    if isinstance(value, str):
        return "un texto", "a text"
    if isinstance(value, Mapping):
        return "un diccionario", "a dictionary"
    if isinstance(value, (list, tuple)):
        return "una lista", "a list"
    return f"de tipo {type(value).__name__}", f"of type {type(value).__name__}"


def _listed(items: Iterable[object], last_es: str = " o ", last_en: str = " or ") -> tuple[str, str]:
    words = [str(item) for item in items]
    if len(words) < 2:
        return "".join(words), "".join(words)
    return ", ".join(words[:-1]) + last_es + words[-1], ", ".join(words[:-1]) + last_en + words[-1]


def _activities(declaration: Declaration) -> tuple[str, str]:
    """`(actividad 7)`, `(actividades 8, 9 y 10)`: where the run uses the variable."""
    listed_es, listed_en = _listed(declaration.activities, " y ", " and ")
    if len(declaration.activities) == 1:
        return f"(actividad {listed_es})", f"(activity {listed_en})"
    return f"(actividades {listed_es})", f"(activities {listed_en})"


def _shown(value: object, limit: int = 40) -> str | None:
    """A short YAML-like rendering of a default or a value, or None when it is too long to read in a message."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else None


def _expected(declaration: Declaration) -> tuple[str, str]:
    """What to write: `un número entero`, `true o false`, `ON u OFF`..."""
    if declaration.choices:
        listed_es, listed_en = _listed(declaration.choices)
        return re.sub(r" o (?=[hH]?[oO])", " u ", listed_es), listed_en  # «ON u OFF»
    return _EXPECTED.get(declaration.type, _EXPECTED["raw"])


def _value_fix(declaration: Declaration, required: bool) -> tuple[str, str]:
    """How to fix an empty, absent or wrong value: write one, or remove the line to take the default."""
    expected_es, expected_en = _expected(declaration)
    if required:
        return f"Escriba {expected_es}.", f"Write {expected_en}."
    if declaration.has_default:
        shown = _shown(declaration.default)
        shown = f" ({shown})" if shown is not None and shown != "" else ""
        return (f"Escriba {expected_es}, o quite la línea para usar el valor por omisión{shown}.",
                f"Write {expected_en}, or remove the line to use the default{shown}.")
    return f"Escriba {expected_es}, o quite la línea si no lo usa.", f"Write {expected_en}, or remove the line if you don't use it."


def _problem(declaration: Declaration, code: str, es: str, en: str, fix: tuple[str, str] = ("", "")) -> OptionProblem:
    """A problem of `declaration`, saying which activities use it (when it is declared: an unknown key is not)."""
    es, en = es.rstrip("."), en.rstrip(".")
    if declaration.activities:
        used_es, used_en = _activities(declaration)
        es, en = f"{es} {used_es}", f"{en} {used_en}"
    return OptionProblem(declaration.name, code, es + ".", en + ".", fix[0], fix[1], declaration.name)


# --- the declared checks ---------------------------------------------------------------------------------------------

def _is_empty_text(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def _convert(declaration: Declaration, value: object) -> tuple[bool, Any]:
    """(True, the value converted as ansible-core converts it) or (False, None) when it is not of the declared type."""
    kind = declaration.type
    try:
        if kind in ("str", "path"):
            if isinstance(value, str):
                return True, value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return True, str(value)
            return False, None
        if kind == "bool":
            return True, check_type_bool(value)
        if kind in ("int", "float"):
            if isinstance(value, bool):
                return False, None
            return True, check_type_int(value) if kind == "int" else check_type_float(value)
        if kind == "dict":
            return (True, dict(value)) if isinstance(value, Mapping) else (False, None)
        if kind == "list":
            return (True, list(value)) if isinstance(value, (list, tuple)) else (False, None)
    except TypeError:
        return False, None
    return True, value  # raw, or a type ansible-core knows and this module doesn't: taken as given


def _wrong_type(declaration: Declaration, value: object, required: bool) -> OptionProblem:
    actual_es, actual_en = _actual(value)
    expected_es, expected_en = _EXPECTED.get(declaration.type, _EXPECTED["raw"])
    fix_es, fix_en = _value_fix(declaration, required)
    if declaration.type in ("str", "path") and isinstance(value, bool):
        fix_es += " Sin comillas, YAML lee yes, no, on y off como true o false: escríbalo entre comillas, por ejemplo \"OFF\"."
        fix_en += " Without quotes, YAML reads yes, no, on and off as true or false: quote it, for example \"OFF\"."
    return _problem(declaration, WRONG_TYPE, f"es {actual_es}; se espera {expected_es}", f"is {actual_en}; {expected_en} is expected",
                    (fix_es, fix_en))


def _not_a_choice(declaration: Declaration, value: object) -> OptionProblem:
    listed = ", ".join(str(choice) for choice in declaration.choices)
    shown = None if declaration.no_log else _shown(value)
    said_es, said_en = (f"'{shown}' no es una de sus opciones: {listed}", f"'{shown}' is not one of its choices: {listed}") \
        if shown is not None else (f"el valor no es una de sus opciones: {listed}", f"the value is not one of its choices: {listed}")
    expected_es, expected_en = _expected(declaration)
    return _problem(declaration, NOT_A_CHOICE, said_es, said_en, (f"Escriba {expected_es}.", f"Write {expected_en}."))


def check_declared(declaration: Declaration, value: object, *, required: bool = False) -> tuple[list[OptionProblem], Any]:
    """The problems of one given value (None is a given `null`) against its declaration, and the value converted."""
    if value is None:
        return [_problem(declaration, NULL, "está vacío: null o ~ en YAML", "is empty: null or ~ in YAML",
                         _value_fix(declaration, required))], None
    if _is_empty_text(value):
        return [_problem(declaration, EMPTY, "es un texto vacío", "is an empty text", _value_fix(declaration, required))], None
    converted_ok, converted = _convert(declaration, value)
    if not converted_ok:
        return [_wrong_type(declaration, value, required)], None
    if declaration.choices and converted not in declaration.choices:
        return [_not_a_choice(declaration, converted)], None
    if declaration.type == "list" and declaration.elements:
        element = Declaration(f"{declaration.name}[]", declaration.elements, activities=declaration.activities)
        problems = [problem for item in converted for problem in check_declared(element, item, required=True)[0]]
        if problems:
            return problems, None
    if declaration.type == "dict" and declaration.options:
        return _check_suboptions(declaration, converted)
    return [], converted


def _check_suboptions(declaration: Declaration, value: dict) -> tuple[list[OptionProblem], Any]:
    problems: list[OptionProblem] = []
    converted: dict[str, Any] = {}
    known = ", ".join(item.name.rsplit(".", 1)[-1] for item in declaration.options)
    for key in value:
        if declaration.option(str(key)) is None:
            unknown = Declaration(f"{declaration.name}.{key}")
            problems.append(_problem(unknown, UNKNOWN_KEY, f"'{key}' no es un dato de {declaration.name}.",
                                     f"'{key}' is not a setting of {declaration.name}.",
                                     (f"Quítelo; {declaration.name} lleva: {known}.", f"Remove it; {declaration.name} takes: {known}.")))
    for option in declaration.options:
        key = option.name.rsplit(".", 1)[-1]
        if key not in value:
            if option.required_by:
                problems.append(_problem(option, MISSING, "falta", "is missing", _value_fix(option, True)))
            elif option.has_default:
                converted[key] = option.default
            continue
        found, item = check_declared(option, value[key], required=bool(option.required_by))
        problems += found
        if not found:
            converted[key] = item
    return problems, (None if problems else converted)


# --- the run ---------------------------------------------------------------------------------------------------------

def setup_certain(facts: Mapping[str, Any] | None) -> bool:
    """True when the server (activity 1's facts) has no Exchange at all: setup will install, activities 5 to 8 will run."""
    if not isinstance(facts, Mapping) or not isinstance(facts.get("exchange"), Mapping):
        return False
    exchange = facts["exchange"]
    task = exchange.get("setup_task") if isinstance(exchange.get("setup_task"), Mapping) else {}
    return not (exchange.get("installed") or exchange.get("present") or exchange.get("interrupted") or exchange.get("setup_running")
                or task.get("exists"))


@dataclasses.dataclass
class RunContext:
    """What the rules see: the declarations, the given values, those that passed, the server and the run."""

    declarations: Mapping[str, Declaration]
    given: Mapping[str, Any]
    passed: dict[str, Any]
    failed: set[str]
    facts: Mapping[str, Any] | None
    activities: tuple[int, ...]
    setup_certain: bool

    def value(self, name: str, default: Any = None) -> Any:
        """The converted value when it passed, else (not given, or refused) the declared default, else `default`."""
        if name in self.passed:
            return self.passed[name]
        declaration = self.declarations.get(name)
        return declaration.default if declaration is not None and declaration.has_default else default

    def usable(self, *names: str) -> bool:
        """None of `names` failed the declared checks (a rule adds nothing to a variable already refused)."""
        return not any(name in self.failed for name in names)

    def runs(self, activity: int) -> bool:
        return activity in self.activities and (activity not in SETUP_ACTIVITIES or self.setup_certain)


Rule = Callable[[RunContext], list[OptionProblem]]


# --- the rules (what a declaration cannot say) -----------------------------------------------------------------------

MEDIA = "rpi_exchange_media"
THRESHOLDS = "rpi_exchange_thresholds"
ACCEPT = "rpi_exchange_license_accept"
DIAGNOSTIC = "rpi_exchange_diagnostic_data"
ROLE = "rpi_exchange_role"
FIRST_SERVER = "rpi_exchange_first_server"
ORGANIZATION = "rpi_exchange_organization_name"
NOTICE = "rpi_exchange_notice"
RELAY = "rpi_exchange_notice_relay"
# Activity 2's names for exchange_setup_options' options (roles/prepare_server/tasks/main.yml).
ROLE_OPTION_VARIABLES = {
    "role": ROLE, "target_dir": "rpi_exchange_target_dir", "first_server": FIRST_SERVER, "organization_name": ORGANIZATION,
    "database": "rpi_exchange_database", "disable_am_filtering": "rpi_exchange_disable_am_filtering",
    "do_not_start_transport": "rpi_exchange_do_not_start_transport", "extended_protection": "rpi_exchange_extended_protection",
    "domain_controller": "rpi_exchange_domain_controller",
}
# Times that bound a wait: zero or less would give up at once.
POSITIVE = ("rpi_exchange_reboot_timeout", "rpi_exchange_setup_timeout", "rpi_exchange_lock_max_age_hours",
            "prepare_server_reboot_timeout", "start_installation_reboot_timeout", "await_installation_services_timeout")


def media_rule(context: RunContext) -> list[OptionProblem]:
    """The media's ISO path and pinned SHA-256, as exchange_media reads them (plugin_utils/_server/media.py)."""
    media = context.passed.get(MEDIA)
    if not isinstance(media, Mapping):
        return []
    _source, problems = read_source(iso=media.get("iso"), src=None, dest=None, sha256=media.get("sha256"), state=INSPECTED)
    return list(name_variables(problems, {"iso": f"{MEDIA}.iso", "sha256": f"{MEDIA}.sha256"}))


def thresholds_rule(context: RunContext) -> list[OptionProblem]:
    """The RPI's minimums: the keys and types server_readiness.Thresholds takes, whole numbers above zero."""
    thresholds = context.passed.get(THRESHOLDS)
    if not isinstance(thresholds, Mapping):
        return []
    declaration = context.declarations[THRESHOLDS]
    fields = {field.name: str(field.type) for field in dataclasses.fields(Thresholds)}
    problems = []
    for key, value in thresholds.items():
        kind = fields.get(str(key))
        item = Declaration(f"{THRESHOLDS}.{key}", kind or "raw", activities=declaration.activities if kind else ())
        if kind is None:
            problems.append(_problem(item, UNKNOWN_KEY, f"'{key}' no es un mínimo del RPI.", f"'{key}' is not an RPI minimum.",
                                     (f"Use: {', '.join(fields)}.", f"Use: {', '.join(fields)}.")))
            continue
        found, converted = check_declared(item, value, required=True)
        if not found and kind == "int" and converted <= 0:
            found = [_problem(item, "input_not_positive", f"es {converted}; debe ser mayor que 0.", f"is {converted}; it must be above 0.",
                              ("Escriba el mínimo del RPI, por ejemplo 4 núcleos o 16 GB.", "Write the RPI's minimum, for example 4 cores or 16 GB."))]
        problems += found
    return problems


def positive_rule(context: RunContext) -> list[OptionProblem]:
    """Timeouts and ages that bound a wait are above zero."""
    problems = []
    for name in POSITIVE:
        value = context.passed.get(name)
        if name in context.declarations and isinstance(value, (int, float)) and not isinstance(value, bool) and value <= 0:
            declaration = context.declarations[name]
            shown = _shown(declaration.default) if declaration.has_default else None
            problems.append(_problem(declaration, "input_not_positive", f"es {value}; debe ser mayor que 0.",
                                     f"is {value}; it must be above 0.",
                                     (f"Escriba un número mayor que 0{f' (por omisión {shown})' if shown else ''}.",
                                      f"Write a number above 0{f' (default {shown})' if shown else ''}.")))
    return problems


def license_rule(context: RunContext) -> list[OptionProblem]:
    """When setup will install, activity 6's acceptance and diagnostic-data choice, in license_acceptance's words."""
    if not context.setup_certain or not context.runs(6):
        return []
    _acceptance, problems = check_license(accept=context.passed.get(ACCEPT), diagnostic_data=context.passed.get(DIAGNOSTIC),
                                          media_version=None, accepted_by="-",
                                          variable_names={"accept": ACCEPT, "diagnostic_data": DIAGNOSTIC})
    usable = {option for option, name in (("accept", ACCEPT), ("diagnostic_data", DIAGNOSTIC)) if context.usable(name)}
    return [problem for problem in problems if problem.option in usable]


def _role(context: RunContext) -> str | None:
    try:
        return normalize_role(context.value(ROLE, MAILBOX))
    except ValueError:
        return None  # activity 1 refuses it


def role_options_rule(context: RunContext) -> list[OptionProblem]:
    """When setup will install, activities 5 and 7 as exchange_setup_options checks them (plugin_utils/_setup/options.py), without
    what needs the media's version: paths, organisation name, database, domain controller, drives and free space."""
    if not context.setup_certain or not context.runs(7) or not context.facts:
        return []
    fields = {option: context.value(name) for option, name in ROLE_OPTION_VARIABLES.items()}
    fields["role"] = _role(context) or MAILBOX
    for flag in ("first_server", "disable_am_filtering", "do_not_start_transport"):
        fields[flag] = bool(fields.get(flag))
    fields["extended_protection"] = fields.get("extended_protection") or "enable"
    selection = select_role_options(RoleRequest(mode="install", media_version=None, **fields), context.facts,
                                    variable_names=ROLE_OPTION_VARIABLES)
    return [problem for problem in selection.problems
            if problem.option not in ("media_version", "server_facts", "mode", "role") and context.usable(_root(problem))]


def first_server_needs_a_name(context: RunContext) -> bool:
    """Setup will install the first Mailbox server of a new organisation: /Mode:Install needs /OrganizationName."""
    return (context.setup_certain and context.runs(7) and context.usable(FIRST_SERVER, ROLE) and bool(context.value(FIRST_SERVER, True))
            and _role(context) == MAILBOX)


def organization_rule(context: RunContext) -> list[OptionProblem]:
    """A first Mailbox server of a new organisation is installed with its name: setup refuses /Mode:Install without it."""
    if ORGANIZATION in context.given or not first_server_needs_a_name(context):
        return []
    declaration = context.declarations[ORGANIZATION]
    return [_problem(declaration, "organization_name_required",
                     f"falta: el primer servidor Exchange de la organización ({FIRST_SERVER}: true) se instala con el nombre de la "
                     "organización, y Setup.exe lo rechazaría sin él.",
                     f"is missing: the organization's first Exchange server ({FIRST_SERVER}: true) is installed with the "
                     "organization's name, and Setup.exe would refuse it without one.",
                     (f"Defina {ORGANIZATION} (de 1 a 64 caracteres: letras, dígitos, guiones y espacios; no se puede cambiar "
                      f"después), o {FIRST_SERVER}: false si la organización ya existe.",
                      f"Set {ORGANIZATION} (1 to 64 characters: letters, digits, hyphens and spaces; it can't be changed later), "
                      f"or {FIRST_SERVER}: false if the organization already exists."))]


def notice_rule(context: RunContext) -> list[OptionProblem]:
    """Activity 11's e-mail notice, with the relay's non-empty keys on top, as report_notice will need it."""
    if not context.runs(11) or not context.usable(NOTICE, RELAY):
        return []
    notice = dict(context.value(NOTICE) or {})
    relay = {key: value for key, value in (context.value(RELAY) or {}).items() if value not in (None, "")}
    merged = {**notice, **relay}
    declaration = context.declarations[NOTICE]

    def item(key: str, kind: str = "raw") -> Declaration:
        where = RELAY if key in relay else NOTICE
        return Declaration(f"{where}.{key}", kind, activities=declaration.activities, no_log=key == "smtp_password")

    problems: list[OptionProblem] = []
    enabled_problems, enabled = check_declared(item("enabled", "bool"), merged.get("enabled", False))
    problems += enabled_problems
    port = merged.get("smtp_port")
    if port not in (None, ""):
        found, number = check_declared(item("smtp_port", "int"), port)
        if not found and not 0 < number < 65536:
            found = [_problem(item("smtp_port", "int"), "input_not_a_port", f"{number} no es un puerto TCP.", f"{number} is not a TCP port.",
                              ("Use 587 (starttls), 465 (tls) o 25, o déjelo vacío.", "Use 587 (starttls), 465 (tls) or 25, or leave it empty."))]
        problems += found
    security = merged.get("smtp_security")
    if security not in (None, ""):
        problems += check_declared(dataclasses.replace(item("smtp_security", "str"), choices=SECURITY_MODES), security)[0]
    if enabled:
        for key, es, en in (("smtp_host", "el servidor SMTP", "the SMTP server"), ("sender", "el remitente", "the sender"),
                            ("recipients", "los destinatarios", "the recipients")):
            if merged.get(key) in (None, "", []):
                problems.append(_problem(item(key), MISSING, f"el aviso está activado (enabled: true) y no indica {es}.",
                                         f"the notice is enabled (enabled: true) and does not give {en}.",
                                         (f"Indique {NOTICE}.{key}, o {NOTICE}.enabled: false si no se envía el aviso por correo.",
                                          f"Set {NOTICE}.{key}, or {NOTICE}.enabled: false if no notice is e-mailed.")))
    return problems


SECURITY_UPDATE = "rpi_exchange_security_update"
POSITIVE += ("await_installation_security_update_timeout",)


def security_update_rule(context: RunContext) -> list[OptionProblem]:
    """The SU/HU package's shape (absolute .exe path with its KB in the name, a KB the catalogue knows, a SHA-256); which
    build it belongs to and its hash are checked in activity 2 once the media and the package are read
    (plugins/plugin_utils/_update/package.py)."""
    value = context.passed.get(SECURITY_UPDATE)
    if SECURITY_UPDATE not in context.passed or not context.usable(SECURITY_UPDATE):
        return []
    return list(check_security_update_shape(value))


def product_key_rule(context: RunContext) -> list[OptionProblem]:
    """Activity 10's product key has the shape of one (five groups of five letters or digits): refused here, before any
    change, naming the variable and never showing the key (plugins/plugin_utils/_server/product_key.py)."""
    value = context.passed.get(product_key.VARIABLE)
    if product_key.VARIABLE not in context.passed or not context.usable(product_key.VARIABLE) or product_key.well_formed(value):
        return []
    declaration = context.declarations[product_key.VARIABLE]
    return [_problem(declaration, product_key.MALFORMED, product_key.SHAPE_ES, product_key.SHAPE_EN,
                     (product_key.FIX_ES, product_key.FIX_EN))]


RULES: tuple[Rule, ...] = (media_rule, thresholds_rule, positive_rule, license_rule, role_options_rule, organization_rule, notice_rule,
                           security_update_rule, product_key_rule)
# Required only in some runs, which the declaration's `required` cannot say: a null or empty value is then refused with
# "write its value", and the rule named here says what is missing.
REQUIRED_WHEN: dict[str, tuple[Callable[[RunContext], bool], str, str]] = {
    ORGANIZATION: (first_server_needs_a_name,
                   f"El primer servidor Exchange de la organización ({FIRST_SERVER}: true) se instala con su nombre; si la "
                   f"organización ya existe, defina {FIRST_SERVER}: false.",
                   f"The organization's first Exchange server ({FIRST_SERVER}: true) is installed with its name; if the "
                   f"organization already exists, set {FIRST_SERVER}: false."),
}
# Said missing by a rule, in the words of the module that checks it later, rather than by the declared `required`.
RULE_REQUIRED = (ACCEPT, DIAGNOSTIC, ORGANIZATION)


def required_in_run(declaration: Declaration, context: RunContext) -> bool:
    """Required by a role of an activity this run certainly runs, or by a condition of REQUIRED_WHEN."""
    condition = REQUIRED_WHEN.get(declaration.name)
    return any(context.runs(activity) for activity in declaration.required_by) or bool(condition and condition[0](context))


def _why_required(problems: list[OptionProblem], context: RunContext) -> list[OptionProblem]:
    """A value that only this run requires (REQUIRED_WHEN) says why in its fix."""
    named = []
    for problem in problems:
        condition = REQUIRED_WHEN.get(problem.name)
        if condition and problem.code in (NULL, EMPTY) and condition[0](context):
            problem = dataclasses.replace(problem, fix_es=f"{problem.fix_es} {condition[1]}", fix_en=f"{problem.fix_en} {condition[2]}")
        named.append(problem)
    return named


# --- all of it --------------------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class RunInputs:
    """The outcome: every problem, and what was checked."""

    problems: tuple[OptionProblem, ...]
    checked: tuple[str, ...]
    given: tuple[str, ...]
    setup_certain: bool
    activities: tuple[int, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def message(self, language: str = SPANISH) -> str:
        if self.ok:
            return i18n.text(language, f"Los {len(self.checked)} datos de la ejecución son válidos.",
                             f"The run's {len(self.checked)} inputs are valid.")
        closing = i18n.text(language, CLOSING_ES, CLOSING_EN)
        if any(problem.code == NULL for problem in self.problems):
            closing = i18n.text(language, NULL_NOTE_ES, NULL_NOTE_EN) + " " + closing
        return failure_message(TITLE_ES, TITLE_EN, self.problems, language) + "\n" + closing

    def as_dict(self) -> dict[str, Any]:
        return {"problems": [problem.as_dict() for problem in self.problems], "checked": list(self.checked),
                "given": list(self.given), "setup_certain": self.setup_certain, "activities": list(self.activities)}


def _root(problem: OptionProblem) -> str:
    return re.split(r"[.\[]", problem.name, maxsplit=1)[0]


def check_run_inputs(values: Mapping[str, Any], *, facts: Mapping[str, Any] | None = None,
                     activities: Iterable[int] = INSTALL_RUN, not_evaluable: Mapping[str, str] | None = None,
                     declared: Mapping[str, Declaration] | None = None, rules: Iterable[Rule] = RULES) -> RunInputs:
    """Every problem with the run's inputs.

    `values`: the variables that are given (absent: not a key; `None`: given as null), already templated.
    `facts`: activity 1's server facts (`rpi_exchange`), for `setup_certain` and the drives. `activities`: the run's.
    `not_evaluable`: variables whose template could not be evaluated, with ansible-core's error.
    """
    declared = declarations() if declared is None else declared
    run = tuple(sorted(set(activities)))
    # Each variable as the run's own roles declare it (the activities its messages name are the run's).
    in_run = {name: dataclasses.replace(item, activities=tuple(number for number in item.activities if number in run))
              for name, item in declared.items() if set(item.activities) & set(run)}
    context = RunContext(declarations=in_run, given={name: values[name] for name in in_run if name in values}, passed={},
                         failed=set(), facts=facts, activities=run, setup_certain=setup_certain(facts))
    found: dict[str, list[OptionProblem]] = {}
    # First every given value against its declaration, so that conditions on other variables see them all.
    for name, declaration in in_run.items():
        if name in (not_evaluable or {}):
            found[name] = [_problem(declaration, NOT_EVALUABLE, f"no se pudo evaluar su plantilla: {not_evaluable[name]}",
                                    f"its template could not be evaluated: {not_evaluable[name]}",
                                    ("Corrija la expresión {{ ... }} de su valor.", "Correct the {{ ... }} expression of its value."))]
        elif name in context.given:
            found[name], converted = check_declared(declaration, context.given[name])
            if not found[name]:
                context.passed[name] = converted
    context.failed.update(name for name, items in found.items() if items)
    # Then what the run requires: absent, or refused with "write its value" rather than "or remove the line".
    problems: list[OptionProblem] = []
    for name, declaration in in_run.items():
        required = required_in_run(declaration, context)
        if name not in context.given and name not in found:
            if required and name not in RULE_REQUIRED:
                context.failed.add(name)
                problems.append(_problem(declaration, MISSING, "falta", "is missing", _value_fix(declaration, True)))
        elif found.get(name):
            problems += _why_required(check_declared(declaration, context.given[name], required=True)[0], context) \
                if required and name in context.given else found[name]
    for rule in rules:
        problems += rule(context)
    order = {name: index for index, name in enumerate(in_run)}
    problems.sort(key=lambda problem: order.get(_root(problem), len(order)))
    return RunInputs(problems=tuple(problems), checked=tuple(in_run), given=tuple(context.given), setup_certain=context.setup_certain,
                     activities=run)


def run_inputs_evidence(outcome: RunInputs, language: str = SPANISH) -> dict[str, Any]:
    """The `rpi_report` evidence: the inputs checked, or every problem."""
    details = dict(outcome.as_dict(), activity=ACTIVITY, status="accepted" if outcome.ok else "refused", language=language)
    if outcome.ok:
        certain_es = "; el servidor no tiene Exchange: también las opciones de las actividades 5 a 8" if outcome.setup_certain else ""
        certain_en = "; the server has no Exchange: the options of activities 5 to 8 too" if outcome.setup_certain else ""
        return report_evidence(EVIDENCE_KIND,
                               f"Datos de la ejecución comprobados antes de cambiar nada: {len(outcome.checked)} variables, "
                               f"{len(outcome.given)} indicadas{certain_es}.",
                               f"Run inputs checked before changing anything: {len(outcome.checked)} variables, {len(outcome.given)} "
                               f"given{certain_en}.", details, level="ok")
    return report_evidence(EVIDENCE_KIND, outcome.message(SPANISH), outcome.message(ENGLISH), details, level="error")
