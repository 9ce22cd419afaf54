"""report.html in a real browser: headless Chromium shows the outcome and prints it to PDF (A4)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.chromium

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@pytest.fixture
def chromium(tmp_path):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (tools/system-packages.sh installs it on Debian)")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args], capture_output=True,
                              timeout=90, check=False)

    return run


def test_the_browser_shows_the_outcome_first(scenarios, main_core, chromium):
    for name, outcome in (("success", "Actualización completada"), ("failure", "Falló en la actividad 8")):
        page = scenarios.get(name, main_core).folder / "report.html"
        done = chromium("--dump-dom", page.as_uri())
        dom = done.stdout.decode("utf-8")
        assert done.returncode == 0 and "</html>" in dom, done.stderr[-2000:]
        title = re.search(r'<h2 class="outcome-title">([^<]*)</h2>', dom)
        assert title and title.group(1) == outcome
        assert dom.index(outcome) < dom.index("Actividades del procedimiento") < dom.index("Revisión y validación")


def test_the_page_prints_to_a4(scenarios, main_core, chromium, tmp_path):
    page = scenarios.get("failure", main_core).folder / "report.html"
    pdf = tmp_path / "report.pdf"
    done = chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert data.startswith(b"%PDF") and len(data) > 20000 and 1 <= pages <= 8
    size = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]", data)
    assert size and abs(float(size.group(1)) - 595.3) < 2 and abs(float(size.group(2)) - 841.9) < 2, "A4 portrait"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        for words in ("Falló en la actividad 8", "Reinicie el servidor", "Revisión y validación", "Setup.exe"):
            assert words in text, words
