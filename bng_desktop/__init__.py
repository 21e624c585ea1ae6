"""BNG Desktop: quote Biodiversity Net Gain units from habitat banks."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bng-desktop")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"
