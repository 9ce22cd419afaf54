"""The data between activities, as procedure.py's table declares it, against what the roles' tasks really do.

Each role's tasks (YAML) are read for the names they register and for the `<role>_...` variables their templates and
conditions read. The table must say the same: an activity provides exactly what its role registers, and reads from
another role only what it `needs` (provided by an earlier activity) or reads with a default (`optional`). The tags
follow from the table: a read-only task providing what a later activity needs carries that activity's tag (so that
`--tags <activity>` works alone); a task that changes the server carries only its own activity's tag.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from ansible_collections.rpi.exchange.plugins.plugin_utils.procedure import ACTIVITIES, ACTIVITY_BY_ROLE, PROVIDER, context_tags, pulled_in

ROOT = Path(__file__).resolve().parents[3]
PLAYBOOK = ROOT / "playbooks" / "install_exchange.yml"
# Activity 12 is its own playbook (review_installation.yml): no data passes to it through variables.
ROLES = [activity for activity in ACTIVITIES if activity.number <= 11]
ROLE_NAMES = sorted((activity.role for activity in ACTIVITIES), key=len, reverse=True)
VARIABLE = re.compile(r"\b(?:%s)_[a-z0-9_]+\b" % "|".join(ROLE_NAMES))
TEMPLATE = re.compile(r"\{\{(.*?)\}\}|\{%(.*?)%\}", re.DOTALL)
# Keys whose value is a Jinja expression without braces.
EXPRESSION_KEYS = ("when", "failed_when", "changed_when", "until", "loop")
# Modules whose every call changes the server (or may restart it); exchange_media only when it mounts or unmounts.
CHANGING_MODULES = {"exchange_prerequisites", "exchange_setup", "exchange_ad_prepare", "winrm_config", "run_lock"}
NOT_TASK_KEYS = {"name", "tags", "when", "register", "vars", "loop", "loop_control", "block", "rescue", "always", "notify",
                 "ignore_errors", "no_log", "failed_when", "changed_when", "until", "retries", "delay", "become",
                 "check_mode", "delegate_to", "run_once", "environment", "timeout", "args"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or []


def walk(tasks: list[dict], inherited: tuple[str, ...] = ()) -> Iterator[tuple[dict, tuple[str, ...]]]:
    """Every task, blocks opened, with the tags its blocks give it plus its own."""
    for task in tasks or []:
        tags = inherited + tuple(as_list(task.get("tags")))
        sections = [task[key] for key in ("block", "rescue", "always") if key in task]
        if sections:
            yield task, tags
            for section in sections:
                yield from walk(section, tags)
        else:
            yield task, tags


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def module_of(task: dict) -> tuple[str, Any]:
    for key, value in task.items():
        if key not in NOT_TASK_KEYS and ("." in key or key.startswith("win_")):
            return key, value
    return "", None


def changes_server(task: dict) -> bool:
    module, args = module_of(task)
    short = module.rsplit(".", 1)[-1]
    if module.startswith("ansible.windows.") or short.startswith("win_") or short in CHANGING_MODULES:
        return True
    return short == "exchange_media" and isinstance(args, dict) and args.get("state") in ("mounted", "unmounted")


def expressions(value: Any, key: str = "") -> Iterator[str]:
    """The Jinja expressions in a task's values (never the keys, never `register`, never a block's children)."""
    if isinstance(value, dict):
        for inner_key, inner in value.items():
            if inner_key in ("register", "name", "block", "rescue", "always", "tags"):
                continue
            yield from expressions(inner, inner_key)
    elif isinstance(value, list):
        for item in value:
            yield from expressions(item, key)
    elif isinstance(value, str):
        if key in EXPRESSION_KEYS and "{{" not in value:
            yield value
        for match in TEMPLATE.finditer(value):
            yield match.group(1) or match.group(2)


def own_names(role: str) -> set[str]:
    """What a role defines for itself: its defaults and vars, and every task's `vars:`."""
    names: set[str] = set()
    for folder in ("defaults", "vars"):
        path = ROOT / "roles" / role / folder / "main.yml"
        if path.is_file():
            names |= set(load(path) or {})
    for task, _tags in role_tasks(role):
        names |= set(task.get("vars") or {})
    return names


def role_tasks(role: str) -> list[tuple[dict, tuple[str, ...]]]:
    found = []
    for path in sorted((ROOT / "roles" / role / "tasks").glob("*.yml")):
        found += list(walk(load(path)))
    return found


def registered(role: str) -> set[str]:
    return {task["register"] for task, _tags in role_tasks(role) if "register" in task}


def playbook_imports() -> dict[str, dict]:
    play = load(PLAYBOOK)[0]
    imports = {}
    for task, _tags in walk(play["tasks"]):
        imported = task.get("ansible.builtin.import_role")
        if imported:
            imports[imported["name"].rsplit(".", 1)[-1]] = task
    return imports


