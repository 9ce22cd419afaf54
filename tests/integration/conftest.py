"""End-to-end tests: real ansible-playbook -> winrm plugin -> pywinrm -> HTTPS -> the simulated RPI server.

Fixtures:
- `simulator_factory(preset, **options)` starts a simulated server (stopped after the test) and returns
  a `simulator.launch.RunningSimulator` with its inventory written.
- `ansible_playbook(playbook, inventory, *args, extra_vars=None)` runs the real ansible-playbook of the
  interpreter running pytest (so the ansible-core 2.21 line runs its own) and returns a `PlaybookRun`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from simulator import launch

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    report_dir: Path

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def recap(self) -> dict[str, int]:
        """The PLAY RECAP counters of the single host (ok, changed, unreachable, failed, skipped, rescued, ignored)."""
        for line in self.stdout.splitlines():
            if line.startswith(launch.INVENTORY_HOSTNAME) and "ok=" in line:
                return {key: int(value) for key, value in (item.split("=") for item in line.split(":", 1)[1].split())}
        return {}

    def latest_report(self) -> dict[str, Any] | None:
        path = self.report_dir / "latest" / "report.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def ansible_env(tmp_path: Path, report_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "ANSIBLE_CONFIG": str(ROOT / "ansible.cfg"),
        "ANSIBLE_COLLECTIONS_PATH": str(Path(sys.prefix) / "collections"),
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "RPI_EXCHANGE_REPORT_DIR": str(report_dir),
        "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    })
    return env


@pytest.fixture
def simulator_factory(tmp_path: Path) -> Callable[..., launch.RunningSimulator]:
    started: list[launch.RunningSimulator] = []

    def start(preset: str, **options: Any) -> launch.RunningSimulator:
        workdir = tmp_path / f"simulator-{len(started)}"
        running = launch.start(preset, workdir, **options)
        started.append(running)
        return running

    yield start
    for running in started:
        running.stop()


@pytest.fixture
def ansible_playbook(tmp_path: Path) -> Callable[..., PlaybookRun]:
    def run(playbook: str | Path, inventory: str | Path, *args: str, extra_vars: dict[str, Any] | None = None,
            timeout: int = 300, env: dict[str, str] | None = None) -> PlaybookRun:
        report_dir = tmp_path / "reports"
        command = [str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *args]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        full_env = ansible_env(tmp_path, report_dir)
        full_env.update(env or {})
        done = subprocess.run(command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=timeout, check=False)
        return PlaybookRun(done.returncode, done.stdout, done.stderr, report_dir)

    return run


@pytest.fixture
def instruction_file(tmp_path: Path) -> Path:
    """Activity 1's instruction, with a window around now (Guatemala time), as `-e @file`."""
    now = datetime.now(timezone(timedelta(hours=-6)))
    path = tmp_path / "instruccion.yml"
    path.write_text(yaml.safe_dump({"rpi_exchange_instruction": {
        "instructed_by": "Ing. María López, Encargada de TI",
        "reference": "MEMO-DTI-2026-041",
        "window_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "window_end": (now + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }}, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def rpi_simulator(simulator_factory):
    """Start a simulated RPI server whose inventory carries the RPI's options (inventories/simulated)."""
    def start(preset: str, **options: Any) -> launch.RunningSimulator:
        return simulator_factory(preset, inventory_dir=ROOT / "inventories" / "simulated", **options)
    return start


@dataclass
class BackgroundRun:
    """An ansible-playbook started and left running: the tests act on the server (or on it) meanwhile."""

    process: subprocess.Popen
    report_dir: Path
    log: Path

    def wait(self, timeout: float = 300) -> PlaybookRun:
        self.process.wait(timeout=timeout)
        output = self.log.read_text(encoding="utf-8", errors="replace")
        return PlaybookRun(self.process.returncode, output, "", self.report_dir)

    def kill(self) -> None:
        """What a power cut does to the controller: every process of the run dies at once, with no handler, no atexit
        and no last report write. ansible-core's workers start their own sessions (os.setsid), so the process group
        is not enough: the whole tree is found through /proc and killed."""
        tree = _descendants(self.process.pid) + [self.process.pid]
        for pid in tree:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.process.wait(timeout=30)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text(encoding="utf-8").rsplit(")", 1)[-1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, pending = [], [root]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


@pytest.fixture
def background_playbook(tmp_path: Path) -> Callable[..., BackgroundRun]:
    started: list[BackgroundRun] = []

    def start(playbook: str | Path, inventory: str | Path, *args: str, extra_vars: dict[str, Any] | None = None,
              name: str = "background") -> BackgroundRun:
        report_dir = tmp_path / f"reports-{name}"
        command = [str(BIN / "ansible-playbook"), "-i", str(inventory), str(playbook), *args]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        log = tmp_path / f"{name}.log"
        with log.open("w", encoding="utf-8") as sink:
            process = subprocess.Popen(command, cwd=ROOT, env=ansible_env(tmp_path / name, report_dir), stdout=sink,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        run = BackgroundRun(process, report_dir, log)
        started.append(run)
        return run

    yield start
    for run in started:
        if run.process.poll() is None:
            run.kill()


def report_schema_errors(document: dict[str, Any]) -> list[str]:
    """Every way a report breaks its schema (plugins/plugin_utils/report/schema.json); empty when valid."""
    import jsonschema  # pylint: disable=import-outside-toplevel

    schema = json.loads((ROOT / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
    return [f"{list(error.absolute_path)}: {error.message}" for error in jsonschema.Draft202012Validator(schema).iter_errors(document)]
