# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Controller-side helper of playbooks/capture_server.yml: the product's own code, never a copy of it.

    python capture_server.py arguments --role Mailbox --setup-log-tail-bytes 262144
        The module arguments the product passes, as one JSON object keyed by module name: exchange_facts'
        probe_arguments(), exchange_setup's status_arguments() (no wait), exchange_verify's health_arguments().
    python capture_server.py document < input.json
        The capture file: each module's raw result without what Ansible adds, secrets scrubbed by the run report's
        scrubber, and the list of the fields it scrubbed.

It runs with the Python that runs ansible-playbook (`ansible_playbook_python`) and imports the collection it belongs to,
whatever folder that is installed in, so the capture asks exactly what the installed product asks.
"""

from __future__ import annotations

import argparse
import json
import sys
import types
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
MODULES = ("win_exchange_probe", "win_exchange_setup_status", "win_exchange_health")
# How much of ExchangeSetup.log the status module returns: the probe already carries the long tail.
STATUS_LOG_BYTES = 4096
# Keys that name a registry key or a module field, not a secret, although the run report's rule reads "key" as one.
NOT_SECRET_KEYS = frozenset(("key", "setup_key", "uninstall_key", "role_keys", "registry_keys"))
# What Ansible writes into a registered result besides the module's answer (failed_when's verdict, loops, retries).
ANSIBLE_KEYS = frozenset(("invocation", "failed_when_result", "changed_when_result", "attempts", "retries", "skipped", "skip_reason"))
SCRUB_RULES = (
    "text under a secret-looking name (password, secret, token, product key, ...) is replaced by ********",
    "the inventory's passwords (connection, become, setup account) are replaced wherever they appear",
    "text shaped like an Exchange product key or like password=... is replaced",
)


def collection_root() -> Path:
    """<collection>/playbooks/files/capture_server.py -> <collection>."""
    return Path(__file__).absolute().parents[2]


def import_own_collection() -> None:
    """Make `ansible_collections.rpi.exchange` this file's collection (a checkout, or any collections path)."""
    loaded = sys.modules.get("ansible_collections.rpi.exchange")
    if loaded is not None and any(Path(path).resolve() == collection_root().resolve() for path in getattr(loaded, "__path__", [])):
        return  # already imported from this very folder (a test process)
    for name in ("ansible_collections", "ansible_collections.rpi"):
        if name not in sys.modules:
            package = types.ModuleType(name)
            package.__path__ = []
            sys.modules[name] = package
    package = types.ModuleType("ansible_collections.rpi.exchange")
    package.__path__ = [str(collection_root())]
    sys.modules["ansible_collections.rpi.exchange"] = package


def module_arguments(role: str, setup_log_tail_bytes: int, health_timeout: int = 30) -> dict[str, dict[str, Any]]:
    """What exchange_facts, exchange_setup and exchange_verify pass to the three Windows modules."""
    import_own_collection()
    # pylint: disable=import-outside-toplevel  # only once the collection is importable
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server import verification
    from ansible_collections.rpi.exchange.plugins.plugin_utils._server.facts import probe_arguments
    from ansible_collections.rpi.exchange.plugins.plugin_utils._setup.runner import status_arguments

    return {
        "win_exchange_probe": probe_arguments(role, setup_log_tail_bytes),
        "win_exchange_setup_status": status_arguments(wait_seconds=0, log_max_bytes=STATUS_LOG_BYTES),
        # Every build's services (no version yet): the capture records what the server has, not a verdict.
        "win_exchange_health": verification.health_arguments(role, verification.default_services(role),
                                                             verification.default_health_paths(role), health_timeout),
    }


