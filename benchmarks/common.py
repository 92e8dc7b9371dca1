"""Shared helpers: percentiles, resident memory, tables, the golden questions, a throwaway settings object."""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logging.getLogger("assistant").setLevel(logging.ERROR)  # rejected LLM replies are expected here, not news


def pct(values: list[float], p: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else float("nan")


def rss_mb(pid: int | None = None) -> float:
    with open(f"/proc/{pid or os.getpid()}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def table(title: str, header: list[str], rows: list[list]) -> str:
    cells = [header] + [[f"{c:.2f}" if isinstance(c, float) else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    out = [f"\n## {title}", "  ".join(h.ljust(w) for h, w in zip(cells[0], widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells[1:]]
    return "\n".join(out)


def golden_questions() -> list[dict]:
    return [json.loads(x) for x in (ROOT / "evals" / "golden.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


def scratch_settings(**env):
    from assistant.settings import get_settings

    d = Path(tempfile.mkdtemp(prefix="bench-"))
    base = {"ASSISTANT_INDEX_DIR": str(d / "index"), "ASSISTANT_DATA_DIR": str(d / "data"), "HF_HUB_OFFLINE": "1"}
    base.update(env)
    merged = dict(os.environ)
    merged.update(base)
    return get_settings(env=merged), d
