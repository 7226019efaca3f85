"""AppTest: every page runs, filters change what is listed, links restore state, English works.

The app runs in-process (``streamlit.testing.v1.AppTest``) on the real data;
the map component itself is left to the browser tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from circlemap import panels, settings, ui, vocab
from circlemap.catalog import load_catalog
from circlemap.filters import Selection
from circlemap.views import visible_features

PAGES = [
    "app_pages/overview.py",
    "app_pages/transport.py",
    "app_pages/ecology.py",
    "app_pages/measures.py",
    "app_pages/timeline.py",
    "app_pages/about.py",
]
JINGSHI = "road-jingshi-east-extension"
TIMEOUT = 60


def app(**params: str | list[str]) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=TIMEOUT)
    for name, value in params.items():
        at.query_params[name] = value
    return at.run()


def on_page(at: AppTest, page: str) -> AppTest:
    return at.switch_page(page).run()


def texts(at: AppTest) -> str:
    """Every markdown, caption, title and subheader text of the current run."""
    parts = [
        e.value for kind in ("title", "subheader", "markdown", "caption") for e in at.get(kind)
    ]
    parts += [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def listed(at: AppTest, index: int = 0) -> list[str]:
    """First column (the names) of a dataframe on the page."""
    frame = at.dataframe[index].value
    return [str(v) for v in frame.iloc[:, 0]]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_runs_without_exception(page, lang):
    at = on_page(app(lang=lang), page)
    assert not at.exception, at.exception
    assert len(at.title) == 1
    assert not at.error


def counters(at: AppTest) -> list[int]:
    """The overview's three counters (projects, measures, cities), in order."""
    line = next(m.value for m in at.markdown if "项目与廊道" in m.value)
    return [int(n) for n in re.findall(r"\*\*(\d+)\*\*", line)]


def test_overview_counters_follow_city_filter():
    at = app()
    before = counters(at)
    at.sidebar.multiselect(key=ui.KEY_CITIES).set_value(["德州"]).run()
    after = counters(at)
    assert after[0] < before[0]
    assert after[2] == 1
    assert at.query_params["city"] == "德州"


def test_transport_list_follows_filters():
    at = on_page(app(), "app_pages/transport.py")
    everything = listed(at)
    assert "经十路东延工程" in " ".join(everything) or any("经十路" in n for n in everything)
    at.sidebar.multiselect(key=ui.KEY_KINDS).set_value(["rail"]).run()
    rails = listed(at)
    assert 0 < len(rails) < len(everything)
    assert not any("经十路" in n for n in rails)


def test_query_params_round_trip_restores_widgets_and_lists():
    at = app(city="淄博", kind="road,rail", lang="en", feature=JINGSHI)
    assert at.sidebar.multiselect(key=ui.KEY_CITIES).value == ["淄博"]
    assert at.sidebar.multiselect(key=ui.KEY_KINDS).value == ["rail", "road"]
    assert at.session_state[ui.KEY_LANG] == "en"
    assert "Jingshi Road" in texts(at)  # the card of the linked feature, in English
    at = on_page(at, "app_pages/transport.py")
    expected = visible_features(
        load_catalog(), Selection(cities=("淄博",), kinds=("rail", "road")), groups=("transport",)
    )
    assert len(expected) > 0
    assert sorted(at.dataframe[0].value.index) == sorted(expected.index)
    # the state written back to the URL is the state read from it
    assert at.query_params["city"] == "淄博"
    assert at.query_params["feature"] == JINGSHI


def test_malformed_params_are_named_in_a_notice_not_a_crash():
    at = app(city="淄博,上海", zoom="99", basemap="google", feature="nope")
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    for word in ("上海", "zoom", "google", "nope"):
        assert word in notice
    assert at.sidebar.multiselect(key=ui.KEY_CITIES).value == ["淄博"]
    assert "zoom" not in at.query_params


@pytest.mark.parametrize(
    ("value", "live"),
    [
        ("https://evil.example/login", "https://"),
        ("www.evil.example", "www."),
        ("staff@evil.example", "staff@evil"),
        (":material/home:", ":material/"),
    ],
)
def test_link_values_in_the_notice_are_inert_text(value, live):
    at = app(feature=value)
    notice = " ".join(w.value for w in at.warning)
    unescaped = re.sub(r"\\(.)", r"\1", notice)
    # the value is there for the reader (word joiners are invisible) ...
    assert value in unescaped.replace(panels.WORD_JOINER, "")
    # ... but not as the pattern Streamlit's front end turns into a link or an icon
    assert live not in unescaped
    assert live not in notice


