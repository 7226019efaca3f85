"""AppTest: the briefing buttons on the Overview and on a city's panel, and the batch.

The buttons are deferred downloads (rendered when clicked, nothing attached to
the page on a rerun); the batch button builds every city's briefing plus the
circle's with a progress bar, then offers them as one ZIP.
"""

from __future__ import annotations

import io
import zipfile

from streamlit.testing.v1 import AppTest

from circlemap import settings, ui, vocab

TIMEOUT = 240


def app(*, panel_open: bool = True, **params: str) -> AppTest:
    """The app on ``params``; the Overview's briefing panel opened by the reader (its
    buttons are made only when it is open) unless ``panel_open`` is false."""
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    if panel_open:
        at.session_state[ui.KEY_BRIEF_PANEL] = True
        at.run()
    return at


def briefing_buttons(at: AppTest) -> dict[str, object]:
    buttons = at.get("download_button")
    return {
        b.proto.id.rsplit("-", 1)[-1]: b
        for b in buttons
        if "brief_" in b.proto.id.rsplit("-", 1)[-1]
    }


def test_overview_and_city_panel_offer_deferred_briefings():
    at = app(lang="en", focus="淄博")
    buttons = briefing_buttons(at)
    labels = {key: b.proto.label for key, b in buttons.items()}
    assert labels == {
        "brief_overview_pdf": "Briefing (PDF)",
        "brief_overview_docx": "Briefing (Word)",
        "brief_city_pdf": "Zibo briefing (PDF)",
        "brief_city_docx": "Zibo briefing (Word)",
    }
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons.values())
    assert at.button(key="brief_batch_run").label.startswith("Build the briefings")


def test_the_closed_briefing_panel_makes_no_overview_buttons():
    at = app(panel_open=False, lang="en", focus="淄博")
    assert set(briefing_buttons(at)) == {"brief_city_pdf", "brief_city_docx"}
    assert "brief_batch_run" not in [b.key for b in at.button]  # nor the batch button
    assert "Briefings" in " ".join(e.label for e in at.expander)


def test_city_panel_briefing_is_gone_without_a_city():
    at = app(lang="zh")
    assert set(briefing_buttons(at)) == {"brief_overview_pdf", "brief_overview_docx"}


def test_batch_button_shows_progress_and_offers_every_city_and_the_circle():
    at = app(lang="en")
    at.button(key="brief_batch_run").click().run()
    assert not at.exception
    bars = at.get("progress")
    assert bars
    assert "8 briefings built" in bars[0].proto.text
    download = briefing_buttons(at)["brief_batch_download"]
    assert download.proto.label == "All cities' briefings (ZIP)"
    # the archive was built by the click: read it back from the session
    _, data = at.session_state["cm_brief_batch"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert len(names) == len(vocab.CIRCLE_CITIES) + 1
    assert any(n.startswith("circle-map-brief_zibo_en_") for n in names)
    assert any(n.startswith("circle-map-brief_circle_en_") for n in names)
    assert all(zipfile.ZipFile(io.BytesIO(data)).read(n)[:5] == b"%PDF-" for n in names)
