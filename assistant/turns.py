"""What each step of the answer pipeline takes and gives: typed, frozen records instead of one shared dict.

    Ask --prepare--> Prepared --route--> Routed --(refuse | lookup | calculate | retrieve_and_compose)--> Draft
        --llm_rewrite--> Draft --finalize--> Answer

A step reads only the fields of its input type and returns a new record (`dataclasses.replace`), so a step cannot
depend on something a later step sets, and a misspelt field is an error instead of a silent `None`. The pipeline
checks at construction that each step's declared output is the next step's declared input (`connect`).
"""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from typing import Any

from .types import AnswerKind, Citation


@dataclass(frozen=True)
class Ask:
    """The asker's turn as received: any question (checked by `prepare`), the conversation so far, an id."""

    question: Any
    history: Any = ()
    id: str | None = None

    @classmethod
    def of(cls, value: Ask | dict) -> Ask:
        """LangChain users pass {"question": …, "history": […]}; extra keys are not read."""
        if isinstance(value, Ask):
            return value
        if isinstance(value, dict):
            return cls(value.get("question"), value.get("history") or [], value.get("id"))
        return cls(value)


@dataclass(frozen=True)
class Prepared:
    """The question as the later steps read it: normalised, a follow-up resolved against the history."""

    question: str
    history: tuple[dict, ...]
    resolved: str
    id: str | None = None
    scope: frozenset[str] | None = None  # a short follow-up is answered within these clause ids
    subject: tuple[str, ...] = ()  # a follow-up's new subject (农村 after 充电桩): the answering clause must name it
    notes: tuple[str, ...] = ()
    llm_turn: Any = None  # the one LLM deadline of this answer (assistant.llm.Turn), None without an LLM


@dataclass(frozen=True)
class Routed(Prepared):
    route: Any = None  # assistant.router.Route


@dataclass(frozen=True)
class Draft(Routed):
    """An answer composed from clause text (or rewritten by the LLM and verified)."""

    answer: str = ""
    kind: AnswerKind = "answer"
    citations: tuple[Citation, ...] = ()
    warnings: tuple[str, ...] = ()
    calculation: dict[str, Any] | None = None
    llm_used: bool = False
    decision: str = ""  # which of answer.DECISIONS answered a policy question ("off_topic", "quote"…)


def carried(state: Prepared, record: type) -> dict[str, Any]:
    """The fields of `record` (an earlier record type) that `state` carries, by name."""
    return {f.name: getattr(state, f.name) for f in dataclasses.fields(record)}


def routed(state: Prepared, route: Any) -> Routed:
    return Routed(**carried(state, Prepared), route=route)


def draft(state: Routed, answer: str, kind: AnswerKind, citations=(), warnings=(), **extra) -> Draft:
    """The Draft of a routed question (the routed fields carried over; `extra` may set notes or calculation)."""
    base = carried(state, Routed)
    base.update(answer=answer, kind=kind, citations=tuple(citations), warnings=tuple(warnings))
    base.update({k: tuple(v) if k == "notes" else v for k, v in extra.items()})
    return Draft(**base)


def signature(fn) -> tuple[type, type]:
    """(input type, output type) a step declares: the annotation of its record parameter (the one after the
    assistant) and its return annotation."""
    hints = typing.get_type_hints(fn)
    params = fn.__code__.co_varnames[: fn.__code__.co_argcount]
    return hints[params[1]], hints["return"]


def connect(steps: list[tuple[str, Any]]) -> None:
    """Raise TypeError unless each step's output type is accepted by the next step's input type."""
    for (name_a, a), (name_b, b) in zip(steps, steps[1:]):
        out, inp = signature(a)[1], signature(b)[0]
        if not (isinstance(out, type) and isinstance(inp, type) and issubclass(out, inp)):
            raise TypeError(f"step {name_a!r} gives {out!r}, but step {name_b!r} takes {inp!r}")


__all__ = ["Ask", "Draft", "Prepared", "Routed", "carried", "connect", "draft", "routed", "signature"]
