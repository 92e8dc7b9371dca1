"""Policy Q&A assistant for the Jiaxing municipal government gazette (嘉兴市人民政府公报 2024年第04、05期)."""

__version__ = "0.1.0"


def ask(question: str, history: list[dict] | None = None, settings=None):
    """Answer one question (Python API). Returns the same `Answer` record as `assistant ask --json`.

    The assistant for the given settings (default: from the environment) is created on the first call and reused.
    """
    from .answer import Assistant
    from .settings import get_settings

    settings = settings or get_settings()
    key = settings.model_dump_json()
    if _cache.get("key") != key:
        _cache.update(key=key, assistant=Assistant(settings))
    return _cache["assistant"].ask(question, history or [])


_cache: dict = {}
