"""`make demo`: the main job. Starts the simulated RPI server, runs the procedure against it, and
says where the run report is. Arguments after `--` go to ansible-playbook (for example `--check`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from simulator import launch, presets  # noqa: E402  pylint: disable=wrong-import-position

PROCEDURE = ROOT / "playbooks" / "install_exchange.yml"


def demo_instruction(workdir: Path) -> Path:
    """Activity 1 for the demonstration: an instruction whose window covers the next hours (Guatemala time)."""
    now = datetime.now(timezone(timedelta(hours=-6)))
    instruction = {"rpi_exchange_instruction": {
        "instructed_by": "Encargado del Departamento de TI (demostración)",
        "reference": "DEMO-" + now.strftime("%Y%m%d"),
        "window_start": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "window_end": (now + timedelta(hours=4)).strftime("%Y-%m-%dT%H:%M"),
        "notes": "Ejecución de demostración contra el servidor RPI simulado.",
    }}
    # What the IT Head orders beyond the procedure itself (issue 17, item 4): make demo ... RPI_EXCHANGE_DEMO_PURPOSE=recover_server.
    if os.environ.get("RPI_EXCHANGE_DEMO_PURPOSE"):
        instruction["rpi_exchange_instruction"]["purpose"] = os.environ["RPI_EXCHANGE_DEMO_PURPOSE"]
    path = workdir / "instruccion.yml"
    path.write_text(yaml.safe_dump(instruction, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def demo_security_update(workdir: Path) -> Path:
    """Activity 9's security update for the demonstration: SE RTM's latest SU (Aug26SU, KB5121573) on the simulated share,
    with its SHA-256 (issue 18: the install and its SU are one run)."""
    from simulator.exchange.updates import PACKAGES, SHARE_UPDATES_DIR  # pylint: disable=import-outside-toplevel
    package = PACKAGES["SE-RTM-Aug26SU"]
    path = workdir / "actualizacion.yml"
    path.write_text(yaml.safe_dump({"rpi_exchange_security_update": {"path": f"{SHARE_UPDATES_DIR}\\{package.file_name}",
                                                                     "sha256": package.sha256}}), encoding="utf-8")
    return path


def demo_product_key(workdir: Path) -> Path:
    """Activity 10's product key for the demonstration: the simulated Standard key (in a real run it is in the vault), so
    that `make demo` ends licensed and the report shows the edition and the key masked to its last five characters."""
    from simulator.exchange.verify import TEST_PRODUCT_KEYS  # pylint: disable=import-outside-toplevel
    key = next(key for key, edition in TEST_PRODUCT_KEYS.items() if edition == "Standard")
    path = workdir / "clave.yml"
    path.write_text(yaml.safe_dump({"rpi_exchange_product_key": key, "rpi_exchange_product_edition": "Standard"}), encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--preset", default=presets.DEFAULT_PRESET)
    parser.add_argument("--speed", type=float, default=0.0005,
                        help="real seconds per simulated second (default: a one-hour setup takes about 2 s)")
    parser.add_argument("playbook_args", nargs="*")
    args = parser.parse_args()
    if args.preset not in presets.names():
        print(f"Preset desconocido / unknown preset {args.preset!r}. Presets: {', '.join(presets.names())}")
        return 2

    workdir = ROOT / ".cache" / "demo"
    running = launch.start(args.preset, workdir, inventory_path=workdir / "inventory.yml", speed=args.speed,
                           inventory_dir=ROOT / "inventories" / "simulated")
    print(f"== Servidor RPI simulado ({args.preset}) en {running.server.url}")
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), RPI_EXCHANGE_REPORT_DIR=str(ROOT / "reports"),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    command = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(running.inventory_path), str(PROCEDURE),
               "-e", f"@{demo_instruction(workdir)}", "-e", f"@{demo_security_update(workdir)}", "-e", f"@{demo_product_key(workdir)}",
               *args.playbook_args]
    try:
        rc = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    finally:
        running.stop()

    latest = ROOT / "reports" / "latest"
    if (latest / "report.html").is_file():
        print(f"== Informe de la ejecución / run report: {latest.resolve() / 'report.html'}")
    else:
        print("== No se escribió informe: revise la salida anterior.")
    return rc


if __name__ == "__main__":
    sys.exit(main())
