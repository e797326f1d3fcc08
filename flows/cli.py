"""The `newsflow` command line: run the ingest flow, query the tables, show what is stored."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_EXTRACTOR, default_db
from schemas import EmptyQueryError, NewsflowError, QueryTimeoutError, RunSummary
from store import DEFAULT_WAIT_SECONDS, QueryResult, dead_runs, mark_dead_runs, query, reader

if TYPE_CHECKING:
    from rich.progress import Progress

# Prefect reads its settings when first imported; there is no network to send analytics to.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

app = typer.Typer(
    name="newsflow",
    help=(
        "newsflow: ingest news articles into DuckDB with a Prefect flow, then ask the tables "
        "your own questions in SQL.\n\n"
        "Start with `newsflow run` (ingests seeds/ into data/newsflow.duckdb), then "
        '`newsflow query "select title, published_at, outlet from articles"`.'
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
err = Console(stderr=True)

# A query holds the database file and no run can write meanwhile: five minutes leaves room for
# long questions and frees the file from a runaway one (a cross join typed by mistake).
QUERY_TIMEOUT_SECONDS = 300.0

DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="DuckDB file. Default: $NEWSFLOW_DB, else `db` of the config file, else data/newsflow.duckdb.",
        show_default=False,
    ),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config", help="Config file. Default: $NEWSFLOW_CONFIG, else ./newsflow.toml if there.", show_default=False
    ),
]
AllowHostOption = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-host",
        help=(
            "A host that may resolve to a private or loopback address: HOST on every port, HOST:PORT "
            "([IPv6]:PORT) on that port only (repeatable; adds to fetch.allow_hosts)."
        ),
        show_default=False,
    ),
]


WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers",
        min=1,
        help=(
            "Worker processes for parsing and extraction. Default: the machine's cores, started once a run has "
            "1,000 documents and articles to hand out; 1 runs everything in this process."
        ),
        show_default=False,
    ),
]
DaskOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="Run parsing and extraction on an existing Dask cluster (tcp://HOST:PORT) instead of local processes.",
        show_default=False,
    ),
]


def _check_workers(dask_address: str | None) -> None:
    if dask_address is None:
        return
    from flows.workers import check_dask_address

    try:
        check_dask_address(dask_address)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc


def _check_allow_hosts(hosts: list[str] | None) -> None:
    """Fail with exit 2 on an --allow-host that is not HOST, HOST:PORT or [IPv6]:PORT."""
    from schemas.config import host_exemption

    for host in hosts or []:
        try:
            host_exemption(host)
        except ValueError as exc:
            raise _fail(f"--allow-host {exc}", 2) from exc


def _check_extractor(name: str, *, none_allowed: bool) -> None:
    """Fail with exit 2 unless `name` is a registered extractor (or `none`, where that is allowed)."""
    from extractors.events import available_extractors
    from flows.settings import NO_EXTRACTOR

    known = sorted([*available_extractors(), *([NO_EXTRACTOR] if none_allowed else [])])
    if name not in known:
        raise _fail(f"no extractor named {name!r} (known: {', '.join(known) or 'none'})", 2)


def _export_lexicon(config: Path | None) -> None:
    """Check the user's own trigger lexicon, if the settings name one, and pass its absolute path on.

    Extractors are built without arguments, here and again in every worker process: the variable
    `NEWSFLOW_EVENTS__LEXICON` is how they all get the file (workers inherit it). Checking it here
    makes a missing or invalid file one line, before any flow starts. Fails with exit 2.
    """
    from schemas.config import load_settings

    try:
        given = load_settings(config).events.lexicon
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    if not given:
        return
    from extractors.events.types import LEXICON_ENV, load_lexicon

    path = Path(given).expanduser().resolve()
    try:
        load_lexicon(path)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    os.environ[LEXICON_ENV] = str(path)


def _run_flow(call: Callable[[], RunSummary], progress: Progress | None, cleanup: Callable[[], None]) -> RunSummary:
    """Run a flow with its progress display: errors become one line and exit 1; listeners go after."""
    try:
        if progress is not None:
            progress.start()
        return call()
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    except Exception as exc:
        raise _fail(f"the run failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if progress is not None:
            progress.stop()
        cleanup()


def _db(path: Path | None, config: Path | None = None) -> Path:
    try:
        return path or Path(default_db(str(config) if config else None))
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc


def _tell_wait(message: str) -> None:
    """Say on stderr what a reader waits for (a run's batch, another program)."""
    typer.echo(message, err=True)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


@app.command(
    epilog=(
        "Examples:\n\n"
        "    newsflow run                          # the seed articles in seeds/\n\n"
        "    newsflow run ~/news/2024-11 extra.jsonl --db /tmp/news.duckdb\n\n"
        "    NEWSFLOW_DB=/tmp/news.duckdb newsflow run page.html\n\n"
        "    newsflow run https://example.org/sitemap.xml\n\n"
        "    newsflow run http://127.0.0.1:8000/feed.xml --allow-host 127.0.0.1:8000\n\n"
        "    newsflow run ~/news --extractor none  # articles and stories only; `newsflow extract` later\n\n"
        "    newsflow run ~/news --dask-address tcp://10.0.0.5:8786\n\n"
        "Files: .txt and other plain text, .html/.htm pages, .jsonl with one article object per line."
    )
)
def run(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help=(
                "Files or folders of articles (folders are read recursively), or http(s) addresses of a feed, "
                "a sitemap or a page (recognised from what the server returns). "
                "Default: the sources of the config file, else seeds/."
            ),
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            min=1,
            help="Inputs per batch and per transaction. Default: $NEWSFLOW_BATCH_SIZE, else the config's "
            "batch_size, else 1000.",
            show_default=False,
        ),
    ] = None,
    max_bytes: Annotated[
        int | None,
        typer.Option(
            "--max-bytes",
            min=1,
            help="Reject documents larger than this many bytes. Default: 5 MB for files, the config's "
            "fetch.max_bytes (5 MB) for fetched pages.",
            show_default=False,
        ),
    ] = None,
    extractor: Annotated[
        str,
        typer.Option(
            "--extractor",
            help="Events extractor: a name from the entry-point group newsflow.extractors, or `none` to skip events.",
        ),
    ] = DEFAULT_EXTRACTOR,
    config: ConfigOption = None,
    allow_host: AllowHostOption = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
    follow_symlinks: Annotated[
        bool,
        typer.Option(
            "--follow-symlinks",
            help=(
                "Read what symbolic links in a folder lead to outside it (files, and folders recursively). "
                "Default: such a link is rejected as outside_source."
            ),
        ),
    ] = False,
) -> None:
    """Ingest articles from files, folders, feeds, sitemaps and pages into DuckDB and print a summary.

    Every input ends as a new article, a duplicate of a stored one, or a row in `rejects` with its
    reason. The events of each new story are then extracted from its canonical copy; an article
    the extractor fails on is counted and kept in `extractions` with its error. Exits with 1 when
    the run failed.
    """
    from flows.settings import run_sources

    try:
        specs = run_sources(sources or None, str(config) if config else None)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    missing = [str(s.options()["path"]) for s in specs if s.kind == "files" and not Path(s.options()["path"]).exists()]
    if missing:
        hint = " (run from the newsflow checkout, or name a SOURCE)" if not sources else ""
        raise _fail(f"no such file or folder: {', '.join(missing)}{hint}", 2)
    database = _db(db, config)
    _check_allow_hosts(allow_host)
    _check_workers(dask_address)
    _check_extractor(extractor, none_allowed=True)
    _export_lexicon(config)

    from flows.ingest import run_ingest
    from flows.progress import add_events_listener, add_listener, remove_events_listener, remove_listener
    from schemas import AppendResult, EventsResult

    counts = {"seen": 0, "new": 0, "duplicates": 0, "rejected": 0, "coded": 0, "events": 0}
    progress = None
    if err.is_terminal:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err)
        task_id = progress.add_task("starting Prefect…")

    def show() -> None:
        if progress is not None:
            progress.update(
                task_id,
                description=(
                    f"{counts['seen']} seen · {counts['new']} new · "
                    f"{counts['duplicates']} duplicates · {counts['rejected']} rejected · "
                    f"{counts['coded']} coded · {counts['events']} events"
                ),
            )

    def on_batch(n_inputs: int, result: AppendResult) -> None:
        counts["seen"] += n_inputs
        counts["new"] += result.n_new
        counts["duplicates"] += result.n_duplicates
        counts["rejected"] += result.n_rejected
        show()

    def on_events(result: EventsResult) -> None:
        counts["coded"] += result.n_articles
        counts["events"] += result.n_events
        show()

    def stop_listening() -> None:
        remove_listener(on_batch)
        remove_events_listener(on_events)

    add_listener(on_batch)
    add_events_listener(on_events)
    summary = _run_flow(
        lambda: run_ingest(
            sources=sources or None,
            allow_hosts=allow_host or None,
            db=str(database),
            batch_size=batch_size,
            max_bytes=max_bytes,
            extractor=extractor,
            config=str(config) if config else None,
            workers=workers,
            dask_address=dask_address,
            follow_symlinks=follow_symlinks,
        ),
        progress,
        stop_listening,
    )
    _print_summary(summary)


