"""jtai-audit: audit children's case files against the JTAI domestic abuse findings."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("jtai-audit")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
