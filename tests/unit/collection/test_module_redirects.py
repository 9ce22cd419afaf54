"""Renamed modules: the old name in meta/runtime.yml still runs the new module, with a deprecation warning."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
ANSIBLE_PLAYBOOK = BIN / "ansible-playbook"

# old name -> new name; the old one goes in rpi.exchange 1.0.0.
RENAMED = {"exchange_roles": "exchange_setup_options"}

PLAYBOOK = """
- name: The old name of a renamed module
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Validate setup options by the old name
      {old}:
        media_version: 15.2.1748.10
        mode: upgrade
        server_facts: {{}}
        language: en
      register: old_name
      ignore_errors: true

    - name: Show what ran, as one line
      ansible.builtin.debug:
        msg: "RESULT {{{{ old_name | to_json | b64encode }}}}"
"""


def test_runtime_routes_each_old_name_with_a_deprecation():
    routing = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))["plugin_routing"]
    for old, new in RENAMED.items():
        module = routing["modules"][old]
        assert module["redirect"] == f"rpi.exchange.{new}"
        assert module["deprecation"]["removal_version"] == "1.0.0"
        assert new in module["deprecation"]["warning_text"]
        assert routing["action"][old]["redirect"] == f"rpi.exchange.{new}"
        assert (ROOT / "plugins" / "modules" / f"{new}.py").is_file()
        assert (ROOT / "plugins" / "action" / f"{new}.py").is_file()
        assert not (ROOT / "plugins" / "modules" / f"{old}.py").exists()


@pytest.mark.skipif(not ANSIBLE_PLAYBOOK.exists(), reason="ansible-playbook is not installed beside this Python")
@pytest.mark.parametrize("old, new", sorted(RENAMED.items()))
def test_the_old_fqcn_still_runs_the_new_module(tmp_path, old, new):
    playbook = tmp_path / "old_name.yml"
    playbook.write_text(PLAYBOOK.format(old=f"rpi.exchange.{old}"), encoding="utf-8")
    config = tmp_path / "ansible.cfg"  # no run report callback, no inventory: only the collection
    config.write_text("[defaults]\n", encoding="utf-8")
    env = dict(os.environ, ANSIBLE_CONFIG=str(config), ANSIBLE_NOCOLOR="1", ANSIBLE_DEPRECATION_WARNINGS="1",
               ANSIBLE_COLLECTIONS_PATH=str(Path(sys.prefix) / "collections"), ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    done = subprocess.run([str(ANSIBLE_PLAYBOOK), "-i", "localhost,", str(playbook)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    warning = " ".join(done.stderr.split())  # the warning is wrapped to the terminal's width
    assert "DEPRECATION WARNING" in warning and f"rpi.exchange.{old}" in warning and f"rpi.exchange.{new}" in warning, done.stderr
    encoded = re.search(r"RESULT ([A-Za-z0-9+/=]+)", done.stdout).group(1)
    result = json.loads(base64.b64decode(encoded))
    # The new module's own answer (a module not found would have no `switches`).
    assert "switches" in result and "problems" in result, result
