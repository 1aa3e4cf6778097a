"""briefing: turn a news article into a sourced, analysed HTML and PDF briefing."""

__version__ = "0.1.0"  # the one place it is set; pyproject.toml reads it
