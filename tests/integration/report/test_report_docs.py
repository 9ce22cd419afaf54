"""The callback's and the actions' documentation renders with ansible-doc on each core."""

from __future__ import annotations

import subprocess


def _doc(core, harness, *args):
    venv = core[1]
    done = subprocess.run([str(venv / "bin" / "ansible-doc"), *args], capture_output=True, text=True, timeout=60, check=False,
                          env={"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "ANSIBLE_CONFIG": str(harness.root / "ansible.cfg"),
                               "ANSIBLE_COLLECTIONS_PATH": str(venv / "collections"), "HOME": str(harness.root / ".cache")})
    assert done.returncode == 0 and "WARNING" not in done.stderr, done.stderr
    return done.stdout


def test_ansible_doc_renders_the_report_plugins(core, harness):
    callback = _doc(core, harness, "-t", "callback", "rpi.exchange.procedure_report")
    assert "RPI_EXCHANGE_REPORT_DIR" in callback and "RPI_EXCHANGE_REPORT_LANGUAGE" in callback
    modules = _doc(core, harness, "-t", "module", "rpi.exchange.report_evidence", "rpi.exchange.report_validation",
                   "rpi.exchange.report_notice")
    for name in ("report_evidence", "report_validation", "report_notice", "smtp_password", "summary_es", "decision"):
        assert name in modules
