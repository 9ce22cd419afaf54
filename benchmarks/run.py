"""What the automation itself costs, measured against the simulated RPI server.

Setup.exe takes about an hour and a restart some minutes on the real server; everything else is the
procedure's own overhead, and on a real network every WinRM round trip costs. This benchmark runs the
real `playbooks/install_exchange.yml` (real ansible-playbook -> winrm -> HTTPS) against simulated
servers whose setup and restart durations are zero (`speed=0`), with a per-request latency added by
the simulated endpoint, so that only our cost remains. It is not part of the test suite.

Cases (each run on fresh simulated servers):
  install       the full procedure on a bare Windows Server 2022 (prerequisites, setup, restarts);
  rerun         the same procedure again on the server `install` left up to date (nothing to do);
  check         the full procedure with --check on a bare server;
  detection     the full procedure on a server ready for setup, with setup lasting --setup-seconds of real time
                (+-20 %, seeded per run) so that its end falls anywhere in the poll cycle: the steady-state
                setup detection latency at default settings (zero-length setups are seen by the first poll);
                with --reboot-seconds, restarts last that long, as on a real server;
  fleet         ten servers in one run (-f 10), with the playbook's `serial` lifted (see README.md);
  fleet-serial  ten servers in one run with the playbook as shipped (serial: 1).
For each: wall time, WinRM commands executed (module calls and raw commands), HTTP requests and bytes
on the wire (SOAP bodies, from the endpoint's request log). `install` also gives the detection
latencies: from the moment simulated setup ended / a restarted server was back, to the moment the next
command of the playbook reached the server.

    .venv/bin/python benchmarks/run.py                   # every case, 5 runs (fleet 3, fleet-serial 1), 2 ms
    .venv/bin/python benchmarks/run.py --latency 0.05 --cases install,check
    make benchmark ARGS='--runs 3'

It prints a table of medians and writes JSON (every run, medians, ansible-core version, machine facts)
to benchmarks/results/<label>-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from simulator import launch  # noqa: E402  pylint: disable=wrong-import-position

BIN = Path(sys.executable).parent
PLAYBOOK = Path("playbooks") / "install_exchange.yml"
BARE = "ws2022-bare"
# The detection case: a server with every prerequisite, so that setup starts at once.
READY = "ws2022-exchange-ready"
# Simulated seconds of a Mailbox install of Exchange SE on READY (measured from the simulator's model): the clock
# speed that makes setup last N real seconds is N / this.
MODELED_SETUP_SECONDS = 5880.0
SETUP_PROCESSES = ("setup.exe", "exsetup.exe")
CASES = ("install", "rerun", "check", "detection", "fleet", "fleet-serial")


# --- one measured ansible-playbook run ------------------------------------------------------------------------------
@dataclass
class RunMetrics:
    case: str
    rc: int
    wall_seconds: float
    commands: int  # WinRM commands the server executed (module calls + raw commands + plumbing)
    module_calls: int
    raw_commands: int
    http_requests: int
    bytes_sent: int  # controller -> server (SOAP bodies)
    bytes_received: int  # server -> controller
    executions: dict[str, int] = field(default_factory=dict)
    setup_detection_seconds: list[float] = field(default_factory=list)
    reboot_detection_seconds: list[float] = field(default_factory=list)
    # From the command that saw the new boot to the end of the first Exchange health reading after it (activity 9's
    # wait for the services, issue 14): the wait after the restart, apart from its detection (issue 19).
    after_restart_wait_seconds: list[float] = field(default_factory=list)
    # CPU seconds of ansible-playbook and its forked workers (user + system): the controller's share of the wall time.
    controller_cpu_seconds: float | None = None
    servers: int = 1
    recap_changed: int | None = None


def _recap_changed(stdout: str) -> int | None:
    total = None
    for line in stdout.splitlines():
        if " changed=" in line and " ok=" in line:
            for item in line.split(":", 1)[1].split():
                key, _sep, value = item.partition("=")
                if key == "changed":
                    total = (total or 0) + int(value)
    return total


def _first_after(commands: list[tuple[float, float]], when: float, trigger: float | None) -> float | None:
    """Seconds from `when` to the end of the first command that ended after it, leaving out the command running at
    `trigger` (the one that started setup or sent the restart: with zero durations it ends after the event it caused,
    without having seen it)."""
    later = [end for start, end in commands if end > when and not (trigger is not None and start <= trigger <= end)]
    return min(later) - when if later else None


def after_restart_waits(running: launch.RunningSimulator, since: float) -> list[float]:
    """For each restart followed by an Exchange health reading (before the next restart): seconds from the end of the
    first command after the server was back (the detection) to the end of that reading."""
    execs = sorted((record.time - record.duration, record.time, record.action)
                   for record in running.server.log.records(method="EXEC") if record.time >= since)
    events = [event for event in running.host.events if event.time >= since and event.name == "reboot"]
    commands = [(start, end) for start, end, _action in execs]
    waits: list[float] = []
    down: float | None = None
    for index, event in enumerate(events):
        if event.kind == "down":
            down = event.time
            continue
        if event.kind != "up":
            continue
        seen = _first_after(commands, event.time, down)
        later = [other.time for other in events[index + 1:] if other.kind == "down"]
        until = later[0] if later else float("inf")
        health = [end for start, end, action in execs
                  if start > event.time and end < until and str(action).endswith("win_exchange_health")]
        if seen is not None and health:
            waits.append(round(min(health) - (event.time + seen), 3))
    return waits


def detection(running: launch.RunningSimulator, since: float) -> tuple[list[float], list[float]]:
    """(setup, reboot) detection latencies of one server since `since` (time.time()).

    Setup: from the exit of the last setup process (Setup.exe / ExSetup.exe) to the end of the next command the server
    executed (the poll that saw it). Reboot: from the server being back up to the end of the next command it executed
    (win_reboot's check that saw the new boot). Host events and the request log share the wall clock."""
    commands = sorted((record.time - record.duration, record.time)
                      for record in running.server.log.records(method="EXEC") if record.time >= since)
    events = [event for event in running.host.events if event.time >= since]
    setup: list[float] = []
    starts = [event.time for event in events if event.kind == "process_start" and event.name.lower() in SETUP_PROCESSES]
    ends = [event.time for event in events if event.kind == "process_exit" and event.name.lower() in SETUP_PROCESSES]
    if ends:
        latency = _first_after(commands, max(ends), min(starts) if starts else None)
        if latency is not None:
            setup.append(round(latency, 3))
    reboots: list[float] = []
    down: float | None = None
    for event in events:
        if event.name != "reboot":
            continue
        if event.kind == "down":
            down = event.time
        elif event.kind == "up":
            latency = _first_after(commands, event.time, down)
            if latency is not None:
                reboots.append(round(latency, 3))
    return setup, reboots


def summarize_log(servers: list[launch.RunningSimulator]) -> dict[str, Any]:
    executions: dict[str, int] = {}
    requests = sent = received = 0
    for running in servers:
        summary = running.server.log.summary()
        requests += int(summary["requests"])
        sent += int(summary["bytes_in"])
        received += int(summary["bytes_out"])
        for name, count in dict(summary["executions"]).items():
            executions[name] = executions.get(name, 0) + count
    raw = executions.get("raw", 0)
    modules = sum(count for name, count in executions.items() if "." in name)
    return {"executions": dict(sorted(executions.items())), "commands": sum(executions.values()), "module_calls": modules,
            "raw_commands": raw, "http_requests": requests, "bytes_sent": sent, "bytes_received": received}


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args = args
        self.work = work
        self.target = Path(args.root).resolve()
        self.collections = self._collections()
        self.instruction = self._instruction()
        self.parallel_playbook = self._parallel_playbook()
        self.count = 0

    # -- environment --------------------------------------------------------------------------------------------------
    def _collections(self) -> Path:
        """A collections path where rpi.exchange is the checkout under measure and the Windows collections are the venv's."""
        installed = Path(sys.prefix) / "collections" / "ansible_collections"
        base = self.work / "collections" / "ansible_collections"
        (base / "rpi").mkdir(parents=True)
        for namespace in ("ansible", "community"):
            (base / namespace).symlink_to(installed / namespace, target_is_directory=True)
        (base / "rpi" / "exchange").symlink_to(self.target, target_is_directory=True)
        return base.parent

    def _instruction(self) -> Path:
        now = datetime.now(timezone(timedelta(hours=-6)))
        path = self.work / "instruccion.yml"
        path.write_text(yaml.safe_dump({"rpi_exchange_instruction": {
            "instructed_by": "Ing. María López, Encargada de TI",
            "reference": "BENCH-" + now.strftime("%Y%m%d"),
            "window_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "window_end": (now + timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
        }}, allow_unicode=True), encoding="utf-8")
        return path

    def _parallel_playbook(self) -> Path:
        """The shipped playbook with `serial` removed: the same roles, every host of the batch at once."""
        plays = yaml.safe_load((self.target / PLAYBOOK).read_text(encoding="utf-8"))
        for play in plays:
            play.pop("serial", None)
        path = self.work / "install_exchange_parallel.yml"
        path.write_text("# Generated by benchmarks/run.py: playbooks/install_exchange.yml without `serial`.\n"
                        + yaml.safe_dump(plays, sort_keys=False, allow_unicode=True), encoding="utf-8")
        return path

    def env(self, report_dir: Path) -> dict[str, str]:
        env = dict(os.environ)
        env.update({
            "ANSIBLE_CONFIG": str(self.target / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
            "ANSIBLE_HOME": str(self.work / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(self.work / "ansible-tmp"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "RPI_EXCHANGE_REPORT_DIR": str(report_dir),
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        })
        return env

    # -- runs ---------------------------------------------------------------------------------------------------------
    def start(self, servers: int, preset: str = BARE, speed: float = 0.0) -> launch.RunningFleet:
        self.count += 1
        return launch.start_fleet(preset, servers, self.work / f"servers-{self.count}", speed=speed, latency=self.args.latency,
                                  inventory_dir=self.target / "inventories" / "simulated")

    def playbook(self, case: str, fleet: launch.RunningFleet, *extra: str, playbook: Path | None = None) -> RunMetrics:
        servers = list(fleet.servers.values())
        for running in servers:
            running.server.log.clear()
        report_dir = self.work / "reports" / f"{case}-{self.count}"
        command = [str(BIN / "ansible-playbook"), "-i", str(fleet.inventory_path), str(playbook or self.target / PLAYBOOK),
                   "-e", f"@{self.instruction}", *extra]
        since = time.time()
        started = time.monotonic()
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run(command, cwd=self.target, env=self.env(report_dir), capture_output=True, text=True,
                              timeout=self.args.timeout, check=False)
        wall = time.monotonic() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        if done.returncode != 0:
            (self.work / f"failed-{case}-{self.count}.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        metrics = RunMetrics(case=case, rc=done.returncode, wall_seconds=round(wall, 3), servers=len(servers),
                             recap_changed=_recap_changed(done.stdout), controller_cpu_seconds=round(cpu, 2),
                             **summarize_log(servers))
        for running in servers:
            setup, reboots = detection(running, since)
            metrics.setup_detection_seconds += setup
            metrics.reboot_detection_seconds += reboots
            metrics.after_restart_wait_seconds += after_restart_waits(running, since)
        return metrics

    def install_and_rerun(self) -> list[RunMetrics]:
        with self.start(1) as fleet:
            first = self.playbook("install", fleet)
            again = self.playbook("rerun", fleet)
        return [first, again]

    def check(self) -> RunMetrics:
        with self.start(1) as fleet:
            return self.playbook("check", fleet, "--check")

    def detection(self, number: int) -> RunMetrics:
        seconds = self.args.setup_seconds * random.Random(number).uniform(0.8, 1.2)
        speed = seconds / MODELED_SETUP_SECONDS
        with self.start(1, READY, speed=speed) as fleet:
            if self.args.reboot_seconds > 0:
                for running in fleet.servers.values():
                    running.host.reboot_seconds = self.args.reboot_seconds / speed  # simulated seconds at this speed
            return self.playbook("detection", fleet)

    def fleet(self, serial: bool) -> RunMetrics:
        size = self.args.fleet_size
        with self.start(size) as fleet:
            return self.playbook("fleet-serial" if serial else "fleet", fleet, "-f", str(size),
                                 playbook=None if serial else self.parallel_playbook)


# --- statistics and output -------------------------------------------------------------------------------------------
def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 3) if values else None


def aggregate(runs: list[RunMetrics]) -> dict[str, Any]:
    """Medians per case (detection latencies: median and max over every event of every run)."""
    out: dict[str, Any] = {}
    for case in CASES:
        mine = [run for run in runs if run.case == case]
        if not mine:
            continue
        setup = [value for run in mine for value in run.setup_detection_seconds]
        reboots = [value for run in mine for value in run.reboot_detection_seconds]
        waits = [value for run in mine for value in run.after_restart_wait_seconds]
        cpu = [run.controller_cpu_seconds for run in mine if run.controller_cpu_seconds is not None]
        out[case] = {
            "runs": len(mine),
            "failed_runs": sum(1 for run in mine if run.rc != 0),
            "servers": mine[0].servers,
            "wall_seconds": _median([run.wall_seconds for run in mine]),
            "commands": _median([run.commands for run in mine]),
            "module_calls": _median([run.module_calls for run in mine]),
            "raw_commands": _median([run.raw_commands for run in mine]),
            "http_requests": _median([run.http_requests for run in mine]),
            "bytes_sent": _median([run.bytes_sent for run in mine]),
            "bytes_received": _median([run.bytes_received for run in mine]),
            "setup_detection_seconds": {"median": _median(setup), "max": max(setup) if setup else None, "samples": len(setup)},
            "reboot_detection_seconds": {"median": _median(reboots), "max": max(reboots) if reboots else None,
                                         "samples": len(reboots)},
            "after_restart_wait_seconds": {"median": _median(waits), "max": max(waits) if waits else None, "samples": len(waits)},
            "controller_cpu_seconds": _median(cpu) if cpu else None,
        }
    one = (out.get("install") or {}).get("wall_seconds")
    for case in ("fleet", "fleet-serial"):
        if case in out and one:
            out[case]["ratio_to_one_server"] = round(out[case]["wall_seconds"] / one, 2)
    return out


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.{digits}f}"
    return str(int(value)) if isinstance(value, (int, float)) else str(value)


def table(medians: dict[str, Any], latency: float) -> str:
    header = ("| case | runs | wall s | WinRM commands (modules + raw) | HTTP requests | MB sent | MB received | "
              "setup detection s | reboot detection s (median / max) | wait after restart s | controller CPU s | x one server |")
    lines = [f"Latency {latency * 1000:g} ms per request; medians.", "", header, "|" + "---|" * 12]
    for case, row in medians.items():
        commands = f"{_fmt(row['commands'], 0)} ({_fmt(row['module_calls'], 0)} + {_fmt(row['raw_commands'], 0)})"
        setup = row["setup_detection_seconds"]["median"]
        reboot = row["reboot_detection_seconds"]
        failed = f" ({row['failed_runs']} failed)" if row["failed_runs"] else ""
        servers = f" x{row['servers']}" if row["servers"] > 1 else ""
        lines.append(f"| {case}{servers} | {row['runs']}{failed} | {_fmt(row['wall_seconds'])} | {commands} | "
                     f"{_fmt(row['http_requests'], 0)} | {_fmt(row['bytes_sent'] / 1e6, 2)} | "
                     f"{_fmt(row['bytes_received'] / 1e6, 2)} | {_fmt(setup, 2)} | "
                     f"{_fmt(reboot['median'], 2)} / {_fmt(reboot['max'], 2)} | "
                     f"{_fmt((row.get('after_restart_wait_seconds') or {}).get('median'), 2)} | "
                     f"{_fmt(row.get('controller_cpu_seconds'), 1)} | {_fmt(row.get('ratio_to_one_server'), 2)} |")
    return "\n".join(lines)


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError:
        return ""


def _collection_version(namespace: str, name: str) -> str | None:
    manifest = Path(sys.prefix) / "collections" / "ansible_collections" / namespace / name / "MANIFEST.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))["collection_info"]["version"]
    except (OSError, KeyError, ValueError):
        return None


def machine_facts() -> dict[str, Any]:
    from ansible.release import __version__ as core_version  # pylint: disable=import-outside-toplevel
    from importlib.metadata import PackageNotFoundError, version  # pylint: disable=import-outside-toplevel

    cpuinfo = _read("/proc/cpuinfo")
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), None)
    meminfo = _read("/proc/meminfo")
    memory = next((int(line.split()[1]) // 1024 for line in meminfo.splitlines() if line.startswith("MemTotal")), None)
    try:
        pywinrm = version("pywinrm")
    except PackageNotFoundError:
        pywinrm = None
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False).stdout
    return {
        "ansible_core": core_version,
        "ansible_windows": _collection_version("ansible", "windows"),
        "community_windows": _collection_version("community", "windows"),
        "pywinrm": pywinrm,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": model,
        "cpu_count": os.cpu_count(),
        "memory_mb": memory,
        "load_average": list(os.getloadavg()),
        "git_commit": commit or None,
        "git_dirty": bool(dirty.strip()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs of install (+rerun), check and detection (default 5)")
    parser.add_argument("--fleet-runs", type=int, default=3, help="runs of the fleet case (default 3)")
    parser.add_argument("--fleet-serial-runs", type=int, default=1, help="runs of the fleet-serial case (default 1: slow)")
    parser.add_argument("--fleet-size", type=int, default=10)
    parser.add_argument("--setup-seconds", type=float, default=45.0, help="real seconds setup lasts in the detection case")
    parser.add_argument("--reboot-seconds", type=float, default=0.0,
                        help="real seconds a restart lasts in the detection case (default: the model's 60 s at its speed)")
    parser.add_argument("--latency", type=float, default=0.002, help="seconds added to every request (0.002 LAN, 0.05 WAN)")
    parser.add_argument("--cases", default=",".join(CASES), help=f"comma-separated, from {', '.join(CASES)}")
    parser.add_argument("--root", default=str(ROOT), help="the checkout whose collection is measured (default: this one)")
    parser.add_argument("--label", default="benchmark", help="name of the results file: <label>-<date>.json")
    parser.add_argument("--output", help="JSON file to write (default benchmarks/results/<label>-<date>.json)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds one ansible-playbook run may take")
    parser.add_argument("--keep", action="store_true", help="keep the working folder (inventories, reports, logs)")
    args = parser.parse_args(argv)
    cases = [case.strip() for case in args.cases.split(",") if case.strip()]
    unknown = sorted(set(cases) - set(CASES))
    if unknown:
        parser.error(f"unknown cases {unknown}; known: {', '.join(CASES)}")

    facts_before = machine_facts()
    work = Path(tempfile.mkdtemp(prefix="rpi-exchange-bench-"))
    bench = Bench(args, work)
    runs: list[RunMetrics] = []
    started = time.monotonic()

    def measured(metrics: RunMetrics) -> None:
        runs.append(metrics)
        print(f"  {metrics.case:<12} rc={metrics.rc} {metrics.wall_seconds:7.1f} s {metrics.commands:4d} commands "
              f"setup detection {metrics.setup_detection_seconds} reboot detection {metrics.reboot_detection_seconds} "
              f"wait after restart {metrics.after_restart_wait_seconds} cpu {metrics.controller_cpu_seconds} s",
              file=sys.stderr, flush=True)

    try:
        for number in range(args.runs):
            print(f"run {number + 1}/{args.runs}", file=sys.stderr, flush=True)
            if "install" in cases or "rerun" in cases:
                for metrics in bench.install_and_rerun():
                    if metrics.case in cases:
                        measured(metrics)
            if "check" in cases:
                measured(bench.check())
            if "detection" in cases:
                measured(bench.detection(number))
        for case, count in (("fleet", args.fleet_runs), ("fleet-serial", args.fleet_serial_runs)):
            if case in cases:
                for number in range(count):
                    print(f"{case} {number + 1}/{count} ({args.fleet_size} servers)", file=sys.stderr, flush=True)
                    measured(bench.fleet(serial=case == "fleet-serial"))
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", str(work)], check=False)
        else:
            print(f"working folder kept: {work}", file=sys.stderr)

    medians = aggregate(runs)
    output = Path(args.output) if args.output else HERE / "results" / f"{args.label}-{datetime.now():%Y-%m-%d}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "label": args.label,
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "measured_root": str(Path(args.root).resolve()),
        "latency_seconds": args.latency,
        "simulated_durations": "zero (speed=0): setup and restarts end at once, only the automation's cost remains",
        "settings": {"runs": args.runs, "setup_seconds": args.setup_seconds, "reboot_seconds": args.reboot_seconds,
                     "fleet_runs": args.fleet_runs, "fleet_serial_runs": args.fleet_serial_runs, "fleet_size": args.fleet_size,
                     "cases": cases},
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "machine": {**facts_before, "load_average_after": list(os.getloadavg())},
        "medians": medians,
        "runs": [asdict(run) for run in runs],
        "table": table(medians, args.latency),
    }
    output.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(document["table"])
    print(f"\nJSON: {output}")
    return 1 if any(run.rc != 0 for run in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
