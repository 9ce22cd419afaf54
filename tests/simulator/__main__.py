"""`make simulator PRESET=<preset> INVENTORY=<file> [CAPTURE=<file>]`: run the simulated RPI server in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from . import capture, launch, presets
from .clock import Clock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Simulated RPI Exchange server over WinRM (test double).")
    parser.add_argument("--preset", default=presets.DEFAULT_PRESET, help="starting state (see --list-presets)")
    parser.add_argument("--inventory", default="inventories/simulated/generated.yml", help="inventory file to write")
    parser.add_argument("--workdir", default=".cache/simulator", help="where the test CA and logs go")
    parser.add_argument("--scheme", choices=("https", "http"), default="https")
    parser.add_argument("--speed", type=float, default=0.002,
                        help="real seconds per simulated second (0 = instant; default: a one-hour setup takes ~7 s)")
    parser.add_argument("--latency", type=float, default=0.0, help="added seconds per request (e.g. 0.05 for a WAN)")
    parser.add_argument("--inventory-dir", default="inventories/simulated",
                        help="inventory whose RPI group and host variables are embedded in the written inventory")
    parser.add_argument("--list-presets", action="store_true")
    parser.add_argument("--capture", metavar="FILE",
                        help="start from a capture of a real server (playbooks/capture_server.yml); it chooses the preset")
    args = parser.parse_args(argv)
    if args.list_presets:
        print("\n".join(presets.names()))
        return 0
    if args.preset not in presets.names():
        parser.error(f"unknown preset {args.preset!r}; run with --list-presets")

    host = None
    if args.capture:
        try:
            state = capture.build(capture.load(args.capture), clock=Clock(speed=args.speed))
        except capture.CaptureError as err:
            parser.error(str(err))
        args.preset, host = state.preset, state.host
        print(state.summary(), flush=True)

    # Before the server says it listens: whoever waits for that line may stop it at once.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    workdir = Path(args.workdir).resolve()  # the inventory names the CA by absolute path, usable from any folder
    running = launch.start(args.preset, workdir, inventory_path=args.inventory, speed=args.speed, scheme=args.scheme,
                           latency=args.latency, log_path=workdir / "requests.log", inventory_dir=Path(args.inventory_dir),
                           host=host)
    print(f"Simulated RPI server ({args.preset}) listening on {running.server.url}", flush=True)
    print(f"Inventory written to {running.inventory_path}; press Ctrl-C to stop.", flush=True)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
        print("Simulated RPI server stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
