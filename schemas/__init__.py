"""Models that cross stage boundaries, the error family, and the DuckDB schema."""

from schemas.ddl import Migration, migrations
from schemas.errors import (
    DatabaseBusyError,
    DatabaseMissingError,
    NewsflowError,
    SourceNotFoundError,
    TerminalError,
    TransientError,
)
from schemas.models import (
    DEFAULT_MAX_BYTES,
    AppendResult,
    Article,
    Batch,
    DocumentKind,
    ParsedArticle,
    ParseResult,
    Precision,
    RawDocument,
    Reject,
    RejectReason,
    RunSummary,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "AppendResult",
    "Article",
    "Batch",
    "DatabaseBusyError",
    "DatabaseMissingError",
    "DocumentKind",
    "Migration",
    "NewsflowError",
    "ParseResult",
    "ParsedArticle",
    "Precision",
    "RawDocument",
    "Reject",
    "RejectReason",
    "RunSummary",
    "SourceNotFoundError",
    "TerminalError",
    "TransientError",
    "migrations",
]
