"""Bounds and checks for what web clients send (page API, OpenAI-compatible endpoint, MCP tools).

One place for the limits, so the page, `/v1/chat/completions` and the MCP tools refuse the same inputs with the
same sentence. Every check raises InputError (a ValueError: `assistant.errors.user_message` shows it as is).

The library itself reads only the recent conversation (`answer.recent_history`: 12 turns, 4,000 characters); the
bounds here stop a request long before that, at the door: a body is at most MAX_BODY_BYTES (checked by
`ui.guards` before it is read), a conversation at most MAX_MESSAGES messages of MAX_MESSAGE_CHARS characters.
"""

from __future__ import annotations

import json

# A page conversation of 100 turns whose answers quote long clauses (the longest answer on the golden set is about
# 1,500 characters, 4.5 kB as UTF-8) fits in 1 MB with room to spare; 150 MB does not get read.
MAX_BODY_BYTES = 1_000_000
# The page sends the whole chatbot history with each question; 200 messages is 100 turns.
MAX_MESSAGES = 200
# One earlier message (a question or an answer we gave) in a conversation sent back to us.
MAX_MESSAGE_CHARS = 8_000
# JSON nested deeper than this is not a conversation or calculator input (json.loads recurses: 100,000 nested
# brackets raise RecursionError).
MAX_JSON_DEPTH = 20

HISTORY_SHAPE = '对话历史应为 JSON 列表：[{"role": "user", "content": "…"}, {"role": "assistant", "content": "…"}]'


class InputError(ValueError):
    """A request the service will not process; the message is one sentence for the user."""

    def __init__(self, message: str, param: str | None = None, code: str = "invalid_value") -> None:
        super().__init__(message)
        self.param = param
        self.code = code


def _depth(value) -> int:
    """Nesting depth of parsed JSON, without recursion (json.loads itself stops near 1,000 levels)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, d = stack.pop()
        if isinstance(node, (list, dict)):
            deepest = max(deepest, d)
            stack.extend((child, d + 1) for child in (node.values() if isinstance(node, dict) else node))
    return deepest - 1 if deepest else 0


def parse_json(text, what: str, max_chars: int = MAX_BODY_BYTES):
    """JSON text from a client, parsed within bounds: size, nesting, and Python's 4,300-digit integer limit."""
    if not isinstance(text, (str, bytes)):
        raise InputError(f"{what}应为 JSON 文本。")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{what}不是有效的 UTF-8 文本。") from None
    if len(text) > max_chars:
        raise InputError(f"{what}过长（{len(text)}字符），上限为{max_chars}字符。")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}不是有效的 JSON：{exc.msg}（第{exc.lineno}行第{exc.colno}列）。") from None
    except RecursionError:  # 100,000 nested brackets: the C decoder gives up near the recursion limit, quickly
        raise InputError(f"{what}嵌套过深（超过{MAX_JSON_DEPTH}层）。") from None
    except ValueError:  # a number of more than 4,300 digits
        raise InputError(f"{what}中有过长的数字。") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise InputError(f"{what}嵌套过深（超过{MAX_JSON_DEPTH}层）。")
    return value


def text_of(content, where: str) -> str:
    """Message content: a string, or OpenAI/Gradio parts [{"type": "text", "text": "…"}]. Anything else is refused."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list) and all(isinstance(p, dict) for p in content):
        texts = []
        for part in content:
            kind = part.get("type", "text")
            if kind != "text" or not isinstance(part.get("text"), str):
                raise InputError(f"{where}只能包含文字（type 为 text 的部分），收到“{str(kind)[:20]}”。")
            texts.append(part["text"])
        return "".join(texts)
    raise InputError(f"{where}的 content 应为文字，收到{_type_name(content)}。")


def _type_name(value) -> str:
    return {bool: "布尔值", int: "数字", float: "数字", dict: "对象", list: "列表"}.get(type(value), type(value).__name__)


def history(value, roles: tuple[str, ...] = ("user", "assistant")) -> list[dict]:
    """A conversation from a client (a list, or its JSON text) as [{"role", "content": str}], within the bounds."""
    if value is None or value == "":
        return []
    if isinstance(value, (str, bytes)):
        value = parse_json(value, "对话历史")
    if not isinstance(value, list):
        raise InputError(HISTORY_SHAPE + f"，收到{_type_name(value)}。", param="history")
    if len(value) > MAX_MESSAGES:
        raise InputError(f"对话历史过长（{len(value)}条），上限为{MAX_MESSAGES}条。", param="history",
                         code="too_many_messages")
    out = []
    for i, turn in enumerate(value):
        if not isinstance(turn, dict) or "role" not in turn:
            raise InputError(HISTORY_SHAPE + f"；第{i + 1}条不是这样的对象。", param="history")
        role = turn["role"]
        if role not in roles:
            raise InputError(f"第{i + 1}条消息的 role 应为 {' / '.join(roles)}，收到“{str(role)[:20]}”。",
                             param="history")
        content = text_of(turn.get("content"), f"第{i + 1}条消息")
        if len(content) > MAX_MESSAGE_CHARS:
            raise InputError(f"第{i + 1}条消息过长（{len(content)}字），上限为{MAX_MESSAGE_CHARS}字。", param="history",
                             code="string_above_max_length")
        out.append({"role": role, "content": content})
    return out


def calculator_inputs(value) -> dict:
    """Calculator inputs: an object (or its JSON text) of field -> number, text or yes/no; no nested values."""
    if value is None or value == "":
        return {}
    if isinstance(value, (str, bytes)):
        value = parse_json(value, "inputs", max_chars=10_000)
    if not isinstance(value, dict):
        raise InputError(f"inputs 应为 JSON 对象，例如 {{\"investment\": \"3000万\"}}，收到{_type_name(value)}。")
    if len(value) > 50:
        raise InputError(f"inputs 的项数过多（{len(value)}项）。")
    for key, v in value.items():
        if not isinstance(v, (str, int, float, bool)) and v is not None:
            raise InputError(f"inputs 中“{str(key)[:40]}”应为数字、文字或是/否，收到{_type_name(v)}。")
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**30:  # str() of 5,000 digits raises
            raise InputError(f"inputs 中“{str(key)[:40]}”数值过大，请检查单位。")
        if isinstance(v, str) and len(v) > 64:
            raise InputError(f"inputs 中“{str(key)[:40]}”过长（{len(v)}字）。")
    return value
