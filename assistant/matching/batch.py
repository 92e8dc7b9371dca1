"""Many descriptions in one process: JSONL in (`{"id", "text", "date"}` or `{"id", "profile", "date"}`), one
JSON record out per non-empty input line. A bad line (invalid UTF-8 or JSON, wrong types, an oversized text) gets an
error record with its id and line number; the rest go on."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Iterator

from pydantic import ValidationError

from . import match, parse_date
from .extract import MAX_TEXT
from .matcher import match_profile
from .profile import Profile

MAX_LINE = 1_000_000  # bytes; a line beyond this is refused unread rather than parsed


def error_record(record_id, line: int, message: str) -> dict:
    return {"id": record_id, "line": line, "profile": None, "eligible": [], "near_misses": [], "needs": [],
            "total_yuan": 0, "notes": [], "error": message}


def profile_error(exc: ValidationError) -> str:
    e = exc.errors()[0]
    where = ".".join(str(x) for x in e["loc"]) or "profile"
    return f"企业情况字段“{where}”有误：{e['msg']}。"


def one_line(raw: bytes, n: int, default_date: dt.date) -> dict:
    record_id = None
    if len(raw) > MAX_LINE:
        return error_record(None, n, f"第{n}行过长（{len(raw):,}字节，上限{MAX_LINE:,}），已跳过。")
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        with contextlib.suppress(ValueError, AttributeError):
            record_id = json.loads(raw.decode("utf-8", "replace")).get("id")
        return error_record(_id(record_id), n, f"第{n}行不是有效的 UTF-8 文本（第{exc.start + 1}个字节），已跳过。")
    try:
        item = json.loads(line)
    except (json.JSONDecodeError, RecursionError) as exc:
        return error_record(None, n, f"第{n}行不是有效的 JSON（{getattr(exc, 'msg', '嵌套过深')}）。")
    if not isinstance(item, dict):
        return error_record(None, n, f"第{n}行应为 JSON 对象：{{\"id\", \"text\", \"date\"}}。")
    record_id = _id(item.get("id"))
    try:
        if item.get("id") is not None and record_id is None:
            raise ValueError(f"第{n}行的 id 应为字符串或整数。")
        day = parse_date(item.get("date"), default_date)
        if "profile" in item and item.get("text") is None:
            if not isinstance(item["profile"], dict):
                raise ValueError(f"第{n}行的 profile 应为 JSON 对象。")
            result = match_profile(Profile.model_validate(item["profile"]), day)
        else:
            text = item.get("text")
            if not isinstance(text, str):
                raise ValueError(f"第{n}行缺少企业情况描述（text 应为字符串）。")
            if not text.strip():
                raise ValueError(f"第{n}行的企业情况描述是空的。")
            if len(text) > MAX_TEXT:
                raise ValueError(f"第{n}行的描述有{len(text):,}个字符，超过上限{MAX_TEXT}，请精简后再试。")
            result = match(text, day)
    except ValidationError as exc:
        return error_record(record_id, n, profile_error(exc))
    except Exception as exc:  # one bad line must not lose the rest
        from ..errors import user_message

        return error_record(record_id, n, user_message(exc))
    return result.record(record_id)


def _id(value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return value


def run_batch(lines: Iterable[bytes], default_date: dt.date) -> Iterator[dict]:
    """One record per input line; a blank line gets an error record too, so line N of the output is line N of the
    input."""
    for n, raw in enumerate(lines, 1):
        if raw.strip():
            yield one_line(raw, n, default_date)
        else:
            yield error_record(None, n, f"第{n}行是空行。")
