"""Shared pytest set-up.

Product code is imported as the collection (`ansible_collections.rpi.exchange...`), the way
ansible-core loads it, through the link that `make` creates in .venv/collections.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def _collections_root() -> Path:
    venv = Path(sys.prefix)
    return venv / "collections"


_collections = _collections_root()
if _collections.is_dir() and str(_collections) not in sys.path:
    sys.path.insert(0, str(_collections))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The steering repo's shared/ folder; tests that need it skip cleanly without it."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the real Exchange fixtures live in the steering repo's shared/ folder")
    return SHARED


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))
