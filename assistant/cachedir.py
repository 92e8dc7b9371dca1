"""Where derived data is cached (word vectors, tokens, jieba's dictionary store): importable without numpy."""

from __future__ import annotations

import os
from pathlib import Path


def default_cache_dir() -> Path:
    """ASSISTANT_CACHE_DIR, else $XDG_CACHE_HOME or ~/.cache, /jiaxing-gazette-assistant; the semantic data's folder
    inside it (the other caches sit beside it, in its parent)."""
    base = os.environ.get("ASSISTANT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "jiaxing-gazette-assistant")
    return Path(base) / "semantic"
