"""The one error family of newsflow: transient faults may pass on retry, terminal ones will not."""

from __future__ import annotations


class NewsflowError(Exception):
    """Base of every error newsflow raises on purpose."""


class TransientError(NewsflowError):
    """Retrying may help: a timeout, a 429 or 503 answer, a database another process holds."""


class TerminalError(NewsflowError):
    """Retrying cannot help: a missing path, invalid input, a 404."""


class SourceNotFoundError(TerminalError):
    """A source given on the command line or in config does not exist."""


class DatabaseBusyError(TransientError):
    """Another process holds the DuckDB file for writing longer than we were willing to wait."""


class DatabaseMissingError(TerminalError):
    """A read was asked of a database file that does not exist yet."""
