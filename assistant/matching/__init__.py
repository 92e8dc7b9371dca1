"""Enterprise policy matching: every award of the gazette a company qualifies for, from its own description.

    from assistant.matching import match_text
    match_text("我们是物流公司，去年营收4800万，今年5200万", "2026-11-28")
    # -> {"id": None, "profile": {...}, "eligible": [...], "near_misses": [...], "needs": [...],
    #     "total_yuan": 200000, "notes": [...]}

Stages: `extract` (Chinese text -> `Profile`), `matcher` (Profile + date -> `MatchResult`, amounts from the
calculator), `render` (text for people), `tool` (a LangChain tool), `batch` (JSONL in, JSONL out).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .extract import MAX_TEXT, extract_profile
from .matcher import MatchResult, match_profile
from .profile import Profile

__all__ = ["Profile", "MatchResult", "extract_profile", "match_profile", "match", "match_text", "parse_date"]


def parse_date(value: Any, default: dt.date | None = None) -> dt.date:
    """"2026-11-28" / date / None (-> default). A bad date is one sentence."""
    if value is None or value == "":
        if default is None:
            raise ValueError("请提供日期，例如 2026-11-28。")
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"日期“{str(value)[:40]}”无效，请写成 2026-11-28 的形式。")


def match(text: str, date: dt.date) -> MatchResult:
    """Free text -> MatchResult on `date` (the extraction notes come first among the notes)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("请提供企业情况描述（文字）。")
    if len(text) > MAX_TEXT:
        raise ValueError(f"企业情况描述有{len(text):,}个字符，超过上限{MAX_TEXT}，请精简后再试。")
    extracted = extract_profile(text, date.year)
    return match_profile(extracted.profile, date, extracted.notes)


def match_text(text: str, date: str | dt.date | None = None) -> dict:
    """Plain function for tool registries (MCP, OpenAI function calling): text and an ISO date (default: the
    configured today) -> the JSON record of `assistant match --json`. Bad input raises ValueError with one sentence."""
    if date is None:
        from ..settings import get_settings

        day = get_settings().today
    else:
        day = parse_date(date)
    return match(text, day).record()
