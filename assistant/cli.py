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


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="嘉兴市人民政府公报（2024年第04、05期）政策问答助手")
    sub = p.add_subparsers(dest="command", required=True)

    lk = sub.add_parser("lookup", help="按引用或关键词查条款，例如：assistant lookup 10号文第19条")
    lk.add_argument("query")
    lk.add_argument("--json", action="store_true")
    lk.add_argument("-k", type=int, default=5, help="关键词查询返回的条数")
    lk.set_defaults(func=cmd_lookup)
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
