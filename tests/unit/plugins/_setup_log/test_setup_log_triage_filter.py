# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The rpi.exchange.setup_log_triage filter: what a playbook can hand it, and its documentation."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ansible_collections.rpi.exchange.plugins.filter.setup_log_triage import FilterModule

FIXTURES = Path(__file__).parent / "fixtures"
TEXT = (FIXTURES / "cu_upgrade_msi_1603.log").read_text(encoding="utf-8")
FILTER = FilterModule().filters()["setup_log_triage"]


def test_text():
    assert FILTER(TEXT)["category"] == "msi_installer"


def test_slurp_result():
    slurped = {"content": base64.b64encode(TEXT.encode("utf-8")).decode("ascii"), "encoding": "base64", "source": "C:\\x"}
    assert FILTER(slurped)["msi_error_code"] == 1603


def test_slurp_of_a_utf16_file():
    slurped = {"content": base64.b64encode(TEXT.encode("utf-16")).decode("ascii"), "encoding": "base64"}
    assert FILTER(slurped)["category"] == "msi_installer"


def test_lines():
    assert FILTER(TEXT.splitlines())["outcome"] == "failed"


@pytest.mark.parametrize("value", [{"content": "not base64 !!", "encoding": "base64"}, {"content": None}, {}, [], None, 7])
def test_odd_input_never_raises(value):
    assert FILTER(value)["outcome"] in ("unknown", "incomplete", "failed", "succeeded")


def test_result_is_plain_data():
    json.dumps(FILTER(TEXT))


def test_ansible_doc_renders(repo_root):
    ansible_doc = Path(sys.executable).with_name("ansible-doc")
    if not ansible_doc.exists() and shutil.which("ansible-doc") is None:
        pytest.skip("ansible-doc is not installed next to this Python")
    command = [str(ansible_doc) if ansible_doc.exists() else "ansible-doc", "-t", "filter", "--json", "rpi.exchange.setup_log_triage"]
    completed = subprocess.run(command, cwd=repo_root, capture_output=True, text=True, timeout=120, check=False,
                               env=dict(os.environ, ANSIBLE_CONFIG=str(repo_root / "ansible.cfg")))
    assert completed.returncode == 0, completed.stderr
    doc = json.loads(completed.stdout)["rpi.exchange.setup_log_triage"]
    assert doc["doc"]["name"] == "setup_log_triage"
    assert "outcome" in doc["return"]["_value"]["contains"]
