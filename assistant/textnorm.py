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
    text = _WAN.sub(r"\1万", text)
    return _WS.sub(" ", text).strip()


# "3000w", "50W": the chat shorthand for 万 after a figure (not inside a Latin word: "5WiFi", "H5W1")
_WAN = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)\s*[wW](?![A-Za-z])")


def fold(text: str) -> str:
    """A matching key: normalized and with every space removed ("嘉政发〔2024〕10 号" -> "嘉政发〔2024〕10号")."""
    return re.sub(r"\s+", "", normalize_query(text))


# --------------------------------------------------------------------------------------------- figures

_CN_NUMERAL = "点零〇一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟廿卅"
_FIGURE_RUN = re.compile(rf"[0-9.{_CN_NUMERAL}万亿]+?(?:[多余](?=[万亿]))?[万亿]*(?![0-9.{_CN_NUMERAL}万亿])")
_ARABIC_ALREADY = re.compile(r"[0-9.]+(?:[多余]?[万亿]+)?")
_MONEY_AFTER = re.compile(r"\s*(?:元|块|个亿)")


def pieces_not_yuan(numeral: str, text: str, at: int) -> bool:
    """"东一块西一块", "分成两块": 一/两 before 块 (not 块钱) at `at` are pieces, not yuan."""
    return numeral in ("一", "两", "二") and text.startswith("块", at) and not text.startswith("块钱", at)


def arabic_figures(text: str) -> str:
    """Amounts written in Chinese numerals, or in Arabic digits with Chinese units inside, rewritten as Arabic digits
    before the big unit they were written with, for readers of Arabic figures: 三点五亿 -> 3.5亿, 两千五百万 -> 2500万,
    一万二 -> 1.2万, 2千万 -> 2000万, 3千5百万 -> 3500万, 两千多万 -> 2000多万, 五百元 -> 500元, 壹万贰仟元 -> 1.2万元.

    Only figures that are amounts are touched: with 万 or 亿, or before 元/块. Other numerals (统一, 十分, 第一,
    百分之三十, 二〇二四年) stay as they are, and so does whatever `numerals.parse_amount` refuses (两三万 is a range,
    千万 an adverb). Text that holds no such figure is returned unchanged, without importing cn2an."""
    if not re.search(f"[{_CN_NUMERAL}]|[0-9][万亿][0-9]", text):
        return text

    def rewrite(m: re.Match) -> str:
        run = m.group(0)
        if _ARABIC_ALREADY.fullmatch(run) or not ("万" in run or "亿" in run or _MONEY_AFTER.match(text, m.end())):
            return run
        if pieces_not_yuan(run, text, m.end()):
            return run
        from .numerals import SCALE, parse_amount  # cn2an: imported only for a figure that is an amount

        try:
            value, lower = parse_amount(run)
        except ValueError:
            return run
        unit = "亿" if run.endswith("亿") else "万" if run.endswith("万") else "亿" if "亿" in run else "万" if "万" in run else ""
        number = value / SCALE[unit]
        digits = str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")
        return digits + ("多" if lower and "多" in run else "余" if lower else "") + unit

    return _FIGURE_RUN.sub(rewrite, text)
