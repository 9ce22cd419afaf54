"""What tests/molecule needs to run the molecule scenarios of extensions/molecule against the simulated RPI server.

A *plan* (test_scenarios.py) is what one scenario needs: it starts a simulated server in this process (with the
scenario's preset, and faults armed through the simulator's own model), runs molecule's steps against it as
subprocesses, and keeps everything for the tests: each step's exit status and output, the run reports each step wrote,
and the WindowsHost object itself, so the tests read the server's state from the simulator, not from the playbook.

The molecule that runs is the one beside the interpreter running pytest, so the ansible-core 2.21 virtual environment
runs its own. Plans run concurrently (RPI_EXCHANGE_MOLECULE_JOBS, default 4): a run mostly waits on WinRM round trips
and simulated restarts. Every plan starts when the first test that needs one does; each test waits for its own.
Each plan's work folder (molecule's ephemeral folder, the simulator's CA and inventory, the reports, one log per step
and plan.txt, a summary) is in the session's pytest temporary folder, molecule-<ansible-core version>-N/<plan>/; the
failure messages name it.
"""

from __future__ import annotations

import concurrent.futures
import copy
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from simulator import launch
from simulator.exchange.runtime import model_for
from simulator.snapshot import active_directory
from simulator.windows.state import WindowsHost

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SCENARIOS = ROOT / "extensions" / "molecule"
INVENTORY_DIR = ROOT / "inventories" / "simulated"
STEP_TIMEOUT = int(os.environ.get("RPI_EXCHANGE_MOLECULE_STEP_TIMEOUT", "300"))
JOBS = int(os.environ.get("RPI_EXCHANGE_MOLECULE_JOBS", "4"))

V15 = r"HKLM\SOFTWARE\Microsoft\ExchangeServer\v15"
SETUP_KEY = V15 + r"\Setup"
UNINSTALL_KEY = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{CD981244-E9B8-405A-9026-6AEB9DCEF1F1}"
SETUP_LOG = "C:\\ExchangeSetupLogs\\ExchangeSetup.log"
SETUP_TASK = "\\rpi\\rpi-exchange-setup"  # the scheduled task setup runs from (it holds the setup account's password)
SETUP_OK = "The Exchange Server setup operation completed successfully."
CRITICAL_SERVICES = ("MSExchangeADTopology", "MSExchangeServiceHost", "MSExchangeTransport", "MSExchangeFrontEndTransport",
                     "MSExchangeIS", "MSExchangeRepl", "MSExchangeDelivery", "MSExchangeSubmission", "MSExchangeRPC",
                     "MSExchangeFastSearch", "HostControllerService")


def core_version() -> str:
    from ansible.release import __version__  # pylint: disable=import-outside-toplevel

    return __version__


# ----------------------------------------------------------------------------------------------- the server's state

def installed_version(host: WindowsHost) -> str | None:
    parts = [host.registry.get(SETUP_KEY, name) for name in ("MsiProductMajor", "MsiProductMinor", "MsiBuildMajor", "MsiBuildMinor")]
    return None if any(part is None for part in parts) else ".".join(str(int(part)) for part in parts)


def setup_log(host: WindowsHost) -> str:
    node = host.fs.get(SETUP_LOG)
    return node.data().decode("utf-8", errors="replace") if node is not None else ""


def watermarks(host: WindowsHost) -> dict[str, str]:
    """Role key -> Watermark left by an interrupted setup."""
    return {key: host.registry.get(V15 + "\\" + key, "Watermark") for key in host.registry.subkeys(V15)
            if host.registry.get(V15 + "\\" + key, "Watermark")}


def snapshot(host: WindowsHost) -> dict[str, Any]:
    """Everything the procedure could change on the server, as comparable values (times of access left out)."""
    ad = active_directory(host)
    with host.lock:
        host.poll()
        files = {}
        for letter in sorted(host.fs.volumes):
            for node in host.fs.walk(f"{letter}:\\"):
                content = node.checksum("sha256") if node.content is not None else None
                files[node.path.lower()] = (node.is_dir, node.size, node.version, content, node.readonly)
        return {
            "registry": copy.deepcopy(host.registry._keys),  # pylint: disable=protected-access
            "files": files,
            "environment": dict(host.env),
            "features": sorted(host.features.installed | {f"pending:{name}" for name in host.features.install_pending}),
            "products": sorted(host.products),
            "services": sorted((svc.name, svc.state, svc.start_mode) for svc in host.services.values()),
            "processes": sorted((proc.name, proc.command_line) for proc in host.processes.values() if not proc.system),
            "scheduled_tasks": sorted(host.tasks),
            "mounted_images": dict(host.mounted_images),
            "reboots": host.reboot_count,
            "setup_runs": len(model_for(host).runs),
            "active_directory": ad,
        }


