"""Release checks: what a user of a release gets, built and installed the way a user does.

Shared fixtures:
- `tool(name)`: the path of a command installed beside the Python running pytest (skips when absent).
- `clean_env(tmp_path)`: the environment minus every ANSIBLE_* and RPI_EXCHANGE_* variable of the caller, so
  that neither the checkout's ansible.cfg nor its collections path leak into a check.
- `built_tarball`: the collection tarball, built once per session with `ansible-galaxy collection build`.
- `custom_stats`: reads the run-wide custom stats (set_stats) that the default callback prints as `RUN: {json}`.
- `installed_collection`: that tarball installed with `ansible-galaxy collection install --no-deps` into a
  clean collections directory, once per session; returns the directory that holds `ansible_collections`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def galaxy_version() -> str:
    return str(yaml.safe_load((ROOT / "galaxy.yml").read_text(encoding="utf-8"))["version"])


def empty_config(where: Path) -> Path:
    """An ansible.cfg that sets nothing: the command sees Ansible's defaults, not the checkout's configuration."""
    path = where / "ansible.cfg"
    path.write_text("# Ansible's defaults: nothing of the checkout's ansible.cfg.\n[defaults]\n", encoding="utf-8")
    return path


def hermetic_env(home: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ANSIBLE_", "RPI_EXCHANGE_"))}
    env.update({
        "ANSIBLE_HOME": str(home / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(home / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "NO_COLOR": "1",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def tool() -> Callable[[str], Path]:
    def find(name: str) -> Path:
        path = BIN / name
        if not path.exists():
            pytest.skip(f"{name} is not installed beside {sys.executable} (requirements-dev.txt)")
        return path
    return find


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    return hermetic_env(tmp_path)


@pytest.fixture(scope="session")
def built_tarball(tmp_path_factory: pytest.TempPathFactory, tool) -> Path:
    galaxy = tool("ansible-galaxy")
    where = tmp_path_factory.mktemp("build")
    # From outside the checkout, with no ansible.cfg: the build reads galaxy.yml and build_ignore only.
    done = subprocess.run([str(galaxy), "collection", "build", "--output-path", str(where), str(ROOT)], cwd=where,
                          env=hermetic_env(where, ANSIBLE_CONFIG=str(empty_config(where))), capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return where / f"rpi-exchange-{galaxy_version()}.tar.gz"


@pytest.fixture(scope="session")
def installed_collection(tmp_path_factory: pytest.TempPathFactory, built_tarball: Path, tool) -> Path:
    galaxy = tool("ansible-galaxy")
    where = tmp_path_factory.mktemp("installed")
    target = where / "collections"
    # --no-deps: Galaxy is unreachable from our machines; ansible.windows and community.windows come from the
    # virtual environment (tools/bootstrap.sh takes them from the `ansible` package on PyPI).
    done = subprocess.run([str(galaxy), "collection", "install", str(built_tarball), "-p", str(target), "--no-deps"], cwd=where,
                          env=hermetic_env(where, ANSIBLE_CONFIG=str(empty_config(where))), capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (target / "ansible_collections" / "rpi" / "exchange" / "MANIFEST.json").is_file(), done.stdout
    return target


@pytest.fixture(scope="session")
def custom_stats() -> Callable[[str], dict]:
    def read(stdout: str) -> dict:
        for line in stdout.splitlines():
            if line.strip().startswith("RUN: "):
                return json.loads(line.strip()[len("RUN: "):])
        raise AssertionError(f"no CUSTOM STATS in the output (ANSIBLE_SHOW_CUSTOM_STATS):\n{stdout[-3000:]}")
    return read