@app.command(
    "serve",
    epilog=(
        "Examples:\n\n"
        "    newsflow serve                     # the config's sources and [schedule], else every 15 minutes\n\n"
        "    newsflow serve --interval 300      # every five minutes\n\n"
        '    newsflow serve --cron "0 * * * *"  # on the hour\n\n'
        "    newsflow serve https://example.org/feed.xml --interval 600\n\n"
        "Stop it with Ctrl-C. Each run is a Prefect flow run of the deployment ingest/newsflow-ingest."
    ),
)
def serve(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files, folders or addresses, as for `newsflow run`. Default: the config's sources, else seeds/.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    interval: Annotated[
        int | None, typer.Option("--interval", min=1, help="Seconds between runs.", show_default=False)
    ] = None,
    cron: Annotated[
        str | None, typer.Option("--cron", help="A cron line instead of an interval.", show_default=False)
    ] = None,
    extractor: Annotated[
        str, typer.Option("--extractor", help="Events extractor, or `none` to skip events.")
    ] = DEFAULT_EXTRACTOR,
    allow_host: AllowHostOption = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
) -> None:
    """Run the ingest flow on a schedule in this process until stopped.

    Each scheduled run reads the sources from where the last one stopped (see `newsflow sources`).
    The schedule is --interval or --cron, else the config file's [schedule], else every 15 minutes.
    Scheduling needs a Prefect server: the one PREFECT_API_URL names, else one started here on
    127.0.0.1 for as long as this command runs (its output goes to $PREFECT_HOME/server.log).
    """
    from flows.serve import DEFAULT_INTERVAL_SECONDS, serve_ingest
    from flows.settings import run_sources
    from schemas.config import config_path, load_settings

    if interval is not None and cron is not None:
        raise _fail("give --interval or --cron, not both", 2)
    config_file = config_path(config)
    try:
        settings = load_settings(config)
        specs = run_sources(sources or None, str(config_file) if config_file else None)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    _export_lexicon(config)
    if interval is None and cron is None:
        cron = settings.schedule.cron
        interval = settings.schedule.interval_seconds
        if cron is None and interval is None:
            interval = DEFAULT_INTERVAL_SECONDS
    if cron is not None:
        from prefect.client.schemas.schedules import CronSchedule
        from pydantic import ValidationError

        try:
            CronSchedule(cron=cron)
        except ValidationError as exc:
            raise _fail(f"not a cron line: {cron!r}", 2) from exc
    # Flow runs start in child processes: every path they get is absolute.
    given = [s if s.startswith(("http://", "https://")) else str(Path(s).resolve()) for s in sources or []]
    if not given and config_file is None:
        given = [str(Path(s.options()["path"]).resolve()) for s in specs]
    parameters: dict[str, Any] = {"db": str(_db(db, config).resolve()), "extractor": extractor}
    if given:
        parameters["sources"] = given
    if config_file is not None:
        parameters["config"] = str(config_file.resolve())
    if allow_host:
        _check_allow_hosts(allow_host)
        parameters["allow_hosts"] = allow_host
    _check_workers(dask_address)
    if workers is not None:
        parameters["workers"] = workers
    if dask_address is not None:
        parameters["dask_address"] = dask_address
    when = f"cron {cron!r}" if cron is not None else f"every {interval} s"
    err.print(f"serving {len(specs)} source(s) {when} into {parameters['db']}")
    try:
        serve_ingest(parameters, interval=None if cron is not None else interval, cron=cron, announce=err.print)
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc


