"""In the browser: the Overview's briefing button downloads the PDF of the filters shown.

Against ``streamlit run app.py`` (fixture ``app_server``) with the system Chromium:
the download is a real A4 PDF whose text (``pdftotext``) is the Zibo briefing in
English, the page does not rerun into a new map, and nothing reaches outside.
"""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from circlemap.catalog import load_catalog

pytestmark = pytest.mark.browser

TIMEOUT = 30_000


def test_overview_briefing_button_downloads_the_pdf(app_server, page, outside_requests):
    page.goto(app_server + "/?city=淄博&lang=en")
    page.wait_for_selector("[data-testid=stSidebar]", timeout=TIMEOUT)
    page.get_by_text("Briefings", exact=True).click()
    today = datetime.date.today().isoformat()
    with page.expect_download(timeout=120_000) as got:
        page.get_by_role("button", name="Briefing (PDF)").click()
    download = got.value
    assert download.suggested_filename == f"circle-map-brief_zibo_en_{today}.pdf"
    path = Path(download.path())
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Provincial Capital Economic Circle briefing" in text
    features = load_catalog().features
    airport_link = features.loc["rail-zibo-yaoqiang-airport", "name_en"]
    assert " ".join(airport_link.split()) in " ".join(text.split())
    assert outside_requests == []