def reads(role: str) -> list[tuple[str, str]]:
    """(variable, expression) for every `<role>_...` variable the role's tasks, or the playbook's import of it, read."""
    found = []
    sources = [task for task, _tags in role_tasks(role)]
    imported = playbook_imports().get(role)
    if imported:
        sources.append({"when": imported.get("when")})
    for task in sources:
        for expression in expressions(dict(task.items())):
            found += [(name, expression) for name in VARIABLE.findall(expression)]
    return found


def guarded(name: str, expression: str) -> bool:
    """Every occurrence of `name` is read with a default, or after a test that it is defined."""
    if re.search(rf"\b{name}\s+is\s+not\s+defined\s+or\b", expression):
        return True
    for match in re.finditer(rf"\b{name}\b((?:\.\w+|\[[^\]]*\])*)", expression):
        after = expression[match.end():]
        if not re.match(r"\s*\|\s*default\b|\s+is\s+(not\s+)?defined\b", after):
            return False
    return True


def test_the_scan_finds_the_known_flow():
    """The parsing is right: the names the issue counted are found where they are."""
    readers = {activity.role for activity in ROLES if any(name == "prepare_server_media" for name, _where in reads(activity.role))}
    assert {"run_setup_program", "await_installation", "begin_installation"} <= readers
    assert "prepare_server_media" in registered("prepare_server")
    assert any(changes_server(task) for task, _tags in role_tasks("begin_installation"))


@pytest.mark.parametrize("activity", ROLES, ids=lambda activity: activity.role)
def test_an_activity_provides_what_its_role_registers(activity):
    assert set(activity.provides) == registered(activity.role)


@pytest.mark.parametrize("activity", ROLES, ids=lambda activity: activity.role)
def test_what_a_role_reads_is_its_own_or_declared_and_provided_earlier(activity):
    own = own_names(activity.role) | registered(activity.role)
    declared = set(activity.needs) | set(activity.optional)
    read_from_others = set()
    for name, expression in reads(activity.role):
        if name.startswith(activity.role + "_"):
            assert name in own, f"{activity.role} reads {name}, which it neither registers nor defines"
            continue
        read_from_others.add(name)
        assert name in declared, f"{activity.role} reads {name}: procedure.py must list it in `needs` or `optional`"
        if name in activity.optional:
            assert guarded(name, expression), f"{activity.role} reads the optional {name} without a default: {expression!r}"
    # Nothing stale in the table: what it declares is read.
    assert declared <= read_from_others, sorted(declared - read_from_others)
    for name in declared:
        provider = PROVIDER.get(name)
        if provider is None:
            # An earlier role's default (for example a tail size): read with a default, never needed.
            owner = next(role for role in ROLE_NAMES if name.startswith(role + "_"))
            assert name in activity.optional and name in own_names(owner), name
            assert ACTIVITY_BY_ROLE[owner].number < activity.number, name
        else:
            assert provider.number < activity.number, f"{activity.role} needs {name}, provided later by {provider.role}"


def test_a_need_is_provided_by_a_task_that_runs_under_the_needing_tag():
    """A needed name comes from a read-only task (which can carry other tags), never from one that changes the server."""
    for activity in ROLES:
        for name in pulled_in(activity):
            provider = PROVIDER[name]
            if provider.number == 1:
                continue  # activity 1 always runs
            tasks = [task for task, _tags in role_tasks(provider.role) if task.get("register") == name]
            assert tasks and not any(changes_server(task) for task in tasks), (activity.role, name)


@pytest.mark.parametrize("activity", [activity for activity in ROLES if activity.number > 1], ids=lambda activity: activity.role)
def test_tags_follow_the_table(activity):
    """Read-only context tasks carry the tags of every activity that needs them; server changes only their own."""
    role_context = tuple(tag for tag in (activity_.tag for activity_ in ACTIVITIES)
                         if any(tag in context_tags(name) for name in activity.provides))
    for task, tags in role_tasks(activity.role):
        extra = set(tags) - {activity.tag}
        label = f"{activity.role}: {task.get('name')}"
        if changes_server(task):
            assert extra <= {"always"}, f"{label} changes the server and carries another activity's tag: {sorted(extra)}"
            continue
        if "block" in task:
            continue  # its children are checked with the block's tags
        name = task.get("register")
        if name in PROVIDER and context_tags(name):
            # What another activity needs runs under that activity's tag: exactly those.
            assert sorted(extra) == sorted(context_tags(name)), f"{label}: tags must be {list(context_tags(name))}"
        else:
            # A read-only check (a guard, a reading of the server) runs with its own activity only, or with every
            # activity its activity's data is pulled in for: never a hand-picked subset.
            assert not extra or sorted(extra) == sorted(role_context), f"{label}: tags must be none or {list(role_context)}"


def test_the_playbook_tags_each_activity_with_its_own_name():
    imports = playbook_imports()
    for activity in ROLES:
        expected = {activity.tag, "always"} if activity.number == 1 else {activity.tag}
        assert set(as_list(imports[activity.role].get("tags"))) == expected, activity.role
