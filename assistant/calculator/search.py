"""Find an award rule by the words people use: "技改", "种粮", "投资", "绿色工厂", "出口保险".

Every rule already carries those words — its title, keywords, the categories and aliases of its awards, the
labels of its inputs, the clause it cites — so the search reads only the rule table (no word list of its own).
"""

from __future__ import annotations

import re

from .rules import Rule, default_book


def _words(rule: Rule) -> list[str]:
    """The rule's own words, most specific first: keywords, award categories and aliases, title, input labels."""
    words = [*rule.keywords]
    for a in rule.awards:
        words += [a.label, *a.aliases]
    words += [rule.title, *(i.label for i in rule.inputs), *(c for i in rule.inputs for c in i.choices)]
    return [w for w in words if w]


def _haystack(rule: Rule) -> str:
    return " ".join([*_words(rule), *(a.evidence for a in rule.awards), *rule.conditions, rule.doc_no, rule.clause,
                     *rule.notes])


def _normal(text: str) -> str:
    return re.sub(r"[\s，。、？?！!：:；;“”\"'（）()]+", " ", text or "").strip().lower()


def score(rule: Rule, query: str) -> int:
    """How well a rule fits a query: whole words of the rule found in the query count most (技改 in
    "技改投入3000万"), then the query found in the rule's text, then shared two-character pieces (种粮补贴 ~ 种粮)."""
    q = _normal(query)
    if not q:
        return 0
    hay = _haystack(rule).lower()
    total = sum(3 * len(w) for w in {w.lower() for w in _words(rule)} if (len(w) >= 2 or not w.isascii()) and w in q)
    for part in q.split():
        if part in hay:
            total += 2 * len(part)
        pairs = {part[i:i + 2] for i in range(len(part) - 1)}
        total += sum(1 for p in pairs if p in hay)
    return total


def search_rules(query: str, rules: tuple[Rule, ...] | None = None) -> list[Rule]:
    """Rules that fit the query, best first (table order on ties); every rule for an empty query. `rules`: those of the
    configured corpus unless given."""
    rules = default_book().rules if rules is None else rules
    if not _normal(query):
        return list(rules)
    scored = [(score(r, query), i, r) for i, r in enumerate(rules)]
    return [r for s, _, r in sorted(scored, key=lambda t: (-t[0], t[1])) if s > 0]
