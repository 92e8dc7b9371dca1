"""Soak: 1,000 questions in one process; resident memory (target <= 1.5 GB) and its growth (target <= 10%)
between the first and the last hundred questions."""

from __future__ import annotations

import gc

from common import golden_questions, rss_mb, scratch_settings, table


def main(n: int = 1000) -> str:
    from assistant.answer import Assistant

    settings, _ = scratch_settings()
    bot = Assistant(settings)
    cases = golden_questions()
    marks = []
    for i in range(n):
        c = cases[i % len(cases)]
        bot.ask(c["question"], c["history"])
        if i in (99, n // 2, n - 1):
            gc.collect()
            marks.append((i + 1, rss_mb()))
    first, last = marks[0][1], marks[-1][1]
    growth = (last - first) / first * 100
    verdict = "PASS" if last <= 1536 and growth <= 10 else "MISS"
    return (table(f"soak: {n} questions, one process — {verdict}", ["after questions", "RSS MB"], [[a, b] for a, b in marks])
            + f"\ngrowth from question 100 to {n}: {growth:+.1f}% (target <= 10%); peak target <= 1536 MB")


if __name__ == "__main__":
    print(main())