def _print_summary(summary: RunSummary) -> None:
    typer.echo(
        f"newsflow run {summary.status}: {summary.n_seen} seen, {summary.n_new} new, "
        f"{summary.n_duplicates} duplicates, {summary.n_rejected} rejected in {summary.seconds:.2f} s"
    )
    if summary.n_copies:
        typer.echo(f"  {summary.n_copies} of the new articles are copies that joined a known story")
    _print_events(summary)
    _print_turn_wait(summary)
    for reason, count in sorted(summary.rejects_by_reason.items()):
        typer.echo(f"  rejected {count}: {reason}")
    typer.echo(f"database: {summary.database}")


def _print_turn_wait(summary: RunSummary) -> None:
    if summary.seconds_turn_wait >= 0.1:  # queries took turns with the run, or another run wrote
        typer.echo(f"  waited {summary.seconds_turn_wait:.1f} s for queries and other runs to let go of the database")


def _print_events(summary: RunSummary) -> None:
    if summary.extractor is None:
        typer.echo("  no events extracted (--extractor none)")
        return
    if summary.n_extracted or summary.n_extract_errors:
        typer.echo(
            f"  {summary.n_events} events from {summary.n_extracted} articles coded by {summary.extractor} "
            f"(workers: {summary.workers})"
        )
    if summary.n_extract_errors:
        typer.echo(
            f"  extraction failed on {summary.n_extract_errors} articles: "
            "select article_id, error from extractions where status = 'error'"
        )


