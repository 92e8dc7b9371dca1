"""Policy Q&A assistant for the Jiaxing municipal government gazette (嘉兴市人民政府公报 2024年第04、05期)."""

__version__ = "0.1.0"
