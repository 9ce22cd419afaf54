"""Each role's README says what the role does, in plain Markdown, and the roles whose names mislead say so first."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROLES = sorted(path.parent.name for path in (ROOT / "roles").glob("*/README.md"))
# ansible-doc markup (C(...), V(...), O(...), M(...), ...) renders only in ansible-doc, not in Markdown.
MARKUP = re.compile(r"\b(?:C|V|O|RV|E|M|I|B|U|L|P)\([^()]*\)")
# The manual's activity names are the tags; these three do not do what the name suggests.
MISLEADING = {
    "run_setup_program": "does not run Setup.exe",
    "start_installation": "does not start setup",
    "begin_installation": "runs Setup.exe",
}


def readme(role: str) -> str:
    return (ROOT / "roles" / role / "README.md").read_text(encoding="utf-8")


def test_every_activity_has_a_readme():
    assert len(ROLES) == 12


@pytest.mark.parametrize("role", ROLES)
def test_the_readme_says_what_the_role_does_without_ansible_doc_markup(role):
    text = readme(role)
    assert not MARKUP.findall(text), f"roles/{role}/README.md: ansible-doc markup {MARKUP.findall(text)}"
    what = text.split("## What it does", 1)[1].strip().split("\n\n", 1)[0]
    assert "tasks/main.yml" not in what and len(what) > 60, f"roles/{role}/README.md: say what the role does"
    assert f"- **Tag:** `{role}`" in text


@pytest.mark.parametrize("role, says", sorted(MISLEADING.items()))
def test_a_misleading_name_is_explained_first(role, says):
    first = readme(role).split("\n\n", 2)[1]  # the first paragraph after the title
    assert says in " ".join(first.split()), first
