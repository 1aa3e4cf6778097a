from importlib.metadata import version as _v, PackageNotFoundError
try:
    __version__ = _v("briefing")
except PackageNotFoundError:  # pragma: no cover
    __version__ = "0.0.0"
