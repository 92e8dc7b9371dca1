"""A document's validity on a date, as a sentence: used by lookup, answers and the page.

Kept apart from corpus.py (and free of pydantic) so that the cold `assistant lookup` can say it without loading the
corpus machinery; it reads only a document's 文号 or title and its dates."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .types import Document


def validity_status(doc: Document, today: dt.date) -> tuple[str, str]:
    """("valid"|"expired"|"not_yet"|"unstated", sentence). The sentence quotes the dates the text states."""
    start, end = doc.effective_from, doc.effective_to
    name = doc.doc_no or doc.title
    if end and today > end:
        span = f"{start:%Y年%-m月%-d日}至{end:%Y年%-m月%-d日}" if start else f"至{end:%Y年%-m月%-d日}"
        return "expired", f"注意：{name}的有效期为{span}，截至{today:%Y年%-m月%-d日}已失效，以下内容仅供查阅历史政策。"
    if start and today < start:
        return "not_yet", f"注意：{name}自{start:%Y年%-m月%-d日}起施行，尚未生效。"
    if end:
        left = (end - today).days
        soon = f"（距到期还有{left}天）" if left <= 60 else ""
        since = f"自{start:%Y年%-m月%-d日}起施行，" if start else ""
        return "valid", f"{name}{since}有效期至{end:%Y年%-m月%-d日}{soon}。"
    if start:
        return "unstated", f"{name}自{start:%Y年%-m月%-d日}起施行，原文未规定截止日期。"
    return "unstated", f"{name}原文未规定有效期。"
