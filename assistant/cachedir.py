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


def cached_json(path: Path, build):
    """The JSON value stored at `path`, else `build()` written there atomically (a reader sees the old file or the
    whole new one); a read-only or missing cache folder only means building again next time."""
    import json
    import tempfile

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(value, f, ensure_ascii=False)
        os.replace(tmp, path)
    except OSError:
        pass
    return value
