"""The `assistant` command: a thin layer that calls the library and renders its result.

Heavy modules are imported inside each command, so `assistant lookup` never imports torch.
"""

from __future__ import annotations

import argparse
import json
import sys

from .settings import get_settings


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cmd_lookup(args, settings) -> int:
    from .corpus import Corpus
    from .lookup import lookup, render_result

    corpus = Corpus.load(settings.corpus_dir)
    result = lookup(corpus, args.query, settings.today, k=args.k, max_chars=settings.max_question_chars)
    if args.json:
        data = result.model_dump(mode="json", exclude={"kind"})
        for m in data["matches"]:
            m.pop("score", None)
        data["kind"] = result.kind
        _print_json(data)
    else:
        print(render_result(result))
    return 0 if result.matches else 1


def cmd_calc(args, settings) -> int:
    from .calculator import calculate
    from .calculator.render import render_calculation, render_rule_list

    if args.list or not args.rule:
        if args.json:
            from .calculator import RULES

            _print_json([{"rule_id": r.id, "title": r.title, "citation": {"doc_no": r.doc_no, "clause": r.clause},
                          "inputs": [i.model_dump() for i in r.inputs]} for r in RULES])
        else:
            print(render_rule_list())
        return 0
    inputs = {}
    for item in args.set or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"--set 需要 key=value 的形式，收到“{item}”。")
        inputs[key.strip()] = value
    calc = calculate(args.rule, inputs, settings.today)
    if args.json:
        _print_json(calc.model_dump(mode="json"))
    else:
        print(render_calculation(calc))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="嘉兴市人民政府公报（2024年第04、05期）政策问答助手")
    sub = p.add_subparsers(dest="command", required=True)

    lk = sub.add_parser("lookup", help="按引用或关键词查条款，例如：assistant lookup 10号文第19条")
    lk.add_argument("query")
    lk.add_argument("--json", action="store_true")
    lk.add_argument("-k", type=int, default=5, help="关键词查询返回的条数")
    lk.set_defaults(func=cmd_lookup)

    calc = sub.add_parser("calc", help="奖补计算器，例如：assistant calc 10-19-smart-upgrade --set investment=3000万 --set tier=A")
    calc.add_argument("rule", nargs="?", help="规则 id（见 --list）")
    calc.add_argument("--list", action="store_true", help="列出全部规则及其输入项")
    calc.add_argument("--set", action="append", metavar="KEY=VALUE", help="输入项，可重复")
    calc.add_argument("--json", action="store_true")
    calc.set_defaults(func=cmd_calc)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    try:
        return args.func(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear sentence, never a traceback
        from .errors import user_message

        print(user_message(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
