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


class NotADatabaseError(TerminalError):
    """The database path names a folder, a file DuckDB cannot open, or a DuckDB file without newsflow's tables."""


class EmptyQueryError(TerminalError):
    """The SQL of a query holds no statement: it is empty, blank or only comments."""


class QueryRefusedError(TerminalError):
    """The SQL of a query asks for what no query may do, such as installing or loading an extension."""


class QueryTimeoutError(TerminalError):
    """A query ran longer than its time limit and was stopped."""
