"""`ansible-doc` renders the documentation of every plugin the collection ships."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ANSIBLE_DOC = Path(sys.executable).with_name("ansible-doc")


def plugin_names(kind_dir: str, suffixes: tuple[str, ...]) -> list[str]:
    folder = ROOT / "plugins" / kind_dir
    names = {path.stem for path in folder.glob("*") if path.suffix in suffixes and not path.name.startswith("_")}
    return sorted(f"rpi.exchange.{name}" for name in names)


def ansible_doc(kind: str, names: list[str]) -> dict:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(Path(sys.prefix) / "collections"), ANSIBLE_NOCOLOR="1")
    done = subprocess.run([str(ANSIBLE_DOC), "--json", "-t", kind, *names], capture_output=True, text=True, env=env, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.skipif(not ANSIBLE_DOC.exists(), reason="ansible-doc is not installed beside this Python")
@pytest.mark.parametrize("kind, folder, suffixes", [
    ("module", "modules", (".py",)),
    ("filter", "filter", (".yml",)),
    ("callback", "callback", (".py",)),
])
def test_every_plugin_has_rendered_documentation(kind, folder, suffixes):
    names = plugin_names(folder, suffixes)
    if not names:
        pytest.skip(f"the collection has no {kind} plugin yet")
    docs = ansible_doc(kind, names)
    for name in names:
        assert name in docs, f"ansible-doc returned nothing for {name}"
        doc = docs[name]["doc"]
        assert doc.get("short_description"), f"{name}: no short_description"
        if kind == "module":
            assert docs[name].get("examples"), f"{name}: no EXAMPLES"
            assert docs[name].get("return") is not None, f"{name}: no RETURN"
