"""The answer pipeline's steps are typed: each declares the record it takes and the one it gives, and the pipeline
refuses steps that do not connect (issue 13, design 1)."""

from __future__ import annotations

import dataclasses

import pytest

from assistant.answer import BRANCHES, HEAD, TAIL, Answer, Pipeline
from assistant.turns import Ask, Draft, Prepared, Routed, connect, draft, signature

pytestmark = pytest.mark.unit


def test_each_step_declares_its_input_and_output_record():
    assert [signature(fn) for _, fn in HEAD] == [(Ask, Prepared), (Prepared, Routed)]
    assert {signature(fn) for _, fn, _ in BRANCHES} == {(Routed, Draft)}
    assert [signature(fn) for _, fn in TAIL] == [(Draft, Draft), (Draft, Answer)]


def _gives_a_prepared(assistant, state: Routed) -> Prepared:
    return state


def test_steps_that_do_not_connect_are_refused_when_the_pipeline_is_built(monkeypatch):
    connect([*HEAD, ("ok", BRANCHES[0][1]), *TAIL])  # the real steps connect
    with pytest.raises(TypeError, match="gives .*Prepared.* takes .*Draft"):
        connect([*HEAD, ("broken", _gives_a_prepared), *TAIL])
    import assistant.answer as answer

    monkeypatch.setattr(answer, "BRANCHES", (*BRANCHES[:-1], (lambda kind: True, _gives_a_prepared, "broken")))
    with pytest.raises(TypeError):
        Pipeline(assistant=None)


def test_records_are_frozen_and_a_misspelt_field_is_an_error():
    routed = Routed(question="q", history=(), resolved="q")
    with pytest.raises(dataclasses.FrozenInstanceError):
        routed.resolved = "x"
    with pytest.raises(TypeError):
        dataclasses.replace(routed, resovled="x")
    d = draft(routed, "答", "answer", notes=["注"], calculation={"amount_yuan": 1})
    assert (d.question, d.answer, d.notes, d.calculation, d.citations) == ("q", "答", ("注",), {"amount_yuan": 1}, ())


def test_langchain_users_may_pass_a_dict():
    assert Ask.of({"question": "绿色工厂", "history": None, "extra": 1}) == Ask("绿色工厂", [], None)
    assert Ask.of("绿色工厂") == Ask("绿色工厂")
