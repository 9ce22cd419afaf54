"""A module's `platform` attribute says where it acts: Windows when its action plugin runs modules on the server,
nowhere in particular (`all`, controller only) when it decides on the controller."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_DOC = Path(sys.executable).with_name("ansible-doc")
ACTIONS = sorted(path.stem for path in (ROOT / "plugins" / "action").glob("*.py") if not path.name.startswith("_"))


def reaches_the_server(action: str) -> bool:
    """The action runs a module (or another action, such as win_reboot) on the managed host."""
    source = (ROOT / "plugins" / "action" / f"{action}.py").read_text(encoding="utf-8")
    # ServerAction (plugin_utils/_common/server_action.py) is the base of the actions that call the server.
    return "_execute_module(" in source or "action_loader" in source or "(ServerAction)" in source


@pytest.mark.skipif(not ANSIBLE_DOC.exists(), reason="ansible-doc is not installed beside this Python")
def test_only_actions_that_reach_the_server_claim_windows():
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(Path(sys.prefix) / "collections"), ANSIBLE_NOCOLOR="1")
    done = subprocess.run([str(ANSIBLE_DOC), "--json", "-t", "module", *(f"rpi.exchange.{name}" for name in ACTIONS)],
                          capture_output=True, text=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    docs = json.loads(done.stdout)
    wrong = {}
    for name in ACTIONS:
        platforms = docs[f"rpi.exchange.{name}"]["doc"]["attributes"]["platform"]["platforms"]
        expected = "windows" if reaches_the_server(name) else "all"
        if platforms != expected:
            wrong[name] = (platforms, expected)
    assert not wrong, f"platform attribute (documented, expected): {wrong}"