def _cell(value: Any, limit: int | None) -> str:
    if value is None:
        return "NULL"
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def _jsonable(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def print_result(result: QueryResult, fmt: str, *, max_width: int | None = 80) -> None:
    """Write a query result to stdout as a table, CSV or JSON."""
    if fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(result.columns)
        writer.writerows([["" if v is None else _cell(v, None) for v in row] for row in result.rows])
    elif fmt == "json":
        records = [dict(zip(result.columns, (_jsonable(v) for v in row), strict=True)) for row in result.rows]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console(width=None if sys.stdout.isatty() else 10_000)
        # Text, not str: a value is shown as stored, never read as markup ("[bold]") or an emoji (":x:").
        table = Table(show_lines=False)
        for column in result.columns:
            table.add_column(Text(column))
        for row in result.rows:
            table.add_row(*(Text(_cell(v, max_width)) for v in row))
        console.print(table, highlight=False)
        typer.echo(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}")


@app.command(
    "sources",
    epilog=(
        "A config file (newsflow.toml) declares sources as tables:\n\n"
        "    [[sources]]\n\n"
        '    name = "archive"\n\n'
        '    kind = "files"\n\n'
        '    path = "/data/articles"'
    ),
)
def sources_command(db: DbOption = None, config: ConfigOption = None) -> None:
    """List the sources a run reads (the config file's, else seeds/) with their cursors."""
    from flows.settings import build_source, run_sources

    try:
        specs = run_sources(None, str(config) if config else None)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    database = _db(db, config)
    cursors: dict[str, tuple[Any, Any]] = {}
    if database.exists():
        try:
            with reader(database, on_wait=_tell_wait) as con:
                rows = con.execute("select source, cursor, updated_at from source_state").fetchall()
        except NewsflowError as exc:
            raise _fail(str(exc)) from exc
        cursors = {source: (cursor, updated) for source, cursor, updated in rows}
    listed = []
    for spec in specs:
        options = spec.options()
        try:  # the cursor is kept under the adapter's name: a resolved path, an address...
            key = build_source(spec, DEFAULT_BATCH_SIZE, None, []).name
        except NewsflowError as exc:
            listed.append((spec.name, spec.kind, json.dumps(options), f"error: {exc}", None))
            continue
        cursor, updated = cursors.get(key, (None, None))
        listed.append((spec.name, spec.kind, json.dumps(options), cursor or "never run", updated))
    print_result(QueryResult(["name", "kind", "options", "cursor", "updated_at"], listed), "table", max_width=60)


@app.command(
    "query",
    epilog=(
        "Examples:\n\n"
        '    newsflow query "select title, published_at, outlet from articles"\n\n'
        '    newsflow query "select reason, count(*) from rejects group by all" --format csv\n\n'
        '    newsflow query "select * from runs order by started_at desc limit 3" --format json\n\n'
        '    newsflow query "select value, qualifier, claimed_by, location, event_date from claims '
        "where counted = 'troops'\"\n\n"
        "    newsflow query \"copy (select * from events) to 'events.parquet'\" --allow-files\n\n"
        "The SQL reaches only the database: other files, the network, extensions and changes of settings "
        "are refused; --allow-files opens files."
    ),
)
def query_command(
    sql: Annotated[str, typer.Argument(help="The SQL to run (read-only).")],
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")] = "table",
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for a turn while runs write: a waiting query goes before a run's next batch.",
        ),
    ] = DEFAULT_WAIT_SECONDS,
    timeout: Annotated[
        float, typer.Option("--timeout", min=0, help="Stop the query after this many seconds; 0 for no limit.")
    ] = QUERY_TIMEOUT_SECONDS,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the SQL read and write files (COPY ... TO, read_csv, EXPORT DATABASE); "
            "extensions and the network stay off.",
        ),
    ] = False,
    full: Annotated[bool, typer.Option("--full", help="Do not shorten long values in table format.")] = False,
) -> None:
    """Run read-only SQL over the newsflow tables and print the rows.

    Tables: articles, stories, extractions, events, event_figures, entities, runs, rejects,
    source_state, schema_version; views: claims, events_daily. The SQL reaches nothing but the
    database: no other file, no network, no extension, no change of these settings
    (--allow-files opens files).
    """
    if fmt not in {"table", "csv", "json"}:
        raise _fail(f"--format must be table, csv or json, not {fmt!r}", 2)
    try:
        result = query(_db(db), sql, wait=wait, timeout=timeout or None, allow_files=allow_files, on_wait=_tell_wait)
    except EmptyQueryError as exc:
        raise _fail(str(exc), 2) from exc
    except QueryTimeoutError as exc:
        raise _fail(f"{exc}: give it longer with --timeout SECONDS (0 for no limit)") from exc
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    except duckdb.PermissionException as exc:  # a file, the network or an extension the sandbox refuses
        where = "its database and files (--allow-files)" if allow_files else "its database (--allow-files opens files)"
        raise _fail(f"{str(exc).splitlines()[0]}: newsflow query reaches only {where}") from exc
    except Exception as exc:  # DuckDB's own errors: a typo in SQL, an unknown table, a write refused
        raise _fail(str(exc)) from exc
    print_result(result, fmt, max_width=None if full else 80)


