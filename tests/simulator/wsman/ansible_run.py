"""Runs a real ansible-playbook (from a given virtual environment) against a WSManServer.

Used by the end-to-end tests and by the payload capture tool. Each run gets its own
ansible.cfg, ANSIBLE_HOME and local temp under `workdir`, so nothing leaks between runs or into
the developer's ~/.ansible, and the product's callbacks are not loaded.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from .server import WSManServer

_CFG = """[defaults]
collections_path = {collections}
host_key_checking = false
retry_files_enabled = false
stdout_callback = ansible.builtin.default
interpreter_python = auto_silent
nocolor = true
"""


def write_inventory(workdir: Path, server: WSManServer, user: str, password: str, **extra: Any) -> Path:
    """hosts.yml (JSON is YAML) with one host `win` that reaches `server`."""
    host_vars = server.inventory_vars(user, password) | extra
    path = workdir / "hosts.yml"
    path.write_text(json.dumps({"all": {"hosts": {"win": host_vars}}}, indent=2), encoding="utf-8")
    return path


def run_playbook(venv: Path, workdir: Path, playbook: Path, inventory: Path, *args: str,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    venv, workdir = venv.absolute(), workdir.absolute()  # the playbook runs with cwd=workdir
    workdir.mkdir(parents=True, exist_ok=True)
    cfg = workdir / "ansible.cfg"
    cfg.write_text(_CFG.format(collections=venv / "collections"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update({
        "ANSIBLE_CONFIG": str(cfg),
        "ANSIBLE_HOME": str(workdir / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    cmd = [str(venv / "bin" / "ansible-playbook"), "-i", str(inventory), str(playbook), *args]
    return subprocess.run(cmd, cwd=workdir, env=env, capture_output=True, text=True, timeout=timeout, check=False)
