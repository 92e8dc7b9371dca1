"""Split a new question set once, before anyone reads its failures: one third locked, two thirds development.

The split depends only on each case's id (sha256), so it is reproducible and not chosen by looking at the questions:
    python evals/split.py NEW.jsonl evals/colloquial/dev.jsonl evals/colloquial/locked.jsonl
Lines are appended, so several writers' files go into the same two parts.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path


def part(case_id: str) -> str:
    return "locked" if int(hashlib.sha256(case_id.encode("utf-8")).hexdigest(), 16) % 3 == 0 else "dev"


def main(src: str, dev: str, locked: str) -> None:
    counts = {"dev": 0, "locked": 0}
    with open(dev, "a", encoding="utf-8") as d, open(locked, "a", encoding="utf-8") as lk:
        for line in Path(src).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            which = part(str(json.loads(line)["id"]))
            (lk if which == "locked" else d).write(line.strip() + "\n")
            counts[which] += 1
    print(counts)


if __name__ == "__main__":
    main(*sys.argv[1:4])
