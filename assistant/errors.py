"""Turning exceptions into one clear sentence for the user (CLI and UI)."""

from __future__ import annotations


def user_message(exc: BaseException) -> str:
    from .calculator.quantities import CalcInputError
    from .corpus import CorpusError
    from .lookup import QueryError

    if isinstance(exc, (QueryError, CorpusError, CalcInputError, ValueError)):
        return str(exc)
    if isinstance(exc, (OSError, PermissionError)):
        return f"文件访问出错：{exc}"
    return f"出错了：{type(exc).__name__}: {exc}"
