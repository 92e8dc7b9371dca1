"""The `assistant` command: a thin layer that calls the library and renders its result.

Heavy modules are imported inside each command, so `assistant lookup` never imports torch.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent  # settings.PROJECT_ROOT, without importing pydantic


def _default_path(rel: str):
    return PROJECT_ROOT / rel


def _print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def cold_lookup(args) -> int | None:
    """`assistant lookup` from the lookup store (standard library only); None when the full way must run."""
    from .lookup_store import cold_lookup as from_store

    done = from_store(args.query, args.k, args.json)
    if done is None:
        return None
    code, out, err = done
    if out:
        print(out)
    if err:
        print(err, file=sys.stderr)
    return code


def cmd_lookup(args, settings) -> int:
    from . import lookup_store
    from .corpus import Corpus
    from .lookup import lookup, render_result

    try:
        key = lookup_store.fingerprint(settings.corpus_dir)  # before loading: what the store will be keyed by
    except OSError:
        key = None
    corpus = Corpus.load(settings.corpus_dir)
    lookup_store.save(settings.index_dir, settings.corpus_dir, corpus, key)  # the next lookup takes the short way
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


@contextlib.contextmanager
def _batch_files(args):
    """(input bytes, output text) of a --batch command: a file or stdin ("-"), a file (--out) or stdout; closed after."""
    src = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")
    try:
        out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    except BaseException:
        if src is not sys.stdin.buffer:
            src.close()
        raise
    try:
        yield src, out
    finally:
        if src is not sys.stdin.buffer:
            src.close()
        if out is not sys.stdout:
            out.close()


def cmd_match(args, settings) -> int:
    """Policy matching: a description (or --profile FILE.json, or --batch IN.jsonl) -> awards, gaps, questions, total."""
    import pathlib

    from .matching import match, match_profile, parse_date
    from .matching.render import render_match

    day = parse_date(args.date, settings.today)
    if args.batch:
        from .matching.batch import run_batch

        failures = 0
        with _batch_files(args) as (src, out):
            for record in run_batch(src, day):
                failures += "error" in record
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
        return 1 if failures else 0
    if args.profile:
        from pydantic import ValidationError

        from .matching import Profile
        from .matching.batch import profile_error

        try:
            profile = Profile.model_validate_json(pathlib.Path(args.profile).read_bytes())
        except ValidationError as exc:
            raise ValueError(profile_error(exc)) from None
        result = match_profile(profile, day)
    else:
        if not args.text or not args.text.strip():
            raise ValueError("请提供企业情况描述，例如：assistant match \"我们是物流企业，去年营收4800万，今年5200万\"")
        result = match(args.text, day)
    if args.json:
        _print_json(result.record())
    else:
        print(render_match(result))
    return 0


def answer_json(ans) -> dict:
    data = ans.model_dump(mode="json")
    data["citations"] = [{k: c[k] for k in ("doc_no", "doc_title", "clause", "heading", "quote")} for c in data["citations"]]
    return data


def _read_history(path: str | None) -> list[dict]:
    if not path:
        return []
    import pathlib

    raw = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, list) or not all(isinstance(t, dict) and "role" in t and "content" in t for t in raw):
        raise ValueError("--history 文件应为 JSON 列表：[{\"role\": \"user\", \"content\": \"…\"}, …]")
    return raw


def cmd_ask(args, settings) -> int:
    from .answer import Assistant

    assistant = Assistant(settings)
    if args.batch:
        return _ask_batch(assistant, args)
    if not args.question:
        raise ValueError("请提供问题，例如：assistant ask \"种粮大户补贴多少？\"")
    ans = assistant.ask(args.question, _read_history(args.history))
    if args.json:
        _print_json(answer_json(ans))
    else:
        print(ans.answer)
    return 0


def _ask_batch(assistant, args) -> int:
    """One process for many questions: JSONL in, JSONL out. Every input line gets a record: an answer, or an error
    sentence that keeps the line's id (and number); bytes that are not UTF-8 spoil their own line only."""
    failures = 0
    with _batch_files(args) as (src, out):
        for n, raw in enumerate(src, 1):
            if not raw.strip():
                continue
            record_id = None
            try:
                try:
                    line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
                except UnicodeDecodeError as exc:
                    with contextlib.suppress(ValueError, AttributeError):  # keep its id, if the rest of it says one
                        record_id = json.loads(raw.decode("utf-8", "replace")).get("id")
                    raise ValueError(f"第{n}行不是有效的 UTF-8 文本（第{exc.start + 1}个字节），已跳过。") from None
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"第{n}行不是有效的 JSON（{exc.msg}，第{exc.colno}列）。") from None
                if not isinstance(item, dict):
                    raise ValueError(f"第{n}行应为 JSON 对象：{{\"id\", \"question\", \"history\"}}。")
                record_id = item.get("id")
                if record_id is not None and not isinstance(record_id, (str, int)) or isinstance(record_id, bool):
                    raise ValueError(f"第{n}行的 id 应为字符串或整数。")
                question = item.get("question")
                if not isinstance(question, str):
                    raise ValueError(f"第{n}行缺少文字问题（question 应为字符串）。")
                history = item.get("history") or []
                if not isinstance(history, list):
                    raise ValueError(f"第{n}行的 history 应为列表：[{{\"role\": \"user\", \"content\": \"…\"}}, …]。")
                ans = assistant.ask(question, history, id=None if record_id is None else str(record_id))
                record = answer_json(ans)
                if record_id is not None:
                    record["id"] = record_id  # numbers stay numbers
            except Exception as exc:  # keep going: one bad line must not lose the rest
                from .errors import user_message

                failures += 1
                record = {"id": record_id, "line": n, "answer": "", "kind": "clarify", "citations": [],
                          "calculation": None, "warnings": [], "error": user_message(exc)}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
    return 1 if failures else 0


