"""The award rules: their schema here, their content in each gazette's data file (`corpus/NAME.rules.toml`).

A rule file declares one entry per quantified award or subsidy of its gazette. Every amount, rate, threshold and cap
is written as the exact text of the clause it comes from ("1500万元"), parsed here into a `Quote`;
`tests/test_calculator.py` proves each of them, and each category's evidence, stands in that clause. Validity dates
are the documents' own, read from the parsed gazette (a rule file may state them only for a document whose text
does not). The combination rule a rule is under ("就高不重复") is named per document in the file and defined once,
with its clause, in the gazette's knowledge file (`assistant/knowledge.py`).

`rules_for(corpus_dir)` reads the files of every gazette in a directory once per process (kept by the files' stamps)
and stores the validated book in the cache folder, so that a new process with the same files unpickles it (2 ms)
instead of reading TOML, parsing the gazette for the dates and validating (20 ms). `RULES` and `RULES_BY_ID` are those
of the configured corpus directory (ASSISTANT_CORPUS_DIR), read on first use, never on import.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import hashlib
import os
import pickle
from pathlib import Path
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..combination import Combination
from .quantities import Q, Quote

T = TypeVar("T")
Bound = Literal["exact", "maximum", "minimum"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InputSpec(Frozen):
    name: str
    label: str
    kind: Literal["money", "count", "percent", "choice", "bool"]
    unit: str = Field(default="", description="元 for money; 吨/亩/标箱/家 for counts; % for percent")
    choices: tuple[str, ...] = ()
    required: bool = True
    default: Any = None
    help: str = ""
    signed: bool = Field(default=False, description="a percent that may be negative (a growth rate); others are >= 0")
    positive: bool = Field(default=False, description="a value that, when given, must be above 0 (a divisor)")
    product_of: tuple[str, ...] = Field(default=(), description="two other inputs whose product this one is when "
                                        "it is not given (年保费 = 保额 × 费率)")

    def derivable(self, values: dict[str, Any]) -> bool:
        """Not given, but the product of two inputs that are (`product_of`)."""
        return len(self.product_of) == 2 and all(values.get(n) is not None for n in self.product_of)


class Award(Frozen):
    """One category of a fixed award. `amounts` has two entries only where the source itself is ambiguous."""

    label: str
    amounts: tuple[Quote, ...]
    bound: Bound = "exact"
    evidence: str = Field(default="", description="Verbatim text of the clause naming this category")
    aliases: tuple[str, ...] = ()

    @property
    def quote(self) -> str:
        return self.evidence or self.label


class Rule(Frozen):
    id: str
    title: str
    doc_no: str
    clause: str
    formula: str
    inputs: tuple[InputSpec, ...] = ()
    params: dict[str, Any] = {}
    awards: tuple[Award, ...] = ()
    bound: Bound = "exact"
    result_label: str = "补助/奖励金额"
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    keywords: tuple[str, ...] = ()
    conditions: tuple[str, ...] = Field(default=(), description="Conditions the calculator cannot check; stated")
    notes: tuple[str, ...] = ()
    combination: Combination | None = Field(default=None, description="The gazette's rule for combining this award "
                                                                      "with others, as the rule file attaches it")
    follows: str | None = Field(default=None, description="The rule whose award this one follows in later years "
                                                          "(\"从获奖次年开始\"): the two are paid in different years and add up")

    def input(self, name: str) -> InputSpec:
        return next(i for i in self.inputs if i.name == name)


class RuleBook:
    """The award rules of one or several gazettes, and what their files declare beside them."""

    def __init__(self, rules: tuple[Rule, ...], everyday_names: dict[str, tuple[tuple[str, ...], ...]], example: dict,
                 matching: tuple[tuple[str, dict], ...], names: tuple[str, ...]) -> None:
        self.rules = rules
        self.by_id = {r.id: r for r in rules}
        self.everyday_names = everyday_names  # a choice -> how people say it (each: words that must all appear)
        self.example = example  # {"rule_id", "inputs"}: a valid input of the calculator tool
        self.matching = matching  # (file name, its [matching] table) per file, read by assistant/matching/
        self.names = names  # 《gazette》issue, one per gazette with rules
        self._derived: dict[str, Any] = {}

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_derived": {}}  # what other modules derive is rebuilt, not stored

    def says_everyday(self, text: str, choice: str) -> bool:
        """The text names the choice in everyday words: all words of one of its `everyday_names` ("批发零售")."""
        return any(all(w in text for w in words) for words in self.everyday_names.get(choice, ()))

    def of_clause(self, doc_no: str | None, clause: str) -> tuple[Rule, ...]:
        """The rules a clause states (its document's number and its path, "三、（一）")."""
        return tuple(r for r in self.rules if r.doc_no == doc_no and r.clause == clause)

    def derived(self, name: str, build: Callable[[RuleBook], T]) -> T:
        """Data another module derives from these rules (the matcher's vocabulary), built once per book."""
        if name not in self._derived:
            self._derived[name] = build(self)
        return self._derived[name]


# ----------------------------------------------------------------------------------------------- reading the files


class RuleFileError(ValueError):
    """A rule file that cannot be used; the message is one sentence naming the file."""


def _quotes(value: Any) -> Any:
    """Every string of a rule's params is the text of a figure in its clause: parsed into a Quote; lists -> tuples."""
    if isinstance(value, str):
        return Q(value)
    if isinstance(value, dict):
        return {k: _quotes(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(_quotes(v) for v in value)
    return value


def _award(data: dict) -> dict:
    data = dict(data)
    if "amount" in data:
        amount = data.pop("amount")
        data["amounts"] = [amount] if isinstance(amount, str) else amount
    data["amounts"] = tuple(Q(a) for a in data.get("amounts", ()))
    return data


def _rule(data: dict, documents: dict, defaults: dict, combinations: dict) -> Rule:
    data = dict(data)
    try:
        data["awards"] = [_award(a) for a in data.get("awards", ())]
        data["params"] = _quotes(data.get("params", {}))
    except ValueError as exc:  # Q: not a quantity
        raise RuleFileError(f"规则“{data.get('id')}”中的“{exc.args[0].removeprefix('not a quantity: ')[1:-1]}”"
                            "不是可解析的数量（应照录条文，如“100万元”“5%”“200元/标箱”）") from exc
    category_label = data.pop("category_label", "类别")
    if data.get("formula") == "fixed_award" and not data.get("inputs"):  # the category is one of the awards
        data["inputs"] = [{"name": "category", "label": category_label, "kind": "choice",
                           "choices": [a["label"] for a in data["awards"]]}]
    doc = documents.get(data.get("doc_no"))
    if doc is None:
        raise RuleFileError(f"规则“{data.get('id')}”引用的文件{data.get('doc_no')}不在公报中")
    data.setdefault("valid_from", doc.effective_from)
    data.setdefault("valid_to", doc.effective_to)
    cite = data.pop("combination", defaults.get(data["doc_no"], {}).get("combination"))
    if cite is not None:
        if cite not in combinations:
            raise RuleFileError(f"规则“{data.get('id')}”的组合规则“{cite}”未在公报知识文件的 combinations 中声明")
        data["combination"] = combinations[cite]
    try:
        return Rule.model_validate(data)
    except ValidationError as exc:
        e = exc.errors()[0]
        where = ".".join(str(x) for x in e["loc"])
        raise RuleFileError(f"规则“{data.get('id')}”的 {where} 有误：{e['msg']}") from exc


def _everyday(table: dict) -> dict[str, tuple[tuple[str, ...], ...]]:
    """{"规上企业": ["规上", "规模以上"], "规上高新技术企业": [["规上", "高新"]]}: a word, or words that must all appear."""
    return {choice: tuple((w,) if isinstance(w, str) else tuple(w) for w in words) for choice, words in table.items()}


def read_rule_files(corpus_dir: Path) -> RuleBook:
    """The rules of every gazette in `corpus_dir` that has a rule file (none: an empty book). Raises RuleFileError
    naming the file when one cannot be used."""
    from ..knowledge import issue_name, load_knowledge, load_rule_data
    from ..parsing import load_corpus

    rules: list[Rule] = []
    everyday: dict[str, tuple[tuple[str, ...], ...]] = {}
    example: dict = {}
    matching: list[tuple[str, dict]] = []
    names: list[str] = []
    from .formulas import FORMULAS

    for gazette in load_corpus(corpus_dir):
        file = corpus_dir / gazette.source
        try:
            data = load_rule_data(file)
        except ValueError as exc:
            raise RuleFileError(str(exc)) from exc
        if not data:
            continue
        name = file.with_suffix(".rules.toml").name
        try:
            combinations = {f"{c.doc_no} {c.clause}": c for c in load_knowledge(file).combinations}
            documents = {d.doc_no: d for d in gazette.documents if d.doc_no}
            defaults = data.get("documents", {})
            for entry in data.get("rules", ()):
                rule = _rule(entry, documents, defaults, combinations)
                if rule.formula not in FORMULAS:
                    raise RuleFileError(f"规则“{rule.id}”的公式“{rule.formula}”不存在（可用：{'、'.join(FORMULAS)}）")
                if any(r.id == rule.id for r in rules):
                    raise RuleFileError(f"规则编号“{rule.id}”重复")
                rules.append(rule)
            for rule in rules:
                if rule.follows is not None and not any(r.id == rule.follows for r in rules):
                    raise RuleFileError(f"规则“{rule.id}”接续的规则“{rule.follows}”不存在")
            for choice, words in _everyday(data.get("everyday_names", {})).items():
                everyday[choice] = everyday.get(choice, ()) + words
        except (ValueError, TypeError, KeyError, AttributeError) as exc:  # RuleFileError is a ValueError
            raise RuleFileError(f"公报规则文件 {name} 有误：{str(exc).splitlines()[0]}") from exc
        example = example or data.get("example", {})
        if data.get("matching"):
            matching.append((name, data["matching"]))
        names.append(f"《{gazette.title}》{issue_name(gazette)}")
    return RuleBook(tuple(rules), everyday, example, tuple(matching), tuple(names))


def _stamp(corpus_dir: Path) -> tuple:
    """What the book depends on in the directory: each gazette file and the data files beside it, by size and
    modification time (a stat per file: asked on every use of the rules)."""
    out = []
    for md in sorted(corpus_dir.glob("*.md")):
        for p in (md, md.with_suffix(".toml"), md.with_suffix(".rules.toml")):
            try:
                st = p.stat()
                out.append((p.name, st.st_mtime_ns, st.st_size))
            except OSError:
                pass
    return tuple(out)


PACKAGE = Path(__file__).resolve().parent.parent
KEEP_BOOKS = 16  # the most recently built books kept in the cache folder


def fingerprint(corpus_dir: Path) -> str:
    """What a built book depends on, by name, size and modification time (as the gazette parse is cached): the
    gazette and data files of the directory, and the source of the package's top level (knowledge, parsing, types)
    and of the calculator (the schema, the figures' parser)."""
    h = hashlib.sha256(f"rule-book 1\0{corpus_dir}\0".encode())
    files = [f for md in sorted(corpus_dir.glob("*.md"))
             for f in (md, md.with_suffix(".toml"), md.with_suffix(".rules.toml"))]
    files += sorted(PACKAGE.glob("*.py")) + sorted((PACKAGE / "calculator").glob("*.py"))
    for path in files:
        try:
            st = path.stat()
        except FileNotFoundError:
            continue
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    return h.hexdigest()[:24]


def _cached(corpus_dir: Path) -> RuleBook:
    """The book from the cache folder (the user's own, as for the other caches) when it was built from these very
    files (2 ms instead of reading TOML, parsing the gazette for the dates and validating, 20 ms); built and stored
    otherwise. A cache that cannot be read or written is rebuilt or skipped, never an error."""
    from ..cachedir import default_cache_dir

    try:
        path = default_cache_dir().parent / "rules" / f"book-{fingerprint(corpus_dir)}.pickle"
    except OSError:
        return read_rule_files(corpus_dir)
    try:
        book = pickle.loads(path.read_bytes())
        if isinstance(book, RuleBook):
            return book
    except Exception:  # missing, damaged or written by other code: build it again
        pass
    book = read_rule_files(corpus_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(book, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        for old in sorted(path.parent.glob("book-*.pickle"), key=lambda p: p.stat().st_mtime)[:-KEEP_BOOKS]:
            old.unlink(missing_ok=True)  # books of files since edited, or of other directories
    except OSError:
        pass
    return book


@functools.lru_cache(maxsize=8)
def _book(corpus_dir: str, stamp: tuple) -> RuleBook:
    return _cached(Path(corpus_dir))


def rules_for(corpus_dir: Path) -> RuleBook:
    """The rule book of a corpus directory, read once per content of its files."""
    corpus_dir = Path(corpus_dir).resolve()
    return _book(str(corpus_dir), _stamp(corpus_dir))


_configured: dict[str | None, Path] = {}


def configured_corpus_dir() -> Path:
    """The corpus directory the settings name (resolved again only when ASSISTANT_CORPUS_DIR changes)."""
    key = os.environ.get("ASSISTANT_CORPUS_DIR")
    if key not in _configured:
        from ..settings import get_settings

        _configured[key] = get_settings().corpus_dir
    return _configured[key]


# The corpus an Assistant answers from, while it answers: its rules, whatever the environment names (an Assistant
# built in-process for another corpus directory calculates with that directory's rules).
_ACTIVE: contextvars.ContextVar[Path | None] = contextvars.ContextVar("assistant_rules_corpus_dir", default=None)


@contextlib.contextmanager
def rules_of(corpus_dir: Path | None):
    """Within the block, `default_book()` (and RULES) are the rules of `corpus_dir` (unchanged when None)."""
    token = _ACTIVE.set(Path(corpus_dir) if corpus_dir is not None else _ACTIVE.get())
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def default_book() -> RuleBook:
    """The rules of the corpus being answered from (`rules_of`), else of the configured corpus directory."""
    return rules_for(_ACTIVE.get() or configured_corpus_dir())


def __getattr__(name: str):
    """`RULES` and `RULES_BY_ID`: the configured corpus's rules, read when first asked for (not on import)."""
    if name == "RULES":
        return default_book().rules
    if name == "RULES_BY_ID":
        return default_book().by_id
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