@app.command(
    "extract",
    epilog=(
        "Examples:\n\n"
        "    newsflow extract                          # what the current rules have not coded yet\n\n"
        "    newsflow extract --all                    # code every story again\n\n"
        "    newsflow extract --since 2024-11-01       # articles published from 1 November on\n\n"
        "    newsflow extract --story 33970dfd0e07518e --story 04589f2dde58349c\n\n"
        "    newsflow extract --extractor mycoder --dask-address tcp://10.0.0.5:8786\n\n"
        "Compare what an extractor codes by name: "
        "select extractor, count(*) from events group by all."
    ),
)
def extract_command(
    db: DbOption = None,
    config: ConfigOption = None,
    extractor: Annotated[
        str, typer.Option("--extractor", help="Events extractor: a name in the entry-point group newsflow.extractors.")
    ] = DEFAULT_EXTRACTOR,
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            help="Only articles published on or after this day (YYYY-MM-DD; undated ones: stored on or after it).",
            show_default=False,
        ),
    ] = None,
    story: Annotated[
        list[str] | None,
        typer.Option("--story", help="Only the canonical copy of this story (repeatable).", show_default=False),
    ] = None,
    redo_all: Annotated[
        bool, typer.Option("--all", help="Code every selected article again, even those this version has coded.")
    ] = False,
    batch_size: Annotated[
        int | None,
        typer.Option(
            "--batch-size",
            min=1,
            help="Articles per transaction. Default: $NEWSFLOW_BATCH_SIZE, else the config's batch_size, else 1000.",
            show_default=False,
        ),
    ] = None,
    workers: WorkersOption = None,
    dask_address: DaskOption = None,
) -> None:
    """Extract the events of stored articles: each story's canonical copy that the extractor's current
    version has not coded, or every one with --all.

    Use it after `newsflow run --extractor none`, after a newer version of an extractor is
    installed, or to plug in your own. A version's events replace the same extractor's older
    events of that article in one transaction; an article the extractor fails on is kept in
    `extractions` with status `error`. Exits with 1 when the run failed.
    """
    _check_extractor(extractor, none_allowed=False)
    _export_lexicon(config)
    database = _db(db, config)
    _check_workers(dask_address)
    if not database.exists():
        raise _fail(f"no database at {database}: run `newsflow run` first, or pass --db", 2)
    from flows.events import pending_total, run_extract
    from flows.progress import add_events_listener, remove_events_listener
    from schemas import EventsResult

    day = since.date() if since is not None else None
    try:
        total = pending_total(str(database), extractor, redo=redo_all, since=day, stories=story or None)
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    err.print(f"{total} articles to code with {extractor}")
    progress = None
    if err.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        )
        task_id = progress.add_task("coding", total=total)

    def on_events(result: EventsResult) -> None:
        if progress is not None:
            progress.advance(task_id, result.n_articles)

    add_events_listener(on_events)
    summary = _run_flow(
        lambda: run_extract(
            db=str(database),
            extractor=extractor,
            since=day,
            stories=story or None,
            redo=redo_all,
            batch_size=batch_size,
            workers=workers,
            dask_address=dask_address,
            config=str(config) if config else None,
        ),
        progress,
        lambda: remove_events_listener(on_events),
    )
    typer.echo(
        f"newsflow extract {summary.status}: {summary.n_extracted} articles coded, "
        f"{summary.n_extract_errors} failed, {summary.n_events} events in {summary.seconds:.2f} s"
    )
    _print_events(summary)
    _print_turn_wait(summary)
    typer.echo(f"database: {summary.database}")


