#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, Registro de la Propiedad Intelectual (RPI)
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that a validated run report has not changed since the Head of IT recorded his decision.

    python3 tools/verify-report.py reports/latest
    python3 tools/verify-report.py --lang en --json reports/20261127T160000Z-3fa9c1

Exit status: 0 intact, 1 altered, 2 not validated yet, 3 unreadable. Needs only Python 3
(where `python` is Python 3, `tools/verify-report.py <folder>` runs it directly).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXIT = {"valid": 0, "tampered": 1, "not_validated": 2, "unreadable": 3}


def _import_validation():
    """The collection's code, whether or not this checkout is installed as ansible_collections/rpi/exchange."""
    try:
        from ansible_collections.rpi.exchange.plugins.plugin_utils.report import validation
        return validation
    except ImportError:
        pass
    venv_collections = ROOT / ".venv" / "collections"
    if (venv_collections / "ansible_collections" / "rpi" / "exchange").exists():
        sys.path.insert(0, str(venv_collections))
    else:
        scratch = Path(tempfile.mkdtemp(prefix="rpi-verify-"))
        (scratch / "ansible_collections" / "rpi").mkdir(parents=True)
        (scratch / "ansible_collections" / "rpi" / "exchange").symlink_to(ROOT)
        sys.path.insert(0, str(scratch))
    from ansible_collections.rpi.exchange.plugins.plugin_utils.report import validation  # pylint: disable=import-outside-toplevel
    return validation


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify the integrity of validated run reports of rpi.exchange.")
    parser.add_argument("folders", nargs="+", type=Path, help="report folders (holding report.json and report.html)")
    parser.add_argument("--lang", choices=("es", "en"), default="es", help="language of the messages (default: es)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    options = parser.parse_args(argv)
    validation = _import_validation()
    worst = 0
    results = {}
    for folder in options.folders:
        verification = validation.verify_report(folder)
        details = verification.as_dict(options.lang)
        results[str(folder)] = details
        worst = max(worst, EXIT[verification.status])
        if not options.json:
            print(f"{folder}: {details['message']}")
            for problem in details["problem_texts"]:
                print(f"  - {problem}")
            if details["detail"]:
                print(f"  - {details['detail']}")
            if verification.validation:
                print(f"  report_sha256 {verification.validation.get('report_sha256')}")
                print(f"  digest        {verification.validation.get('digest')}")
    if options.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return worst


if __name__ == "__main__":
    sys.exit(main())
