"""Unit tests of circlemap.schema: one record at a time, tiny in-memory fixtures."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from circlemap import schema

SRC = "000_62d8a2b4d5d19bc4.txt"


def feature_props(**changes: Any) -> dict[str, Any]:
    props = {
        "id": "rail-a-b",
        "name_zh": "甲乙铁路",
        "name_en": "A–B railway",
        "kind": "rail",
        "status": "planning",
        "standing": "agreed",
        "cities": ["济南", "淄博"],
        "geometry_accuracy": "schematic",
        "accuracy_note_zh": "示意",
        "accuracy_note_en": "Schematic",
        "source": SRC,
        "quote": "谋划",
    }
    props.update(changes)
    return props


def measure(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "m-1",
        "category": "transport",
        "title_zh": "标题",
        "title_en": "Title",
        "scope": "jinan_zibo_agreement",
        "cities": ["济南"],
        "status": "advancing",
        "standing": "agreed",
        "source": SRC,
        "quote": "推进",
        "features": ["rail-a-b"],
    }
    row.update(changes)
    return row


def milestone(**changes: Any) -> dict[str, Any]:
    row = {
        "id": "ms-1",
        "date": "2020-07-02",
        "end_date": None,
        "date_precision": "day",
        "text_zh": "会议",
        "text_en": "Meeting",
        "source": SRC,
        "quote": "召开",
    }
    row.update(changes)
    return row


def errors_of(model: type, record: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(record)
    return [(e["loc"], e["msg"]) for e in info.value.errors()]


def test_valid_records_pass() -> None:
    props = schema.FeatureProperties.model_validate(feature_props(cities=["滨州", "临沂"]))
    assert props.cities == ("滨州", "临沂")
    assert schema.Measure.model_validate(measure()).features == ("rail-a-b",)
    assert schema.Milestone.model_validate(milestone()).date.isoformat() == "2020-07-02"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("kind", "railway", "unknown kind 'railway'"),
        ("status", "done", "unknown status 'done'"),
        ("geometry_accuracy", "rough", "unknown geometry_accuracy 'rough'"),
        ("id", "Rail_A", "bad id 'Rail_A'"),
        ("source", "notes.md", "bad source 'notes.md'"),
        ("source", "009_0123456789abcdef.txt", "unknown source '009_0123456789abcdef.txt'"),
    ],
)
def test_feature_vocabulary_is_checked(field: str, value: str, expected: str) -> None:
    [(loc, msg)] = errors_of(schema.FeatureProperties, feature_props(**{field: value}))
    assert loc == (field,)
    assert expected in msg
    assert "expected" in msg


def test_unknown_city_names_the_allowed_ones() -> None:
    [(loc, msg)] = errors_of(schema.FeatureProperties, feature_props(cities=["济南", "上海"]))
    assert loc == ("cities", 1)
    assert "unknown city '上海'" in msg
    assert "济南" in msg


def test_cities_must_not_be_empty_or_repeated() -> None:
    assert errors_of(schema.Measure, measure(cities=[]))[0][0] == ("cities",)
    assert "repeated" in errors_of(schema.Measure, measure(cities=["济南", "济南"]))[0][1]


@pytest.mark.parametrize("field", ["name_zh", "name_en"])
@pytest.mark.parametrize("text", ["<script>alert(1)</script>", "a > b", "<b>bold</b>"])
def test_markup_in_names_is_rejected(field: str, text: str) -> None:
    [(loc, msg)] = errors_of(schema.FeatureProperties, feature_props(**{field: text}))
    assert loc == (field,)
    assert "markup is not allowed" in msg


def test_markup_in_titles_and_texts_is_rejected() -> None:
    assert errors_of(schema.Measure, measure(title_en="<script>"))[0][0] == ("title_en",)
    assert errors_of(schema.Milestone, milestone(text_zh="<img src=x>"))[0][0] == ("text_zh",)


def test_missing_and_unknown_fields() -> None:
    row = measure()
    del row["status"]
    row["colour"] = "red"
    locs = {loc for loc, _ in errors_of(schema.Measure, row)}
    assert locs == {("status",), ("colour",)}


def test_quote_may_not_span_a_line_break() -> None:
    [(loc, msg)] = errors_of(schema.Measure, measure(quote="上一段\n下一段"))
    assert loc == ("quote", 0)
    assert "line break" in msg


def test_milestone_dates() -> None:
    [(loc, msg)] = errors_of(schema.Milestone, milestone(end_date="2020-07-01"))
    assert loc == ("end_date",)
    assert "before" in msg
    assert errors_of(schema.Milestone, milestone(date="2020/07/02"))[0][0] == ("date",)
    assert errors_of(schema.Milestone, milestone(date_precision="year"))[0][0] == (
        "date_precision",
    )
    year = schema.Milestone.model_validate(milestone(date="2013-01-01", date_precision="year"))
    assert year.date_precision == "year"


def test_milestone_also_in_is_checked() -> None:
    ok = milestone(also_in=[{"source": SRC, "quote": "召开"}])
    assert schema.Milestone.model_validate(ok).also_in[0].quote == ("召开",)
    locs = [loc for loc, _ in errors_of(schema.Milestone, milestone(also_in=[{"source": SRC}]))]
    assert locs == [("also_in", 0, "quote")]


def test_base_layer_properties_allow_extra_fields() -> None:
    county = schema.CountyProperties.model_validate(
        {
            "id": "county-370306",
            "adcode": "370306",
            "name_zh": "周村区",
            "name_en": "Zhoucun District",
            "city": "淄博",
            "kind": "county",
            "cities": ["淄博"],
            "geometry_accuracy": "exact",
            "source": "test",
            "area_km2": 1.0,
        }
    )
    assert county.city == "淄博"


def test_quote_may_be_a_list_of_fragments() -> None:
    record = schema.Measure.model_validate(measure(quote=["共", "同推进S317改线"]))
    assert record.quote == ("共", "同推进S317改线")
    assert schema.Measure.model_validate(measure()).quote == ("推进",)
    with pytest.raises(ValidationError, match="empty list of quote fragments"):
        schema.Measure.model_validate(measure(quote=[]))
    with pytest.raises(ValidationError, match="quote spans a line break"):
        schema.Measure.model_validate(measure(quote=["共", "同\n推进"]))


def test_standing_is_a_vocabulary_key() -> None:
    with pytest.raises(ValidationError, match="unknown standing 'underway'"):
        schema.Measure.model_validate(measure(standing="underway"))
    with pytest.raises(ValidationError, match="standing"):
        schema.FeatureProperties.model_validate(
            {k: v for k, v in feature_props().items() if k != "standing"}
        )


def project_record(**changes: Any) -> dict[str, Any]:
    return {**feature_props(), "layer": "projects", "geometry": {"line": ["a", "b"]}, **changes}


def test_project_record_needs_exactly_one_geometry_spec() -> None:
    assert schema.ProjectRecord.model_validate(project_record()).geometry.line == ("a", "b")
    with pytest.raises(ValidationError, match="give exactly one way to draw the feature"):
        schema.ProjectRecord.model_validate(
            project_record(geometry={"point": "a", "county": "370306"})
        )
    with pytest.raises(ValidationError, match="at least 2"):
        schema.ProjectRecord.model_validate(project_record(geometry={"line": ["a"]}))


def place(**changes: Any) -> dict[str, Any]:
    return {
        "id": "p-1",
        "name_zh": "某地",
        "name_en": "A place",
        "what": "a test place",
        "lon": 117.0,
        "lat": 36.6,
        "crs": "EPSG:4326",
        "basis": "outside_knowledge",
        "provenance": "test",
        "uncertainty_m": 500,
        "uncertainty_note": "test",
        **changes,
    }


def test_place_states_provenance_and_uncertainty() -> None:
    assert schema.PlaceRecord.model_validate(place()).uncertainty_m == 500
    for missing in ("provenance", "uncertainty_m", "basis"):
        with pytest.raises(ValidationError, match=missing):
            schema.PlaceRecord.model_validate({k: v for k, v in place().items() if k != missing})
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        schema.PlaceRecord.model_validate(place(uncertainty_m=-1))
    with pytest.raises(ValidationError, match="crs"):
        schema.PlaceRecord.model_validate(place(crs="EPSG:3857"))


def test_source_record() -> None:
    record = {
        "file": "900_fixture.txt",
        "title_zh": "来源",
        "title_en": "Source",
        "date": "2022-05-01",
        "language": ["zh-Hant"],
        "script": "traditional",
        "cleaning": ["pinyin_leftovers"],
        "licence": "test",
    }
    assert schema.SourceRecord.model_validate(record).script == "traditional"
    with pytest.raises(ValidationError, match="unknown cleaning rule 'spelling'"):
        schema.SourceRecord.model_validate({**record, "cleaning": ["spelling"]})
    with pytest.raises(ValidationError, match="bad date"):
        schema.SourceRecord.model_validate({**record, "date": "May 2022"})
