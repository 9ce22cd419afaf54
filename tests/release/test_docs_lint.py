"""The collection's documentation as the Ansible documentation site would build it: `antsibull-docs lint-collection-docs
--plugin-docs` (the plugins' and roles' documentation schemas, their markup and references, the extra docs)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# antsibull-docs wants the collection where Ansible finds it, ansible_collections/rpi/exchange: the link that
# tools/bootstrap.sh makes in the virtual environment points at this checkout.
COLLECTIONS = Path(sys.prefix) / "collections"
LINKED = COLLECTIONS / "ansible_collections" / "rpi" / "exchange"


def test_antsibull_docs_finds_no_problem(tmp_path: Path, tool, clean_env):
    antsibull_docs = tool("antsibull-docs")
    if not LINKED.is_dir() or LINKED.resolve() != ROOT:
        pytest.skip(f"{LINKED} does not lead to this checkout (tools/bootstrap.sh makes the link)")
    done = subprocess.run([str(antsibull_docs), "lint-collection-docs", "--plugin-docs", str(LINKED)], cwd=tmp_path,
                          env=dict(clean_env, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS)), capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