def test_a_same_size_edit_with_the_old_mtime_is_served(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(settings.DATA_DIR, data)
    monkeypatch.setattr(settings, "DATA_DIR", data)
    measures = data / "measures.yaml"
    title = next(
        m["title_en"]
        for m in yaml.safe_load(measures.read_text(encoding="utf-8"))
        if JINGSHI in (m.get("features") or [])
    )
    at = app(feature=JINGSHI, lang="en")
    assert title in texts(at)

    edited = ("Q" if title[0] != "Q" else "R") + title[1:]  # same size in bytes
    before = measures.stat()
    raw = measures.read_bytes()
    measures.write_bytes(raw.replace(title.encode(), edited.encode(), 1))
    os.utime(measures, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = measures.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)

    at = app(feature=JINGSHI, lang="en")
    assert edited in texts(at)


def test_english_mode_shows_english_names():
    at = on_page(app(lang="en"), "app_pages/transport.py")
    assert at.title[0].value == "Transport links"
    assert "Jingshi Road eastward extension" in listed(at)
    assert at.sidebar.multiselect(key=ui.KEY_CITIES).label == "City"
    at.sidebar.segmented_control(key=ui.KEY_LANG).set_value("zh").run()
    assert at.title[0].value == "交通互联"
    assert "经十路东延" in " ".join(listed(at))


def test_overview_feature_card_shows_measures_and_closes():
    at = app(feature=JINGSHI)
    shown = texts(at)
    assert "经十路东延" in shown
    assert "实施经十路东延工程" in shown  # verbatim quote
    assert len(at.expander) >= 1  # its measures
    at.button(key="close_feature_card").click().run()
    assert at.session_state[ui.KEY_FEATURE] is None
    assert "feature" not in at.query_params


def test_overview_city_panel_lists_city_projects():
    at = app(focus="淄博", lang="en")
    assert "Zibo" in texts(at)
    projects = listed(at, 0)
    assert any("Jingshi" in n for n in projects)


def test_transport_choice_selects_the_link():
    at = on_page(app(), "app_pages/transport.py")
    at.selectbox(key="pick_transport").set_value(JINGSHI).run()
    assert at.session_state[ui.KEY_FEATURE] == JINGSHI
    assert at.query_params["feature"] == JINGSHI
    assert "实施经十路东延工程" in texts(at)


def test_measures_search_scope_and_show_on_map():
    at = on_page(app(lang="en"), "app_pages/measures.py")
    total = len(at.dataframe[0].value)
    at.text_input(key="measures_search").set_value("经十路").run()
    found = at.dataframe[0].value
    assert 0 < len(found) < total
    at.text_input(key="measures_search").set_value("hydrogen").run()
    assert any("ydrogen" in t for t in at.dataframe[0].value.iloc[:, 0])
    at.text_input(key="measures_search").set_value("经十路").run()
    at.selectbox(key="measures_pick").set_value("agreement-jingshi-road-east").run()
    assert "实施经十路东延工程" in texts(at)
    at.button(key=f"show_{JINGSHI}").click().run()
    assert not at.exception
    assert at.session_state[ui.KEY_FEATURE] == JINGSHI
    assert at.title[0].value == "Provincial Capital Economic Circle"  # now on the overview
    assert "Jingshi Road eastward extension" in texts(at)


def test_measures_scope_filter():
    at = on_page(app(), "app_pages/measures.py")
    total = len(at.dataframe[0].value)
    at.multiselect(key="measures_scope").set_value(["jinan_zibo_agreement"]).run()
    assert 0 < len(at.dataframe[0].value) < total


def test_ecology_lists_corridors_by_city_and_measures():
    at = on_page(app(city="淄博", lang="en"), "app_pages/ecology.py")
    by_city = at.dataframe[0].value
    assert set(by_city["City"]) == {"Zibo"}
    assert len(at.expander) > 0  # ecology measures


def test_timeline_has_chart_and_quotes():
    at = on_page(app(), "app_pages/timeline.py")
    assert len(at.get("vega_lite_chart")) == 1
    assert "2013" in texts(at)


def test_about_explains_accuracy_and_update():
    at = on_page(app(lang="en"), "app_pages/about.py")
    assert "Schematic alignment" in list(at.dataframe[0].value["Accuracy"])
    assert "python -m circlemap validate" in texts(at)


def test_data_error_shows_a_readable_page(tmp_path, monkeypatch):
    geodata = tmp_path / "geodata"
    data = tmp_path / "data"
    shutil.copytree(settings.GEODATA_DIR, geodata)
    shutil.copytree(settings.DATA_DIR, data)
    projects = geodata / "projects.geojson"
    collection = json.loads(projects.read_text(encoding="utf-8"))
    collection["features"][0]["properties"]["cities"] = ["上海"]
    bad_id = collection["features"][0]["properties"]["id"]
    projects.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(settings, "GEODATA_DIR", geodata)
    monkeypatch.setattr(settings, "DATA_DIR", data)

    at = app(lang="en")
    assert not at.exception
    assert at.title[0].value == "Data error"
    message = at.code[0].value
    assert "projects.geojson" in message
    assert bad_id in message
    assert "cities" in message

    # fixing the file brings the app back without a restart
    shutil.copy(settings.ROOT / "geodata" / "projects.geojson", projects)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Provincial Capital Economic Circle"


def test_pages_are_listed_in_navigation():
    source = Path(settings.ROOT / "app.py").read_text(encoding="utf-8")
    for page in PAGES:
        assert f'"{page}"' in source


def test_language_switch_keeps_filters_and_selection():
    at = app(city="淄博", cat="transport", feature=JINGSHI)
    at.sidebar.segmented_control(key=ui.KEY_LANG).set_value("en").run()
    assert at.sidebar.multiselect(key=ui.KEY_CITIES).value == ["淄博"]
    assert at.sidebar.multiselect(key=ui.KEY_CATEGORIES).value == ["transport"]
    assert at.session_state[ui.KEY_FEATURE] == JINGSHI
    assert at.query_params["lang"] == "en"
    assert "Jingshi Road eastward extension" in texts(at)


def test_filters_survive_a_page_switch():
    at = app()
    at.sidebar.multiselect(key=ui.KEY_STATUSES).set_value(["planning"]).run()
    for page in PAGES[1:]:
        at = on_page(at, page)
        assert at.sidebar.multiselect(key=ui.KEY_STATUSES).value == ["planning"], page
    assert at.query_params["status"] == "planning"


@pytest.mark.parametrize(
    ("page", "view"),
    [("app_pages/overview.py", "overview"), ("app_pages/transport.py", "transport"),
     ("app_pages/ecology.py", "ecology")],
)  # fmt: skip
def test_map_pages_offer_one_deferred_download_per_format(page, view):
    at = on_page(app(lang="en", city="淄博"), page)
    # A lean first paint: the closed panel below the map holds no button yet.
    assert not [b for b in at.get("download_button") if "-export_" in b.proto.id]
    assert "Export this view" in [e.label for e in at.expander]
    at.session_state[ui.KEY_EXPORT_PANEL.format(view=view)] = True  # the reader opens it
    at.run()
    buttons = [b for b in at.get("download_button") if "-export_" in b.proto.id]
    labels = {b.proto.id.rsplit("-", 1)[-1]: b.proto.label for b in buttons}
    assert labels == {
        f"export_{view}_png": "PNG image",
        f"export_{view}_pdf": "PDF print",
        f"export_{view}_svg": "SVG vector",
        f"export_{view}_html": "HTML map",
        f"export_{view}_geojson": "GeoJSON features",
        f"export_{view}_csv": "CSV measures",
    }
    # rendered on click, not on every rerun: no file is attached to the page
    assert all(b.proto.deferred_file_id and not b.proto.url for b in buttons)
    stem = "circle-map_zibo" if view == "overview" else f"circle-map_{view}_zibo"
    assert stem in texts(at).replace("\\", "")


def test_pages_without_a_map_offer_no_export():
    at = on_page(app(), "app_pages/measures.py")
    assert not at.get("download_button")


def test_transport_lists_the_measures_the_map_cannot_draw():
    at = on_page(app(lang="en"), "app_pages/transport.py")
    labels = [e.label for e in at.expander]
    assert any("G308" in label for label in labels)
    zibo_less = on_page(app(lang="en", city="德州"), "app_pages/transport.py")
    assert not any("G308" in e.label for e in zibo_less.expander)  # a Jinan–Zibo road


def test_carto_is_offered_only_with_its_key(monkeypatch):
    monkeypatch.delenv("CARTO_API_KEY", raising=False)
    without = app().sidebar.selectbox(key=ui.KEY_BASEMAP).options
    assert "CARTO 浅色" not in without
    assert "Esri 浅灰（无需密钥）" in without  # the key-free light basemap
    monkeypatch.setenv("CARTO_API_KEY", "test-key")
    assert "CARTO 浅色" in app().sidebar.selectbox(key=ui.KEY_BASEMAP).options


def test_kinds_without_features_are_not_offered_as_filters():
    kinds = app(lang="en").sidebar.multiselect(key=ui.KEY_KINDS).options
    present = set(load_catalog().features["kind"])
    assert kinds
    assert all(any(k == vocab.KINDS[p].en for p in present) for k in kinds)
    assert "Wetland park" not in kinds  # a kind of the vocabulary no feature has


def test_repeated_link_parameters_select_every_value():
    at = app(city=["济南", "淄博"])
    assert at.sidebar.multiselect(key=ui.KEY_CITIES).value == ["济南", "淄博"]


def test_measures_search_scope_and_measure_come_from_the_link():
    at = on_page(
        app(search="经十路", scope="jinan_zibo_agreement", measure="agreement-jingshi-road-east"),
        "app_pages/measures.py",
    )
    assert at.text_input(key=ui.KEY_MEASURE_QUERY).value == "经十路"
    assert at.multiselect(key=ui.KEY_SCOPES).value == ["jinan_zibo_agreement"]
    assert at.selectbox(key=ui.KEY_MEASURE).value == "agreement-jingshi-road-east"
    assert 0 < len(at.dataframe[0].value) < len(load_catalog().measures)
    assert at.query_params["search"] == "经十路"


def _broken_copy(tmp_path, monkeypatch, relative: str, content: bytes):
    """A copy of the data with one file replaced by ``content``, used by the app."""
    shutil.copytree(settings.GEODATA_DIR, tmp_path / "geodata")
    shutil.copytree(settings.DATA_DIR, tmp_path / "data")
    (tmp_path / relative).write_bytes(content)
    monkeypatch.setattr(settings, "GEODATA_DIR", tmp_path / "geodata")
    monkeypatch.setattr(settings, "DATA_DIR", tmp_path / "data")


def _assert_error_page(at: AppTest, *expected: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Data error"
    message = at.code[0].value
    for text in expected:
        assert text in message
    assert "Traceback" not in texts(at) + message


@pytest.mark.parametrize("page", PAGES)
def test_deeply_nested_json_shows_the_error_page_on_every_page(tmp_path, monkeypatch, page):
    # a reader is on a page when the file breaks: the next run of that page explains it
    _broken_copy(
        tmp_path,
        monkeypatch,
        "geodata/projects.geojson",
        (settings.GEODATA_DIR / "projects.geojson").read_bytes(),
    )
    at = on_page(app(lang="en"), page)
    assert not at.exception
    (tmp_path / "geodata" / "projects.geojson").write_bytes(b"[" * 100_000)
    at.run()
    _assert_error_page(at, "projects.geojson", "nested 100000 levels deep")


ALIAS_BOMB = b'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n'


@pytest.mark.parametrize(
    ("relative", "content", "expected"),
    [
        ("data/measures.yaml", ALIAS_BOMB, "YAML anchors and aliases"),  # a YAML bomb
        ("data/milestones.yaml", b"", "empty file"),  # nothing to read
        ("data/measures.yaml", "- id: 济南\n".encode("gbk"), "e.g. not GBK"),  # bytes
        ("geodata/cities.geojson", b'{"type": "FeatureCollection", "features": NaN}', "NaN"),
        ("geodata/projects.geojson", b'{"type": "x", "type": "y"}', "duplicate key 'type'"),
    ],
)
def test_unreadable_files_show_the_error_page(tmp_path, monkeypatch, relative, content, expected):
    _broken_copy(tmp_path, monkeypatch, relative, content)
    _assert_error_page(app(lang="en"), Path(relative).name, expected)


def test_oversized_and_unknown_members_show_the_error_page(tmp_path, monkeypatch):
    path = settings.GEODATA_DIR / "projects.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"][0]["style"] = "x"
    _broken_copy(tmp_path, monkeypatch, "geodata/projects.geojson", json.dumps(collection).encode())
    _assert_error_page(app(lang="en"), "projects.geojson", "field 'style': unknown member")
    monkeypatch.setattr(settings, "MAX_FILE_BYTES", 1_000)
    _assert_error_page(app(lang="en"), "file too large")


def test_streamlit_hides_its_own_error_details_from_readers():
    import tomllib

    config = tomllib.loads((settings.ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def _frames(cat: object) -> dict[str, object]:
    return {name: value for name, value in vars(cat).items() if hasattr(value, "equals")}


def test_pages_leave_the_shared_catalog_as_loaded():
    """The catalog is one object shared by every session (``st.cache_resource``):
    no page, filter, selection or language may write to it."""
    for params in (
        {"city": "淄博", "kind": "rail", "lang": "en"},
        {"feature": JINGSHI},
        {"focus": "滨州", "q": "jingshi"},
    ):
        for page in PAGES:
            at = on_page(app(**params), page)
            assert not at.exception, at.exception
    shared = ui.data.load_catalog()
    fresh = load_catalog()
    assert shared is ui.data.load_catalog()  # one object, not a copy per call
    shared_frames, fresh_frames = _frames(shared), _frames(fresh)
    assert shared_frames
    assert shared_frames.keys() == fresh_frames.keys()
    for name, frame in fresh_frames.items():
        assert shared_frames[name].equals(frame), f"catalog.{name} was changed by a page"


def test_what_is_cached_from_a_catalog_is_keyed_by_the_data_it_was_loaded_from(monkeypatch):
    """A data file edited after a run loaded its catalog: the base layers, feature
    table and search index that run builds from the catalog are filed under the
    catalog's own signature, not the new data's (else later runs, on the new data,
    would be served what the old catalog gave)."""
    old = (("geodata/projects.geojson", "a" * 64),)
    new = (("geodata/projects.geojson", "b" * 64),)
    monkeypatch.setattr(ui.data, "data_signature", lambda: old)
    loaded = ui.data.load_catalog()
    monkeypatch.setattr(ui.data, "data_signature", lambda: new)  # the edit, mid-run
    assert ui.data.catalog_signature(loaded) == old
    following = ui.data.load_catalog()  # the next run loads the new data: another object
    assert following is not loaded
    assert ui.data.catalog_signature(following) == new
    assert ui.data.catalog_signature(loaded) == old
    assert ui.data.catalog_signature(load_catalog()) == new  # not the app's: the current one


def _feature_group(at: AppTest) -> str:
    from benchmarks.payload import map_json_args

    return str(json.loads(map_json_args(at, "overview"))["feature_group"])


def test_a_map_draws_inline_first_and_rows_into_its_table_from_the_first_change():
    """The first drawing carries the features (nothing to fetch before it draws) and
    asks for the published table; a rerun with the same inputs sends the very same
    script; a filter change sends rows into the table, without the names."""
    cat = load_catalog()
    at = app()
    first = _feature_group(at)
    name = str(cat.features["name_zh"].iloc[0])
    assert name in first
    assert "L.circlemap.prefetch(" in first
    assert "L.circlemap.fromTable(" not in first
    at.run()  # e.g. the map reporting its view
    assert _feature_group(at) == first
    at.sidebar.multiselect(key=ui.KEY_CITIES).set_value(["淄博"]).run()
    rows = _feature_group(at)
    assert "L.circlemap.fromTable(" in rows
    assert "L.circlemap.prefetch(" not in rows
    zibo = visible_features(cat, Selection(cities=("淄博",)))
    assert len(zibo)
    assert not [n for n in zibo["name_zh"] if str(n) in rows]
    # back to the first inputs: still rows (the browser has the table by now)
    at.sidebar.multiselect(key=ui.KEY_CITIES).set_value([]).run()
    assert "L.circlemap.fromTable(" in _feature_group(at)