def differences(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots, briefly (for assertion messages)."""
    out: dict[str, Any] = {}
    for key in before:
        if before[key] == after[key]:
            continue
        if isinstance(before[key], dict):
            changed = sorted(k for k in set(before[key]) | set(after[key]) if before[key].get(k) != after[key].get(k))
            out[key] = changed[:12] + ([f"... {len(changed) - 12} more"] if len(changed) > 12 else [])
        elif isinstance(before[key], list):
            out[key] = {"added": sorted(set(map(str, after[key])) - set(map(str, before[key])))[:12],
                        "removed": sorted(set(map(str, before[key])) - set(map(str, after[key])))[:12]}
        else:
            out[key] = f"{before[key]} -> {after[key]}"
    return out


# ----------------------------------------------------------------------------------------------- molecule steps

@dataclass
class Step:
    command: str
    rc: int
    output: str
    seconds: float
    reports: list[Path]  # the run folders this step wrote, oldest first
    log: Path

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.output.splitlines()[-lines:])

    def report(self, index: int = -1) -> dict[str, Any]:
        assert self.reports, f"molecule {self.command} wrote no run report; see {self.log}\n{self.tail()}"
        return json.loads((self.reports[index] / "report.json").read_text(encoding="utf-8"))

    def why(self) -> str:
        """Why a step failed: molecule's and ansible's error lines, then the end of the output."""
        marks = ("CRITICAL", "ERROR", "fatal:", "failed:", "*  =>")
        errors = [line for line in self.output.splitlines() if line.lstrip().startswith(marks)][:20]
        return (f"molecule {self.command} exited {self.rc} after {self.seconds:.0f} s; log {self.log}\n"
                + "\n".join(errors) + "\n...\n" + self.tail(25))


@dataclass
class Lab:
    """One plan's world: its work folder, its simulated server, the molecule steps it ran, what it noted."""

    name: str
    scenario: str
    workdir: Path
    sim: launch.RunningSimulator | None = None
    steps: list[Step] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    error: str = ""
    seconds: float = 0.0

    @property
    def host(self) -> WindowsHost:
        assert self.sim is not None, f"plan {self.name} started no simulated server"
        return self.sim.host

    @property
    def report_dir(self) -> Path:
        return self.workdir / "reports"

    def start(self, preset: str, *, speed: float = 0.0) -> WindowsHost:
        """Start the simulated server in state `preset` and point molecule at its inventory."""
        self.sim = launch.start(preset, self.workdir / "simulator", inventory_dir=INVENTORY_DIR, speed=speed)
        self.env["RPI_EXCHANGE_MOLECULE_INVENTORY"] = str(self.sim.inventory_path)
        # An installed preset ends with a restart; with speed > 0 it is still under way when start() returns.
        deadline = time.monotonic() + 30
        while not self.sim.host.is_up() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.sim.host

    def extra_vars(self, variables: dict[str, Any]) -> Path:
        """Extra vars for every run of this plan (RPI_EXCHANGE_MOLECULE_EXTRA_VARS, see extensions/molecule/config.yml)."""
        path = self.workdir / "extra-vars.yml"
        path.write_text(yaml.safe_dump(variables, sort_keys=False), encoding="utf-8")
        self.env["RPI_EXCHANGE_MOLECULE_EXTRA_VARS"] = str(path)
        return path

    def snapshot(self, label: str) -> dict[str, Any]:
        self.notes[f"snapshot:{label}"] = state = snapshot(self.host)
        return state

    def _run_folders(self) -> list[Path]:
        if not self.report_dir.is_dir():
            return []
        return sorted(path for path in self.report_dir.iterdir() if path.is_dir() and not path.is_symlink())

    def environment(self, extra: dict[str, str] | None = None, keep_test_vm: bool = False) -> dict[str, str]:
        drop = ("MOLECULE_", "ANSIBLE_", "RPI_EXCHANGE_")
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(drop) or (keep_test_vm and key.startswith("RPI_EXCHANGE_TEST_"))}
        env.update({
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # molecule calls ansible-config and ansible-playbook
            "ANSIBLE_COLLECTIONS_PATH": str(Path(sys.prefix) / "collections"),
            "ANSIBLE_HOME": str(self.workdir / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(self.workdir / "ansible-tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "NO_COLOR": "1",
            "PY_COLORS": "0",
            "XDG_CACHE_HOME": str(self.workdir / "cache"),
            "MOLECULE_EPHEMERAL_DIRECTORY": str(self.workdir / "molecule"),
            "RPI_EXCHANGE_REPORT_DIR": str(self.report_dir),
        })
        env.update(self.env)
        env.update(extra or {})
        return env

    def molecule(self, command: str, *ansible_args: str, env: dict[str, str] | None = None, timeout: int = STEP_TIMEOUT,
                 keep_test_vm: bool = False) -> Step:
        """`molecule <command> -s <scenario> [-- ansible args]` from the root of the checkout."""
        argv = [str(BIN / "molecule"), command, "-s", self.scenario] + (["--", *ansible_args] if ansible_args else [])
        before = set(self._run_folders())
        log = self.workdir / f"{len(self.steps) + 1:02d}-{command}.log"
        started = time.monotonic()
        process = subprocess.Popen(argv, cwd=ROOT, env=self.environment(env, keep_test_vm), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            output = process.communicate(timeout=timeout)[0]
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)  # the process group this call started: molecule and its ansible
            output = process.communicate()[0]
            output += f"\n[tests/molecule] timed out after {timeout} s and stopped\n"
        step = Step(command, process.returncode, output, time.monotonic() - started,
                    [path for path in self._run_folders() if path not in before], log)
        log.write_text(f"$ {' '.join(argv)}\n# rc={step.rc} in {step.seconds:.1f} s\n{output}", encoding="utf-8")
        self.steps.append(step)
        return step

    def stop(self) -> None:
        if self.sim is not None:
            self.sim.stop()


# ----------------------------------------------------------------------------------------------- plans, concurrently

Plan = Callable[[Lab], None]  # a plan: see test_scenarios.py


class Plans:
    def __init__(self, root: Path, jobs: int) -> None:
        self.root = root
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="molecule-plan")
        self._futures: dict[str, concurrent.futures.Future[Lab]] = {}
        self._lock = threading.Lock()

    def submit(self, function: Plan) -> None:
        with self._lock:
            if function.__name__ not in self._futures:
                self._futures[function.__name__] = self._pool.submit(self._run, function)

    def _run(self, function: Plan) -> Lab:
        workdir = self.root / function.__name__
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir(parents=True)
        lab = Lab(function.__name__, function.scenario, workdir)  # type: ignore[attr-defined]
        started = time.monotonic()
        try:
            function(lab)
        except Exception:  # pylint: disable=broad-exception-caught  # the tests report it, with the steps so far
            lab.error = traceback.format_exc()
        finally:
            lab.seconds = time.monotonic() - started
            lab.stop()
            (workdir / "plan.txt").write_text(
                f"{lab.name} ({lab.scenario}): {lab.seconds:.1f} s\n"
                + "".join(f"  molecule {s.command}: rc {s.rc}, {s.seconds:.1f} s, reports {[p.name for p in s.reports]}\n"
                          for s in lab.steps) + lab.error, encoding="utf-8")
        return lab

    def result(self, function: Plan) -> Lab:
        self.submit(function)
        lab = self._futures[function.__name__].result()
        if lab.error:
            pytest.fail(f"plan {lab.name} broke: {lab.error}\n" + "\n".join(step.why() for step in lab.steps[-1:]), pytrace=False)
        return lab

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def report_schema_errors(document: dict[str, Any]) -> list[str]:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in requirements-dev.txt")
    schema = json.loads((ROOT / "plugins" / "plugin_utils" / "report" / "schema.json").read_text(encoding="utf-8"))
    return [f"{list(error.absolute_path)}: {error.message}" for error in jsonschema.Draft202012Validator(schema).iter_errors(document)]
