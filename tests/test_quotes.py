"""Unit tests of circlemap.quotes: fragments, placement in the source, reader forms."""

from __future__ import annotations

import pytest

from circlemap import quotes

PAGE = "第一栏说到一半,共\n\n标题\n\n同推进改线,另一句。\n"

# three quotes of source 003 as stored (verbatim, conversion leftovers included)
INFRASTRUCTURE = "加快推進基礎設施一體化,推動省會經濟圈基礎設施互聯(lián)通"
FRAMEWORK = "《省會經濟圈一體化發(fā)展戰(zhàn)略合作框架協(xié)議》"
STRATEGY = "全會明確提出實施“強省會”戰(zhàn)略"


def test_joined_fragments_read_as_one_sentence() -> None:
    assert quotes.joined(["共", "同推进S317改线"]) == "共同推进S317改线"
    assert quotes.joined("一句") == "一句"
    assert quotes.fragments("一句") == ("一句",)


def test_fragments_in_source_order_are_placed() -> None:
    assert quotes.placement_problem(PAGE, ["说到一半,共", "同推进改线"]) is None
    assert quotes.placement_problem(PAGE, "另一句。") is None


def test_fragments_out_of_order_are_rejected() -> None:
    problem = quotes.placement_problem(PAGE, ["同推进改线", "说到一半,共"])
    assert problem is not None
    assert "fragment 2" in problem
    assert "source order" in problem


def test_a_later_fragment_must_start_a_later_paragraph() -> None:
    # "改线" is in the text, but mid-paragraph: that is no column break
    problem = quotes.placement_problem(PAGE, ["说到一半,共", "改线"])
    assert problem is not None
    assert "start of a later paragraph" in problem


def test_missing_fragment_is_named() -> None:
    problem = quotes.placement_problem(PAGE, ["不在文中"])
    assert problem == "fragment 1 '不在文中' is not a verbatim substring of the source"


@pytest.mark.parametrize(
    ("verbatim", "clean", "simplified"),
    [
        (
            INFRASTRUCTURE,
            "加快推進基礎設施一體化,推動省會經濟圈基礎設施互聯通",
            "加快推进基础设施一体化,推动省会经济圈基础设施互联通",
        ),
        (
            FRAMEWORK,
            "《省會經濟圈一體化發展戰略合作框架協議》",
            "《省会经济圈一体化发展战略合作框架协议》",
        ),
        (STRATEGY, "全會明確提出實施“強省會”戰略", "全会明确提出实施“强省会”战略"),
    ],
)
def test_003_quotes_clean_and_simplified(verbatim: str, clean: str, simplified: str) -> None:
    assert quotes.cleaned(verbatim, ["pinyin_leftovers"]) == clean
    assert quotes.simplified(clean) == simplified
    forms = quotes.forms(verbatim, cleaning=["pinyin_leftovers"], script="traditional")
    assert forms.verbatim == verbatim
    assert forms.reader_zh == simplified
    assert forms.differs


def test_cleaning_keeps_brackets_that_are_text() -> None:
    text = "省会经济圈与跨国公司(上海)合作交流 the Communist Party of China (CPC) 戰(zhàn)略"
    assert quotes.cleaned(text, ["pinyin_leftovers"]) == (
        "省会经济圈与跨国公司(上海)合作交流 the Communist Party of China (CPC) 戰略"
    )


def test_a_clean_simplified_source_is_shown_as_it_is() -> None:
    forms = quotes.forms(["推进两市平台", "载体共建共享"], quote_en=None)
    assert forms.reader_zh == forms.verbatim == "推进两市平台载体共建共享"
    assert not forms.differs


def test_declared_column_breaks_pin_fragments_and_catch_cut_quotes() -> None:
    breaks = [[1, 5]]
    assert quotes.placement_problem(PAGE, ["说到一半,共", "同推进改线"], breaks) is None
    stopped = quotes.placement_problem(PAGE, "第一栏说到一半,共", breaks)
    assert stopped is not None
    assert "stops where line 1 breaks off" in stopped
    started = quotes.placement_problem(PAGE, "同推进改线", breaks)
    assert started is not None
    assert "starts mid-sentence at line 5" in started
    elsewhere = quotes.placement_problem(PAGE, ["标题", "同推进改线"], breaks)
    assert elsewhere is not None
    assert "do not meet at a column break" in elsewhere
