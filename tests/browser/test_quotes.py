"""Browser test: a quote's verbatim text is one click away from the reader form."""

from __future__ import annotations

TIMEOUT = 30_000


def test_verbatim_text_opens_under_the_clean_simplified_quote(app_server, page, outside_requests):
    page.goto(app_server + "/measures")
    page.wait_for_selector("[data-testid=stDataFrame]", timeout=TIMEOUT)
    page.locator(".st-key-measures_pick").click()
    page.keyboard.type("加快推进基础设施一体化")
    page.get_by_role("option").first.wait_for(timeout=TIMEOUT)
    page.keyboard.press("Enter")
    detail = page.locator(".st-key-measure_detail")
    detail.wait_for(timeout=TIMEOUT)
    shown = "加快推进基础设施一体化,推动省会经济圈基础设施互联通"
    verbatim = "加快推進基礎設施一體化,推動省會經濟圈基礎設施互聯(lián)通"
    detail.get_by_text(shown).first.wait_for(timeout=TIMEOUT)
    assert verbatim not in detail.inner_text()  # closed until asked for
    detail.get_by_text("原文逐字", exact=True).click()
    detail.get_by_text(verbatim).wait_for(timeout=TIMEOUT)
    assert outside_requests == []