@app.command(epilog="Example:\n\n    newsflow stats --db /tmp/news.duckdb")
def stats(
    db: DbOption = None,
    runs: Annotated[int, typer.Option("--runs", min=1, help="How many recent runs to list.")] = 5,
) -> None:
    """Show the rows in each table, the latest runs, and rejects by reason.

    A run whose process is no longer running (killed, out of memory, its machine gone) is marked
    `interrupted`; if a run is writing at that moment, it is shown as `interrupted?` and the next
    run records it.
    """
    database = _db(db)
    try:
        with reader(database, on_wait=_tell_wait) as con:
            names = [
                row[0]
                for row in con.execute(
                    "select table_name from information_schema.tables where table_schema = 'main' order by 1"
                ).fetchall()
            ]
            counts = [(name, _fetch(con, f'select count(*) from "{name}"').rows[0][0]) for name in names]
            recent = _fetch(
                con,
                (
                    "select run_id, flow, status, started_at, finished_at, n_seen, n_new, n_duplicates, n_rejected, "
                    "n_extracted, n_extract_errors, n_events "
                    f"from runs order by started_at desc limit {int(runs)}"
                ),
            )
            reasons = _fetch(con, "select reason, count(*) as n from rejects group by reason order by n desc")
            coded = _fetch(
                con,
                "select extractor, count(*) filter (where status = 'ok') as ok, "
                "count(*) filter (where status = 'error') as errors, sum(n_events) as events "
                "from extractions group by all order by 1",
            )
            dead = [run.run_id for run in dead_runs(con)]
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    marked = _mark_dead(database) if dead else []
    recent = _show_interrupted(recent, marked, [run_id for run_id in dead if run_id not in marked])
    typer.echo(f"database: {database}")
    print_result(QueryResult(["table", "rows"], counts), "table")
    typer.echo("latest runs:")
    print_result(recent, "table")
    if marked:
        typer.echo(f"marked {len(marked)} run(s) interrupted: their process is no longer running")
    if len(marked) < len(dead):
        typer.echo(
            f"{len(dead) - len(marked)} run(s) shown as 'interrupted?' are no longer running, but the database was "
            "busy; the next run or stats records them as interrupted"
        )
    if reasons.rows:
        typer.echo("rejects by reason:")
        print_result(reasons, "table")
    if coded.rows:
        typer.echo("articles coded by extractor:")
        print_result(coded, "table")


# Seconds `stats` waits for the write lock to record runs found dead; a run writing meanwhile
# is left to record them itself when it next starts.
STATS_MARK_WAIT = 2.0


def _mark_dead(database: Path) -> list[str]:
    """Record the runs found dead as `interrupted` when the file can be written now; else mark none."""
    try:
        return mark_dead_runs(database, wait=STATS_MARK_WAIT)
    except (NewsflowError, duckdb.Error):  # busy, or a file this user may read but not write
        return []


def _show_interrupted(recent: QueryResult, marked: list[str], unrecorded: list[str]) -> QueryResult:
    """The latest runs with the status of runs just found dead: `interrupted`, or `interrupted?` when
    that could not be recorded yet."""
    if "status" not in recent.columns:
        return recent
    at = recent.columns.index("status")
    shown = {**dict.fromkeys(marked, "interrupted"), **dict.fromkeys(unrecorded, "interrupted?")}
    rows = [(*row[:at], shown.get(row[0], row[at]), *row[at + 1 :]) for row in recent.rows]
    return QueryResult(recent.columns, rows)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> QueryResult:
    cursor = con.execute(sql)
    return QueryResult([d[0] for d in cursor.description or []], cursor.fetchall())


def main() -> None:
    """Entry point of the `newsflow` console script."""
    app()


if __name__ == "__main__":
    main()
