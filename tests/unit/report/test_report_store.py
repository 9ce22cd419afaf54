"""Report folders, run ids and atomic writes (plugins/plugin_utils/report/store.py)."""

from __future__ import annotations

import datetime
import os
import re

import pytest

from ansible_collections.rpi.exchange.plugins.plugin_utils.report import store


def test_relative_report_dirs_follow_the_ansible_cfg_in_use(tmp_path):
    assert store.resolve_root(None, str(tmp_path / "ansible.cfg")) == tmp_path / "reports"
    assert store.resolve_root("out/r", None, cwd=str(tmp_path)) == tmp_path / "out" / "r"
    assert store.resolve_root("/abs/r", str(tmp_path / "ansible.cfg")) == store.Path("/abs/r")


def test_run_ids_sort_by_utc_time_and_do_not_collide():
    moment = datetime.datetime(2026, 11, 27, 10, 0, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=-6)))
    ids = {store.new_run_id(moment) for _index in range(50)}
    assert len(ids) == 50
    assert all(re.fullmatch(r"20261127T160005Z-[0-9a-f]{6}", run_id) for run_id in ids)


def test_latest_points_at_the_newest_run_and_writes_leave_no_temporary_files(tmp_path):
    first = store.create_run_dir(tmp_path, "20261127T160000Z-aaaaaa")
    store.update_latest(tmp_path, first.name)
    second = store.create_run_dir(tmp_path, "20261127T170000Z-bbbbbb")
    store.update_latest(tmp_path, second.name)
    assert os.readlink(tmp_path / "latest") == second.name
    store.write_report(second, {"run": {}, "activities": []}, "<html></html>")
    store.write_report(second, {"run": {"id": 2}, "activities": []}, "<html>2</html>")
    assert sorted(path.name for path in second.iterdir()) == ["report.html", "report.json"]
    assert store.load_report(tmp_path / "latest")["run"] == {"id": 2}
    assert oct((second / "report.json").stat().st_mode & 0o777) == "0o644"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["20261127T160000Z-aaaaaa", "20261127T170000Z-bbbbbb", "latest"]


def test_unreadable_reports_say_why(tmp_path):
    with pytest.raises(store.ReportError, match="cannot read"):
        store.load_report(tmp_path)
    (tmp_path / "report.json").write_text("[1, 2]")
    with pytest.raises(store.ReportError, match="not a run report"):
        store.load_report(tmp_path)
    with pytest.raises(store.ReportError):
        store.create_run_dir(tmp_path / "report.json", "x")