def cmd_index(args, settings) -> int:
    from .corpus import Corpus
    from .embeddings import make_embedder
    from .index import build_index

    corpus = Corpus.load(settings.corpus_dir)
    embedder = make_embedder(settings.embedding.model, settings.embedding.batch_size)
    warning = getattr(embedder, "warning", "")
    if warning:
        print(f"提示：{warning}", file=sys.stderr)
    bar = _progress_bar()
    info, stats = build_index(settings, corpus, embedder, force=args.force, progress=bar)
    bar.close()
    if args.json:
        _print_json({"index": info.model_dump(mode="json", exclude={"clause_ids"}), "stats": stats})
        return 0
    state = "索引未变化，无需重建" if stats["reused"] else f"已重建：新嵌入 {stats['embedded']} 条，复用缓存 {stats['cached']} 条"
    print(f"{state}（{stats['seconds']:.2f} 秒）")
    print(f"条款数：{info.count}  嵌入模型：{info.embedding_model}（{info.dimension} 维）  向量库：{info.chroma}")
    print(f"融合权重：词法 {info.fusion.w_lexical} / 语义 {info.fusion.w_dense}（{info.fusion.chosen_on}）")
    print(f"位置：{settings.index_dir / 'builds' / info.build_id}")
    for w in corpus.warnings:
        print(f"提示：{w}", file=sys.stderr)
    return 0


class _progress_bar:
    """tqdm on a terminal, silent otherwise."""

    def __init__(self) -> None:
        self._bars: dict = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        from tqdm import tqdm

        label = {"embed": "嵌入条款", "write": "写入向量库"}.get(stage, stage)
        bar = self._bars.setdefault(stage, tqdm(total=total, desc=label, unit="条", leave=False))
        bar.n = done
        bar.refresh()

    def close(self) -> None:
        for bar in self._bars.values():
            bar.close()


