"""`ansible-galaxy collection build` ships the collection and nothing of the test or development machinery."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GALAXY = Path(sys.executable).with_name("ansible-galaxy")
MUST_NOT_SHIP = ("tests/", "tools/", ".venv", ".cache/", "extensions/", "reports/", "inventories/local/", "inventories/simulated/",
                 "build/", ".ci/", "benchmarks/", "Makefile", "requirements-dev.txt")
MUST_SHIP = ("galaxy.yml", "meta/runtime.yml", "plugins/action/exchange_setup.py", "plugins/modules/win_exchange_probe.ps1",
             "plugins/callback/procedure_report.py", "roles/begin_installation/tasks/main.yml", "playbooks/install_exchange.yml",
             "playbooks/capture_server.yml", "playbooks/files/capture_server.py", "inventories/rpi/hosts.yml", "LICENSE", "README.md")


@pytest.mark.skipif(not GALAXY.exists(), reason="ansible-galaxy is not installed beside this Python")
def test_the_tarball_holds_the_collection_only(tmp_path: Path):
    done = subprocess.run([str(GALAXY), "collection", "build", "--output-path", str(tmp_path), str(ROOT)], capture_output=True,
                          text=True, env=dict(os.environ, ANSIBLE_NOCOLOR="1"), check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    tarball = next(tmp_path.glob("rpi-exchange-*.tar.gz"))
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
    shipped_galaxy = any(name == "MANIFEST.json" for name in names)
    assert shipped_galaxy
    for prefix in MUST_NOT_SHIP:
        leaked = [name for name in names if name == prefix.rstrip("/") or name.startswith(prefix)]
        assert not leaked, f"{prefix} is in the tarball: {leaked[:5]}"
    for name in MUST_SHIP:
        if name != "galaxy.yml":  # galaxy.yml becomes MANIFEST.json
            assert name in names, f"{name} is missing from the tarball"
