"""Turning exceptions into one clear sentence for the user (CLI and UI)."""

from __future__ import annotations

import json


def user_message(exc: BaseException) -> str:
    from .calculator.quantities import CalcInputError
    from .corpus import CorpusError
    from .lookup import QueryError

    if isinstance(exc, json.JSONDecodeError):
        return f"JSON 格式错误：{exc.msg}（第{exc.lineno}行）"
    if isinstance(exc, (QueryError, CorpusError, CalcInputError, ValueError)):
        return str(exc)
    from .index import IndexError_

    if isinstance(exc, IndexError_):
        return str(exc)
    if isinstance(exc, json.JSONDecodeError):
        return f"JSON 格式错误：{exc.msg}（第{exc.lineno}行）"
    if isinstance(exc, OSError) and exc.errno == 28:
        return "磁盘空间不足，操作未完成；原有索引保持不变。"
    if isinstance(exc, OSError) and exc.errno == 30:
        return "索引目录是只读的，无法写入；原有索引保持不变。"
    if isinstance(exc, PermissionError):
        return f"没有写入权限：{exc.filename}；原有索引保持不变。"
    if isinstance(exc, OSError):
        return f"文件访问出错：{exc}"
    return f"出错了：{type(exc).__name__}: {exc}"
