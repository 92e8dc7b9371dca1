"""Text normalisation shared by the parser, the citation grammar, retrieval and the calculator.

`normalize_query` folds what users type (traditional characters, full-width digits, zero-width and control
characters) into one form; it is used for matching only, never for quoting. (Print artefacts in the corpus are
repaired by blocks.clean_spaces, which keeps the text otherwise verbatim.)
"""

from __future__ import annotations

import functools
import re
import unicodedata

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_WS = re.compile(r"\s+")

@functools.lru_cache(maxsize=1)
def _t2s():
    import opencc  # small, pure data; loaded on first use only

    return opencc.OpenCC("t2s")


def strip_controls(text: str) -> str:
    """Drop zero-width and control characters (keeping newlines and tabs as spaces)."""
    text = _ZERO_WIDTH.sub("", text)
    return "".join(" " if ch in "\n\r\t" else ch for ch in text if ch in "\n\r\t" or unicodedata.category(ch)[0] != "C")


def to_simplified(text: str) -> str:
    """Traditional -> simplified (補貼 -> 补贴, 嘉政發 -> 嘉政发)."""
    return _t2s().convert(text) if text else text


# emoji and pictographs (😀 👍 ☺ ✨ and their joiners/variation selectors): tone, not content
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0E\uFE0F\u200D\u20E3]")


def normalize_query(text: str) -> str:
    """Fold user input for matching: controls and emoji removed, simplified script, NFKC (full-width digits and
    brackets become ASCII), whitespace collapsed."""
    text = strip_controls(text)
    text = _EMOJI.sub(" ", text)
    text = to_simplified(text)
    text = unicodedata.normalize("NFKC", text)
    return _WS.sub(" ", text).strip()


def fold(text: str) -> str:
    """A matching key: normalized and with every space removed ("嘉政发〔2024〕10 号" -> "嘉政发〔2024〕10号")."""
    return re.sub(r"\s+", "", normalize_query(text))
