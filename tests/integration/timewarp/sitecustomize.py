"""Test-only time warp for the controller under test (tests/integration; never part of the collection).

Python imports `sitecustomize` at start-up from sys.path; a test that puts this directory on PYTHONPATH of the
ansible-playbook it runs, with RPI_TEST_TIMEWARP_LEDGER set, makes that controller sleep 1/RPI_TEST_TIMEWARP_FACTOR
(default 100) of every sleep of a second or more, count the rest as elapsed in time.monotonic(), and append the seconds
it skipped to the ledger file. The test's simulated server adds them to its own clock (test_exchange_verify.py,
relay_controller_time), so controller and server share one timeline on which a twenty-minute wait takes seconds.
Shorter sleeps (ansible-core's polling loops) are left alone. Without the variable nothing changes.
"""

from __future__ import annotations

import os
import time

_LEDGER = os.environ.get("RPI_TEST_TIMEWARP_LEDGER", "")
_FACTOR = float(os.environ.get("RPI_TEST_TIMEWARP_FACTOR", "100") or 100)

if _LEDGER and _FACTOR > 1:
    _real_sleep = time.sleep
    _real_monotonic = time.monotonic
    _skipped = [0.0]

    def _warped_sleep(seconds: float) -> None:
        if seconds < 1.0:
            _real_sleep(seconds)
            return
        skip = seconds - seconds / _FACTOR
        with open(_LEDGER, "a", encoding="ascii") as ledger:
            ledger.write(f"{skip!r}\n")
        _skipped[0] += skip
        _real_sleep(seconds / _FACTOR)

    def _warped_monotonic() -> float:
        return _real_monotonic() + _skipped[0]

    time.sleep = _warped_sleep
    time.monotonic = _warped_monotonic
