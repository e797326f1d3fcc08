"""Defaults shared by the flow, the command line and the bench; importing this loads no Prefect."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from schemas import DEFAULT_MAX_BYTES, TerminalError
from schemas.config import DEFAULT_BATCH_BYTES, DEFAULT_PARSE_TIMEOUT, FetchSettings, SourceSpec, load_settings
from sources import Source, create_source, source_class

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_DB",
    "DEFAULT_EXTRACTOR",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_PARSE_TIMEOUT",
    "DEFAULT_SOURCE",
    "STDIN_SOURCE",
    "allowed_hosts",
    "build_source",
    "check_dask_address",
    "default_db",
    "document_cap",
    "run_sources",
]

DEFAULT_DB = "data/newsflow.duckdb"
DEFAULT_SOURCE = "seeds"
STDIN_SOURCE = "stdin"
"""The name (the `source` column, the cursor's key) of the addresses `newsflow run -i -` reads from standard input."""
# A Prefect task run costs tens of milliseconds and each DuckDB commit a checkpoint: a thousand
# articles a batch keeps both small per article (measured in bench/).
DEFAULT_BATCH_SIZE = 1000
# The events extractor: a name in the entry-point group `newsflow.extractors`, or "none".
DEFAULT_EXTRACTOR = "rules"
NO_EXTRACTOR = "none"


def default_db(config: str | None = None) -> str:
    """The database path: `$NEWSFLOW_DB`, else the config file's `db`, else data/newsflow.duckdb."""
    if os.environ.get("NEWSFLOW_DB"):
        return os.environ["NEWSFLOW_DB"]
    return load_settings(config).db


def check_dask_address(address: str) -> None:
    """Raise TerminalError unless `address` names a Dask scheduler (`tcp://HOST:PORT` and the like)."""
    if not address.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        raise TerminalError(f"not a Dask scheduler address: {address!r} (expected tcp://HOST:PORT)")


def _spec_of(given: str) -> SourceSpec:
    """A SOURCE of the command line: an http(s) address is a `url` source (a feed, a sitemap or a page,
    recognised on its first run), anything else a file or folder."""
    if given.startswith(("http://", "https://")):
        return SourceSpec.model_validate({"name": given, "kind": "url", "url": given})
    return SourceSpec.model_validate({"name": given, "kind": "files", "path": given})


def allowed_hosts(extra: list[str] | None, config: str | None = None) -> list[str]:
    """Hosts exempt from the private-address check: the config's `fetch.allow_hosts` and `extra`."""
    return sorted({*load_settings(config).fetch.allow_hosts, *(extra or [])})


def build_source(
    spec: SourceSpec,
    batch_size: int,
    max_bytes: int | None,
    allow_hosts: list[str],
    fetch: FetchSettings | None = None,
    *,
    follow_symlinks: bool = False,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
) -> Source:
    """Build a configured source. The spec's name, and the run's page size and bytes, size cap
    (when given), allowed hosts, symlink rule and `[fetch]` limits, fill in what its options leave
    unsaid, where the adapter's config has those fields; a source's own `fetch` table overrides
    `[fetch]` key by key."""
    cls = source_class(spec.kind)
    fields = cls.config_model.model_fields if cls is not None else {}
    options = spec.options()
    run_wide: list[tuple[str, Any]] = [
        ("name", spec.name),
        ("page_size", batch_size),
        ("page_bytes", batch_bytes),
        ("allow_hosts", allow_hosts),
        ("follow_symlinks", follow_symlinks),
    ]
    if max_bytes is not None:
        run_wide.append(("max_bytes", max_bytes))
    own_fetch = options.get("fetch", {})
    if fetch is not None and "fetch" in fields and isinstance(own_fetch, dict):
        options["fetch"] = {**fetch.limits(), **own_fetch}
    defaults = {key: value for key, value in run_wide if key in fields}
    return create_source(spec.kind, {**defaults, **options})


def document_cap(spec: SourceSpec, max_bytes: int | None, fetch: FetchSettings) -> int:
    """The size over which the parse stage rejects a document of this source as `too_large`:
    `max_bytes` when the run gives it, else `fetch.max_bytes` for a source that fetches (the cap
    on what it fetches holds for the page it decodes to as well), else 5 MB."""
    if max_bytes is not None:
        return max_bytes
    cls = source_class(spec.kind)
    fetches = cls is not None and "fetch" in cls.config_model.model_fields
    return fetch.max_bytes if fetches else DEFAULT_MAX_BYTES


def url_list_spec(name: str, path: str) -> SourceSpec:
    """A list of article addresses in a file (`newsflow run -i FILE`): a `web` source of its `url_file`."""
    return SourceSpec.model_validate({"name": name, "kind": "web", "url_file": path})


def run_sources(
    paths: list[str] | None, config: str | None = None, url_lists: Mapping[str, str] | None = None
) -> list[SourceSpec]:
    """What a run reads: the files, folders, addresses and lists of addresses (by name, the file that
    holds each) given, else the configured sources, else seeds/."""
    if paths or url_lists:
        lists = [url_list_spec(name, path) for name, path in (url_lists or {}).items()]
        return [*(_spec_of(path) for path in paths or []), *lists]
    configured = load_settings(config).sources
    return configured or [SourceSpec.model_validate({"name": DEFAULT_SOURCE, "kind": "files", "path": DEFAULT_SOURCE})]