def cmd_eval(args, settings) -> int:
    import pathlib

    from . import report as rep
    from .evaluation import compare

    if args.compare:
        a, b = (json.loads(pathlib.Path(p).read_text(encoding="utf-8")) for p in args.compare)
        diff = compare(a, b)
        _print_json(diff) if args.json else print(rep.compare_text(diff))
        return 0
    from .answer import Assistant
    from .evaluation import evaluate, evaluate_answers, load_answers, load_golden
    from .search import make_retriever

    cases = load_golden(pathlib.Path(args.golden))
    if args.answers:  # answers produced elsewhere: scored with the same checks, nothing is asked
        result = evaluate_answers(Assistant(settings), cases, load_answers(pathlib.Path(args.answers)))
        return _report(args, result)
    llm_settings = settings if settings.llm.enabled else None
    settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"base_url": None})})
    assistant = Assistant(settings)  # the offline default is always scored; the LLM path as well when configured
    retrievers = None
    if not args.no_retrieval:
        dense, note = make_retriever(settings, assistant.corpus, need_dense=True)
        if note:
            print(f"提示：{note}", file=sys.stderr)
        retrievers = {"lexical": (dense, "lexical"), "dense": (dense, "dense"), "hybrid": (dense, "hybrid")}
        if args.tune_fusion:
            return _tune_fusion(settings, assistant, dense, cases)
    result = evaluate(assistant, cases, retrievers)
    if llm_settings is not None:
        llm_run = evaluate(Assistant(llm_settings), cases)
        result["llm_path"] = {"model": llm_settings.llm.model, "totals": llm_run["totals"],
                              "by_category": llm_run["by_category"],
                              "llm_answers_shown": sum(1 for c in llm_run["cases"] if "已改用原文摘录答案" not in c["answer"]
                                                       and c["kind"] != "refusal"),
                              "failing": [c["id"] for c in llm_run["cases"] if not c["passed"]]}
    return _report(args, result)


def _report(args, result: dict) -> int:
    import datetime as _dt
    import pathlib

    from . import report as rep
    from .evaluation import gate

    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = pathlib.Path(args.out)
    json_path = rep.write_json(result, out_dir / f"report-{stamp}.json")
    rep.write_json(result, out_dir / "latest.json")
    html_path = rep.write_html(result, out_dir / "latest.html")
    if args.json:
        t = result["totals"]
        summary = {k: t[k] for k in ("cases", "citation_accuracy", "fact_accuracy", "fact_accuracy_lenient",
                                     "calculator_exactness", "refusal_precision", "refusal_recall", "pass_rate",
                                     "pass_rate_lenient", "faithful_numbers", "real_citation_share",
                                     "latency_p50_ms", "latency_p95_ms")}
        summary["recall_at_3"] = t["recall_at_3"]
        summary["embedding_model"] = result["embedding_model"]
        if "llm_path" in result:
            summary["llm_path"] = {k: result["llm_path"]["totals"][k] for k in ("pass_rate", "citation_accuracy",
                                                                               "fact_accuracy", "faithful_numbers")}
        _print_json(summary)
    else:
        print(rep.table(result))
        if "llm_path" in result:
            lt = result["llm_path"]["totals"]
            print(f"LLM path ({result['llm_path']['model']}): pass {lt['pass_rate']}, citation {lt['citation_accuracy']}, "
                  f"facts {lt['fact_accuracy']}, numbers traced {lt['faithful_numbers']}, failing "
                  f"{len(result['llm_path']['failing'])}")
        print(f"报告：{json_path}  {html_path}")
    if args.baseline:
        failures = gate(result, json.loads(pathlib.Path(args.baseline).read_text(encoding="utf-8")))
        for f in failures:
            print(f"低于基线：{f}", file=sys.stderr)
        return 1 if failures else 0
    return 0


def _tune_fusion(settings, assistant, retriever, cases) -> int:
    """Choose the dense weight on the golden set: best recall@3 (then MRR), never below lexical alone."""
    from .evaluation import retrieval_case, retrieval_metrics, retrieval_rank
    from .followup import resolve_history
    from .index import Fusion, build_index

    qs = [(resolve_history(c.question, c.history) if c.history else c.question, c.expect)
          for c in cases if retrieval_case(c.expect, c.question)]
    rows = []
    for w in (0.0, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5):
        retriever.fusion = Fusion(w_lexical=1.0, w_dense=w)
        m = retrieval_metrics([retrieval_rank(retriever, "hybrid", q, e) for q, e in qs])
        rows.append((m["recall@3"], m["mrr"], -w, w, m))
        print(f"w_dense={w:<5} recall@1={m['recall@1']:.3f} recall@3={m['recall@3']:.3f} recall@5={m['recall@5']:.3f} mrr={m['mrr']:.3f}")
    best = max(rows)
    w = best[3]
    fusion = Fusion(w_lexical=1.0, w_dense=w, chosen_on=f"golden set, {len(qs)} clause questions: recall@3 "
                                                        f"{best[0]:.3f}, mrr {best[1]:.3f}")
    build_index(settings, assistant.corpus, retriever.embedder, fusion=fusion)
    print(f"选定 w_dense={w}，已写入索引（{fusion.chosen_on}）")
    return 0


