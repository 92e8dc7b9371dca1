"""The 政策匹配 tab in a real headless Chromium (Debian's) against `assistant serve`, and its API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import ARTIFACTS, browser, page  # noqa: F401  (fixtures)


def run_match(page, text: str, expect: str) -> str:
    page.get_by_role("tab", name="政策匹配").click()
    page.locator("#match-text textarea").fill(text)
    page.locator("#match-go").click()
    page.locator("#match-result").get_by_text(expect).first.wait_for(timeout=30_000)
    return page.locator("#match-result").inner_text()


@pytest.mark.browser
def test_match_tab_cards_citations_total_and_escaping(page):
    hostile = "<img src=x onerror=\"window.__pwned=1\">"
    text = ("我们是做物流的，去年营收4800万，今年5200万，今年刚评上省级服务型制造示范企业，今年新认定省级绿色工厂。"
            f"{hostile}正在申报国家级绿色工厂")
    shown = run_match(page, text, "合计：70万元")
    # 14号 三、（一）: 首次超过5000万元 20万元 + 省级服务型制造示范企业 50万元; 10号 省级绿色工厂 expired, said first
    assert "生产性服务业企业营收首次突破奖励" in shown and "20万元" in shown and "50万元" in shown
    assert shown.count("嘉政发〔2024〕14号 三、（一）") >= 2
    assert shown.index("已失效") < shown.index("符合条件") < shown.index("合计：70万元")
    assert "嘉政发〔2024〕10号" in shown and "2024年12月31日" in shown
    assert hostile in shown  # the user's text is shown as text …
    assert page.locator("#match-result img").count() == 0  # … never as markup
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#match-result .m-card").count() >= 3
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "match-tab.png"), full_page=True)


@pytest.mark.browser
def test_match_tab_bad_date_is_one_sentence(page):
    page.get_by_role("tab", name="政策匹配").click()
    page.locator("#match-date input, #match-date textarea").first.fill("2026-02-30")
    shown = run_match(page, "物流企业，2025年营收4800万，2026年营收5200万", "日期")
    assert "无效" in shown and "Traceback" not in shown


@pytest.mark.browser
def test_match_api(served):
    from gradio_client import Client

    client = Client(served.url + "/", verbose=False)
    rec = client.predict("物流企业，2025年营收4800万，2026年营收5200万", "2026-11-28", api_name="/match")
    assert rec["total_yuan"] == 200_000 and rec["eligible"][0]["citation"]["clause"] == "三、（一）"