def raw_result(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The module's own answer: without `invocation`, the `_ansible_*` keys, and Ansible's empty bookkeeping."""
    if result is None:
        return None
    clean = {}
    for key, value in result.items():
        if key in ANSIBLE_KEYS or key.startswith("_ansible"):
            continue
        if key == "failed" and value is False:
            continue  # set by Ansible on every registered result; a module's own failure (true) stays
        if key in ("warnings", "deprecations") and not value:
            continue
        clean[key] = value
    return clean


class FieldScrubber:
    """The run report's scrubber (plugin_utils/report/scrub.py) over plain JSON, noting each field it changes."""

    def __init__(self, secrets: list[str]) -> None:
        import_own_collection()
        # pylint: disable=import-outside-toplevel  # only once the collection is importable
        from ansible_collections.rpi.exchange.plugins.plugin_utils.report.jsonable import MASK
        from ansible_collections.rpi.exchange.plugins.plugin_utils.report.scrub import Scrubber, is_secret_name

        self.mask = MASK
        self.is_secret_name = is_secret_name
        self.by_value = Scrubber()
        for secret in secrets:
            self.by_value.add_value(secret)
        self.by_shape = Scrubber()  # no values: tells a product key or password= text from an inventory secret
        self.fields: list[dict[str, str]] = []

    def _secret_key(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() not in NOT_SECRET_KEYS and self.is_secret_name(key)

    def clean(self, value: Any, path: str) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                here = f"{path}.{key}"
                # Text (or a list or map of it) only: a number under such a name is a flag, e.g. Lsa's
                # LimitBlankPasswordUse DWORD, which the product reads.
                if self._secret_key(key) and item not in ("", [], {}) and isinstance(item, (str, list, dict)):
                    out[key] = self.mask
                    self.fields.append({"field": here, "why": "secret name"})
                else:
                    out[key] = self.clean(item, here)
            return out
        if isinstance(value, list):
            return [self.clean(item, f"{path}[{index}]") for index, item in enumerate(value)]
        if isinstance(value, str):
            cleaned = self.by_value.text(value)
            if cleaned != value:
                shaped = self.by_shape.text(value) != value
                self.fields.append({"field": path, "why": "product key or password= text" if shaped else "inventory secret"})
            return cleaned
        return value


def _collection_version() -> str | None:
    """MANIFEST.json of an installed collection, or galaxy.yml of a checkout (read without a YAML parser)."""
    root = collection_root()
    manifest = root / "MANIFEST.json"
    if manifest.is_file():
        return json.loads(manifest.read_text(encoding="utf-8")).get("collection_info", {}).get("version")
    galaxy = root / "galaxy.yml"
    if galaxy.is_file():
        for line in galaxy.read_text(encoding="utf-8").splitlines():
            if line.startswith("version:"):
                return line.split(":", 1)[1].strip().strip("'\"")
    return None


def capture_document(data: dict[str, Any]) -> dict[str, Any]:
    """The capture file's content from what the playbook registered (see the module docstring)."""
    results = {name: raw_result((data.get("results") or {}).get(name)) for name in MODULES}
    probe = results["win_exchange_probe"] or {}
    scrubber = FieldScrubber([str(secret) for secret in data.get("secrets") or [] if secret])
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "captured_at": data.get("captured_at"),
        "ansible_core": data.get("ansible_core"),
        "collection": {"name": "rpi.exchange", "version": _collection_version()},
        "role": data.get("role"),
        "check_mode": bool(data.get("check_mode")),
        # The Windows name only: the inventory's name may be an address.
        "host": {"name": (probe.get("computer") or {}).get("hostname")},
        "arguments": scrubber.clean(data.get("arguments") or {}, "arguments"),
        "results": scrubber.clean(results, "results"),
        "not_run": dict(data.get("not_run") or {}),
    }
    document["scrubbed"] = {"rules": list(SCRUB_RULES), "fields": scrubber.fields}
    return document


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="capture_server.py", description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    arguments = commands.add_parser("arguments", help="the module arguments the product passes")
    arguments.add_argument("--role", default="Mailbox")
    arguments.add_argument("--setup-log-tail-bytes", type=int, default=262144)
    commands.add_parser("document", help="the capture file, from the registered results on stdin")
    args = parser.parse_args(argv)
    if args.command == "arguments":
        try:
            output: dict[str, Any] = module_arguments(args.role, args.setup_log_tail_bytes)
        except ValueError as error:
            print(f"rpi_exchange_role: {error}", file=sys.stderr)
            return 2
    else:
        output = capture_document(json.load(sys.stdin))
    json.dump(output, sys.stdout, indent=2, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