def cmd_serve(args, settings) -> int:
    import os

    from ui import serve

    server = settings.server.model_copy(update={k: v for k, v in (("host", args.host), ("port", args.port)) if v})
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    serve(settings.model_copy(update={"server": server}), progress=_progress_bar())
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="政府公报政策问答助手：所收录的公报见 corpus/ 目录")
    sub = p.add_subparsers(dest="command", required=True)

    lk = sub.add_parser("lookup", help="按引用或关键词查条款，例如：assistant lookup \"N号文第二十条\"（N为文号的编号）")
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

    mt = sub.add_parser("match", help="政策匹配，例如：assistant match \"我们是物流企业，去年营收4800万，今年5200万\"")
    mt.add_argument("text", nargs="?", help="企业情况描述（中文）")
    mt.add_argument("--date", help="匹配日期 YYYY-MM-DD（默认今天或 ASSISTANT_TODAY）")
    mt.add_argument("--json", action="store_true")
    mt.add_argument("--profile", metavar="FILE.json", help="结构化企业情况（字段见 assistant/matching/profile.py）")
    mt.add_argument("--batch", metavar="IN.jsonl", help="批量匹配（每行 {\"id\", \"text\", \"date\"}；- 表示标准输入）")
    mt.add_argument("--out", metavar="OUT.jsonl", help="批量结果输出文件（默认标准输出）")
    mt.set_defaults(func=cmd_match)

    ask = sub.add_parser("ask", help="提问，例如：assistant ask \"种粮大户补贴多少？\"")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--history", help="对话历史 JSON 文件：[{\"role\": \"user\", \"content\": \"…\"}, …]")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--batch", metavar="IN.jsonl", help="批量提问（每行 {\"id\", \"question\", \"history\"}；- 表示标准输入）")
    ask.add_argument("--out", metavar="OUT.jsonl", help="批量结果输出文件（默认标准输出）")
    ask.set_defaults(func=cmd_ask)

    ix = sub.add_parser("index", help="建立或更新检索索引（未变化时不重复计算）")
    ix.add_argument("--force", action="store_true", help="即使语料未变化也重建（嵌入从缓存读取）")
    ix.add_argument("--json", action="store_true")
    ix.set_defaults(func=cmd_index)

    sv = sub.add_parser("serve", help="启动网页、OpenAI 兼容接口（/v1）和 MCP（/gradio_api/mcp/）；默认 http://127.0.0.1:7860；语义检索参与排序时，首次运行会先建立索引")
    sv.add_argument("--host", help="监听地址（默认 127.0.0.1）")
    sv.add_argument("--port", type=int, help="端口（默认 7860）")
    sv.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="运行评测集并输出报告")
    ev.add_argument("--golden", default=str(_default_path("evals/golden.jsonl")), help="评测集 JSONL")
    ev.add_argument("--json", action="store_true", help="以 JSON 输出总指标")
    ev.add_argument("--out", default=str(_default_path("evals/reports")), help="报告目录")
    ev.add_argument("--baseline", help="基线文件；任一指标低于基线则退出码为 1")
    ev.add_argument("--compare", nargs=2, metavar=("A.json", "B.json"), help="比较两份报告")
    ev.add_argument("--answers", metavar="A.jsonl",
                    help="给已有答案评分（ask --batch 的输出格式：id, answer, kind, citations, calculation），不再提问")
    ev.add_argument("--no-retrieval", action="store_true", help="跳过检索器评测（不加载嵌入模型）")
    ev.add_argument("--tune-fusion", action="store_true", help="在评测集上选择语义检索权重并写入索引")
    ev.set_defaults(func=cmd_eval)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.func is cmd_lookup and (code := cold_lookup(args)) is not None:
            return code
        from .settings import get_settings

        settings = get_settings()  # a bad ASSISTANT_* value is one sentence, like every other error
        return args.func(args, settings)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear sentence, never a traceback
        from .errors import user_message

        print(user_message(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
