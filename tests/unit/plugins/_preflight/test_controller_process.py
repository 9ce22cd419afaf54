"""Finding the run's ansible-playbook process and telling whether a process still runs one (controller_process.py)."""

from __future__ import annotations

import os
from pathlib import Path

from ansible_collections.rpi.exchange.plugins.plugin_utils._preflight import controller_process as cp


def fake_proc(tmp_path: Path, processes: dict[int, tuple[int, list[str]]]) -> Path:
    for pid, (parent, command) in processes.items():
        folder = tmp_path / str(pid)
        folder.mkdir(parents=True)
        (folder / "cmdline").write_bytes(b"\0".join(part.encode() for part in command) + b"\0")
        (folder / "stat").write_text(f"{pid} (some name) S {parent} 1 1 0", encoding="utf-8")
    return tmp_path


def test_the_playbook_is_found_above_the_worker(tmp_path, monkeypatch):
    proc = fake_proc(tmp_path, {500: (400, ["/venv/bin/python3", "/venv/bin/ansible-playbook", "site.yml"]),
                                600: (500, ["/venv/bin/python3", "-c", "worker"])})
    monkeypatch.setattr(os, "getppid", lambda: 600)
    assert cp.playbook_pid(proc) == 500


def test_without_proc_the_parent_is_the_answer(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "getppid", lambda: 777)
    assert cp.playbook_pid(tmp_path / "absent") == 777


def test_this_process_is_alive_only_if_it_runs_ansible(tmp_path):
    me = os.getpid()
    assert cp.process_alive(me, fake_proc(tmp_path / "a", {me: (1, ["/usr/bin/python3", "/venv/bin/ansible-playbook"])}))
    assert not cp.process_alive(me, fake_proc(tmp_path / "b", {me: (1, ["/usr/bin/vim"])}))


def test_a_process_that_does_not_exist_is_not_alive():
    assert not cp.process_alive(0)
    assert not cp.process_alive(2 ** 22 + 12345)
