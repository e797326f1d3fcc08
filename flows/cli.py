"""The `newsflow` command line: run the ingest flow, query the tables, show what is stored."""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import duckdb
import typer
from rich.console import Console

from flows.heap import bound_heap
from flows.launch import collector_paused
from flows.local_server import prepare_environment
from flows.settings import DEFAULT_BATCH_SIZE, DEFAULT_EXTRACTOR, default_db
from schemas import EmptyQueryError, NewsflowError, QueryTimeoutError, RunSummary
from store import DEFAULT_WAIT_SECONDS, QueryResult, dead_runs, mark_dead_runs, reader

if TYPE_CHECKING:
    from rich.progress import Progress

    from flows.local_server import LocalServer
    from flows.progress import RunDisplay

# Prefect reads its settings when first imported: its home (the checkout's .prefect/ by default)
# and analytics off, whoever starts the command.
prepare_environment()
bound_heap()  # freed buffers of a few MB go back to the system, here and in the processes a run starts

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


def version_line() -> str:
    """newsflow's version and those of what it runs on, as installed (read from package metadata, fast)."""
    from importlib.metadata import PackageNotFoundError, version

    def of(package: str) -> str:
        try:
            return version(package)
        except PackageNotFoundError:
            return "not installed"

    python = ".".join(str(part) for part in sys.version_info[:3])
    return f"newsflow {of('newsflow')} (Python {python}, DuckDB {of('duckdb')}, Prefect {of('prefect')})"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """Options taken before any command (`newsflow --version`)."""


# `newsflow run` exits with this when inputs were seen and every one was rejected.
EXIT_ALL_REJECTED = 3

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


TemporaryServerOption = Annotated[
    bool,
    typer.Option(
        "--temporary-server",
        help=(
            "Run on a Prefect server started for this command only and stopped after it (seconds slower; "
            "leaves nothing running), instead of the local server commands share. Ignored when "
            "PREFECT_API_URL is set."
        ),
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary: no progress, no log lines.")]
VerboseOption = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Also print Prefect's log lines (INFO and up; by default WARNING and up)."),
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
    from flows.settings import check_dask_address

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


def _check_sources(
    given: list[str] | None,
    config: Path | None,
    *,
    url_lists: dict[str, str] | None = None,
    batch_size: int | None = None,
    max_bytes: int | None = None,
    allow_host: list[str] | None = None,
    follow_symlinks: bool = False,
) -> None:
    """Build every source the run reads, as the flow will: a bad setting, a bad option or a missing
    folder is one line naming it, and exit 2, before Prefect starts."""
    from flows.settings import allowed_hosts, build_source, run_sources
    from schemas.config import config_path, load_settings

    try:
        settings = load_settings(config)
        specs = run_sources(given or None, str(config) if config else None, url_lists)
        hosts = allowed_hosts(allow_host, str(config) if config else None)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    configured = not given and not url_lists and bool(settings.sources)
    for spec in specs:
        try:
            size = batch_size or settings.batch_size
            build_source(spec, size, max_bytes, hosts, settings.fetch, follow_symlinks=follow_symlinks)
        except NewsflowError as exc:
            if configured:
                raise _fail(f"source {spec.name!r} in {config_path(config)}: {exc}", 2) from exc
            hint = " (run from the newsflow checkout, or name a SOURCE)" if not given and not url_lists else ""
            raise _fail(f"{exc}{hint}", 2) from exc


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


def _prefect_logging(*, quiet: bool, verbose: bool) -> None:
    """Set the level of Prefect's console log lines before Prefect is imported: WARNING and up by
    default, INFO with -v, none but critical with -q. Flow and task runs still send every line to
    the Prefect server."""
    variable = "PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"
    if verbose:
        os.environ[variable] = "INFO"
    elif quiet:
        os.environ[variable] = "CRITICAL"
    else:
        os.environ.setdefault(variable, "WARNING")


def _connect_prefect(display: RunDisplay | None, quiet: bool, temporary: bool) -> LocalServer | None:
    """Point Prefect at its server before it is imported: PREFECT_API_URL's, else the local one
    under PREFECT_HOME, started in the background when none answers (see `newsflow server`), else
    with `temporary` none: Prefect then starts its temporary server for this process."""
    if os.environ.get("PREFECT_API_URL") or temporary:
        if display is not None and temporary:
            display.status("starting a temporary Prefect server…")
        return None
    from flows.local_server import open_server

    def announce(message: str) -> None:
        if display is not None:
            display.status(message + "…")
        elif not quiet:
            err.print(message, highlight=False)

    try:
        server = open_server(announce)
    except (NewsflowError, OSError) as exc:
        raise _fail(f"could not start a local Prefect server: {exc}") from exc
    os.environ["PREFECT_API_URL"] = server.url
    # open_server made sure the server runs the installed Prefect: the clients of this run (and
    # of its worker processes) need not ask it its version again, each on its own (two requests
    # and a TLS context, 0.05 s of each run).
    os.environ.setdefault("PREFECT_CLIENT_SERVER_VERSION_CHECK_ENABLED", "false")
    return server


def _run_flow(
    call: Callable[[], RunSummary],
    display: RunDisplay | Progress | None,
    *,
    quiet: bool,
    temporary: bool,
    load: Callable[[], object],
    cleanup: Callable[[], None] | None = None,
) -> tuple[RunSummary, LocalServer | None]:
    """Run a flow with its progress display: connect to Prefect, import the flow meanwhile (a server
    being started answers sooner than Prefect imports), then call it. Errors become one line and
    exit 1; the display and listeners go after."""
    from flows.progress import RunDisplay

    try:
        if display is not None:
            display.start()
        server = _connect_prefect(display if isinstance(display, RunDisplay) else None, quiet, temporary)
        with collector_paused():  # Prefect's imports, as the command's own (flows.launch)
            load()
        if server is not None:
            server.wait()
        if isinstance(display, RunDisplay):
            display.status("starting the flow…")
            display.adopt_logging()
        return call(), server
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    except Exception as exc:
        raise _fail(f"the run failed: {type(exc).__name__}: {exc}") from exc
    finally:
        if display is not None:
            display.stop()
        if cleanup is not None:
            cleanup()


def _wall_seconds() -> float:
    """Seconds since this command started, as the person who typed it waited.

    On Linux from the process's start in clock ticks since boot against the time since boot
    (/proc, to the hundredth of a second): psutil's start time adds the boot time, which Linux
    gives in whole seconds, and was up to a second off.
    """
    try:
        since_boot = float(Path("/proc/uptime").read_text().split()[0])
        # The fields after the command's name (which may hold spaces), from the third: starttime is the 22nd.
        fields = Path("/proc/self/stat").read_text().rpartition(")")[2].split()
        return max(0.0, since_boot - int(fields[19]) / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        import psutil

        started: float = psutil.Process().create_time()
        return max(0.0, time.time() - started)


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
        "    newsflow run -i urls.txt              # the article pages listed, one address a line\n\n"
        "    grep -h reuters.com links/*.txt | newsflow run -i -\n\n"
        "    newsflow run ~/news --extractor none  # articles and stories only; `newsflow extract` later\n\n"
        "    newsflow run ~/news --dask-address tcp://10.0.0.5:8786\n\n"
        "Files: .txt and other plain text, .html/.htm pages, .jsonl with one article object per line, "
        "each also gzip-compressed (.html.gz, .txt.gz, .jsonl.gz)."
    )
)
def run(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help=(
                "Files or folders of articles (folders are read recursively), or http(s) addresses of a feed, "
                "a sitemap or a page (recognised from what the server returns). "
                "Default (and without -i): the sources of the config file, else seeds/."
            ),
            show_default=False,
        ),
    ] = None,
    input_lists: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            "-i",
            metavar="FILE",
            help=(
                "A file listing article pages to fetch, one http(s) address a line (blank lines and lines "
                "opening with # skipped); `-` reads the list from standard input. Repeatable. Each page is "
                "fetched once: later runs fetch only addresses new to the list."
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
            help="Reject documents larger than this many bytes (gzip files: unpacked). Default: 5 MB for files, "
            "the config's fetch.max_bytes (5 MB) for fetched pages.",
            show_default=False,
        ),
    ] = None,
    batch_bytes: Annotated[
        int | None,
        typer.Option(
            "--batch-bytes",
            min=1,
            help="A batch also ends once its documents hold this many bytes, which bounds a run's memory. "
            "Default: $NEWSFLOW_BATCH_BYTES, else the config's batch_bytes, else 8388608 (8 MiB).",
            show_default=False,
        ),
    ] = None,
    parse_timeout: Annotated[
        float | None,
        typer.Option(
            "--parse-timeout",
            min=0,
            help="Seconds one document may take to parse; a longer one is stopped and rejected as timeout. "
            "0 parses without a budget. Default: $NEWSFLOW_PARSE_TIMEOUT, else the config's parse_timeout, else 30.",
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
    temporary_server: TemporaryServerOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
) -> None:
    """Ingest articles from files, folders, feeds, sitemaps, pages and lists of pages (-i) into DuckDB.

    Every input ends as a new article, a duplicate of a stored one, or a row in `rejects` with its
    reason. The events of each new story are then extracted from its canonical copy; an article
    the extractor fails on is counted and kept in `extractions` with its error.

    Prefect runs on the server PREFECT_API_URL names, else on a local one that the first run starts
    in the background and later runs reuse (`newsflow server stop` stops it).

    Exit codes: 0 the run completed; 1 the run failed; 2 a usage, config or environment error
    (nothing started); 3 inputs were seen and every one was rejected.
    """
    url_lists = _url_lists(input_lists or [])
    _check_allow_hosts(allow_host)
    _check_sources(
        sources,
        config,
        url_lists=url_lists,
        batch_size=batch_size,
        max_bytes=max_bytes,
        allow_host=allow_host,
        follow_symlinks=follow_symlinks,
    )
    database = _db(db, config)
    _check_workers(dask_address)
    _check_extractor(extractor, none_allowed=True)
    _export_lexicon(config)
    _prefect_logging(quiet=quiet, verbose=verbose)

    from flows.progress import RunDisplay

    display = RunDisplay(err, "starting…") if err.is_terminal and not quiet else None

    def call() -> RunSummary:
        from flows.ingest import run_ingest

        return run_ingest(
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
            url_lists=url_lists or None,
            batch_bytes=batch_bytes,
            parse_timeout=parse_timeout,
        )

    summary, server = _run_flow(
        call, display, quiet=quiet, temporary=temporary_server, load=lambda: __import__("flows.ingest")
    )
    _print_summary(summary, server)
    if summary.n_seen and summary.n_rejected == summary.n_seen:
        raise typer.Exit(EXIT_ALL_REJECTED)


def _url_lists(given: list[str]) -> dict[str, str]:
    """The lists of addresses of `run -i` by source name: the path of the file that holds each.

    A list is named by its file's `file://` address; standard input (`-`) is kept in a temporary
    file, removed when the command ends, and named `stdin`, so its cursor carries on from one piped run to the next.
    Fails with exit 2 on a list that cannot be read or lists no http(s) address.
    """
    if not given:
        return {}
    from flows.settings import STDIN_SOURCE
    from sources.web import read_url_list

    lists: dict[str, str] = {}
    for item in given:
        if item == "-":
            text = sys.stdin.read()
            shown = "standard input"
        else:
            path = Path(item).expanduser()
            try:
                text = path.read_bytes().decode("utf-8", "replace")
            except OSError as exc:
                raise _fail(f"-i {item}: {exc.strerror or exc}", 2) from exc
            shown = item
        if not any(line.lower().startswith(("http://", "https://")) for _, line in read_url_list(text)):
            raise _fail(f"-i {shown}: no http(s) address in it (one a line; lines opening with # are skipped)", 2)
        if item == "-":
            import tempfile

            with tempfile.NamedTemporaryFile("w", prefix="newsflow-stdin-", suffix=".txt", delete=False) as file:
                file.write(text)
            spooled = Path(file.name)
            atexit.register(spooled.unlink, missing_ok=True)
            lists[STDIN_SOURCE] = str(spooled)
        else:
            resolved = Path(item).expanduser().resolve()
            lists[resolved.as_uri()] = str(resolved)
    return lists


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
    _check_allow_hosts(allow_host)
    _check_sources(sources, config, allow_host=allow_host)
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


server_app = typer.Typer(
    name="server",
    help=(
        "The local Prefect server newsflow commands share when PREFECT_API_URL is unset: the first run "
        "starts it in the background under PREFECT_HOME, later runs reuse it, `newsflow server stop` stops it."
    ),
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(server_app)


@server_app.command("stop")
def server_stop() -> None:
    """Stop the local Prefect server of PREFECT_HOME, if one runs (its flow runs stay in its database)."""
    from flows.local_server import prefect_home, stop_server

    state = stop_server()
    if state is None:
        typer.echo(f"no local Prefect server is running for PREFECT_HOME={prefect_home()}")
        return
    typer.echo(f"stopped the local Prefect server at http://127.0.0.1:{state.port} (pid {state.pid})")


@server_app.command("status")
def server_status() -> None:
    """Say whether the local Prefect server of PREFECT_HOME runs, and where (exit 1 when it does not)."""
    from flows.local_server import answers, describe, prefect_home, read_state

    state = read_state()
    if state is None:
        typer.echo(f"no local Prefect server is running for PREFECT_HOME={prefect_home()}")
        raise typer.Exit(1)
    answering = answers(state, timeout=5.0)
    for key, value in {**describe(state), "answering": "yes" if answering else "no"}.items():
        typer.echo(f"{key}: {value}")
    if not answering:
        raise typer.Exit(1)


@server_app.command("start")
def server_start() -> None:
    """Start the local Prefect server of PREFECT_HOME now, or say where it already runs."""
    from flows.local_server import open_server

    try:
        server = open_server(lambda message: err.print(message + "…", highlight=False))
        server.wait()
    except (NewsflowError, OSError) as exc:
        raise _fail(f"could not start a local Prefect server: {exc}") from exc
    done = f"started in {server.seconds_starting:.2f} s" if server.started else "already running"
    typer.echo(f"local Prefect server at {server.url.removesuffix('/api')}: {done}")


def _print_summary(summary: RunSummary, server: LocalServer | None) -> None:
    wall = f"in {_wall_seconds():.2f} s"
    if server is not None and server.started:
        wall += f" ({server.seconds_starting:.2f} s of it starting the local Prefect server)"
    typer.echo(
        f"newsflow run {summary.status}: {summary.n_seen} seen, {summary.n_new} new, "
        f"{summary.n_duplicates} duplicates, {summary.n_rejected} rejected {wall}"
    )
    if summary.n_copies:
        typer.echo(f"  {summary.n_copies} of the new articles are copies that joined a known story")
    _print_events(summary)
    _print_turn_wait(summary)
    for reason, count in sorted(summary.rejects_by_reason.items()):
        typer.echo(f"  rejected {count}: {reason}")
    if summary.n_retry_later:
        typer.echo(f"  {summary.n_retry_later} failed for now and will be tried again next run")
    if summary.n_given_up:
        typer.echo(f"  {summary.n_given_up} given up: they failed in each of their source's max_attempts runs")
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


def print_result(result: QueryResult, fmt: str) -> None:
    """Show an in-memory result (a listing of newsflow's own) on standard output in `fmt`."""
    from flows.output import MAX_CELL, emit_result  # Arrow's Parquet writer and rich's tables: not for a run

    emit_result(result, fmt, max_cell=MAX_CELL)


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help=(
            "table, csv, json, parquet, markdown or line (each value on a line of its own, after its column's "
            "name). Default: what the --output file's name ends in (.csv, .json, .parquet, .md, .txt for a "
            "table), else table."
        ),
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="Write the result to this file (every row; replaced only once complete) instead of standard output.",
        show_default=False,
    ),
]


def _output_format(fmt: str | None, output: Path | None, database: Path | None) -> str:
    """The format to write in, once the destination is known to be writable; fails with exit 2."""
    from flows.output import OutputError, check_output, choose_format

    try:
        chosen = choose_format(fmt, output)
        if output is not None:
            check_output(output, database)
    except OutputError as exc:
        raise _fail(str(exc), 2) from exc
    if chosen == "parquet" and output is None and sys.stdout.isatty():
        raise _fail("Parquet is binary: write it to a file with --output FILE (or redirect standard output)", 2)
    return chosen


def _quiet_stdout() -> None:
    """Point standard output at /dev/null once its reader has gone (`| head`), so exiting writes nothing more."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _cursor_kind(cursor: Any) -> str | None:
    """The adapter that saved a cursor, where its shape says so (files and command-line addresses)."""
    if not isinstance(cursor, dict):
        return None
    if "files" in cursor:
        return "files"
    if {"kind", "state"} <= cursor.keys():
        return "url"
    return None


@app.command(
    "sources",
    epilog=(
        "Examples:\n\n"
        "    newsflow sources\n\n"
        "    newsflow sources --format json     # cursors as JSON objects\n\n"
        "A config file (newsflow.toml) declares sources as tables:\n\n"
        "    [[sources]]\n\n"
        '    name = "archive"\n\n'
        '    kind = "files"\n\n'
        '    path = "/data/articles"'
    ),
)
def sources_command(
    db: DbOption = None, config: ConfigOption = None, fmt: FormatOption = None, output: OutputOption = None
) -> None:
    """List the sources a run reads (the config file's, else seeds/) and every cursor the database holds.

    `source` is the name a cursor is kept under (a resolved folder, an address). Sources given on
    the command line, or no longer in the config, have a cursor but no name; they follow the
    configured ones. In json output the options and cursors are JSON objects.
    """
    from flows.settings import build_source, run_sources

    try:
        specs = run_sources(None, str(config) if config else None)
    except NewsflowError as exc:
        raise _fail(str(exc), 2) from exc
    database = _db(db, config)
    chosen = _output_format(fmt, output, database)
    cursors: dict[str, tuple[Any, Any]] = {}
    if database.exists():
        try:
            with reader(database, on_wait=_tell_wait) as con:
                rows = con.execute("select source, cursor, updated_at from source_state order by source").fetchall()
        except NewsflowError as exc:
            raise _fail(str(exc)) from exc
        cursors = {source: (cursor, updated) for source, cursor, updated in rows}
    listed: list[tuple[Any, ...]] = []
    for spec in specs:
        options = json.dumps(spec.options())
        try:  # the cursor is kept under the adapter's name: a resolved path, an address...
            key = build_source(spec, DEFAULT_BATCH_SIZE, None, []).name
        except NewsflowError as exc:
            listed.append((spec.name, spec.kind, f"error: {exc}", options, None, None))
            continue
        cursor, updated = cursors.pop(key, (None, None))
        listed.append((spec.name, spec.kind, key, options, cursor, updated))
    for key, (cursor, updated) in cursors.items():
        listed.append((None, _cursor_kind(json.loads(cursor) if cursor else None), key, None, cursor, updated))
    columns = ["name", "kind", "source", "options", "cursor", "updated_at"]
    types = ["VARCHAR", "VARCHAR", "VARCHAR", "JSON", "JSON", "TIMESTAMP WITH TIME ZONE"]
    if chosen == "table":  # for a reader: a cursor not saved yet says so
        listed = [(*row[:4], "never run" if row[4] is None else row[4], row[5]) for row in listed]
    from flows.output import OutputError, emit_result

    try:
        emit_result(
            QueryResult(columns, listed, types), chosen, output=output, max_cell=60, hint=" (--format line shows all)"
        )
    except OutputError as exc:
        raise _fail(str(exc)) from exc


@app.command(
    "query",
    epilog=(
        "Examples:\n\n"
        '    newsflow query "select title, published_at, outlet from articles"\n\n'
        '    newsflow query "select reason, count(*) from rejects group by all" --format csv\n\n'
        '    newsflow query "select * from runs order by started_at desc limit 3" --format json\n\n'
        '    newsflow query "select * from events" --output events.parquet\n\n'
        "    newsflow query --file questions/troops.sql --format markdown\n\n"
        "    echo 'select count(*) from articles' | newsflow query -\n\n"
        '    newsflow query "select value, qualifier, claimed_by, location, event_date from claims '
        "where counted = 'troops'\"\n\n"
        "A table shows the columns that fit the terminal and says which it leaves out, and the first and "
        "last 20 of more than 40 rows; the other formats and --output write every row, whole. "
        "The SQL reaches only the database: other files, the network, extensions and changes of settings "
        "are refused; --allow-files opens files."
    ),
)
def query_command(
    sql: Annotated[
        str | None,
        typer.Argument(help="The SQL to run (read-only); - reads it from standard input.", show_default=False),
    ] = None,
    db: DbOption = None,
    fmt: FormatOption = None,
    output: OutputOption = None,
    sql_file: Annotated[
        Path | None,
        typer.Option("--file", help="Read the SQL from this file (- for standard input).", show_default=False),
    ] = None,
    max_rows: Annotated[
        int | None,
        typer.Option(
            "--max-rows",
            min=0,
            help="Rows a table shows, the first and the last half; 0 for all. Default: 40, all with --output.",
            show_default=False,
        ),
    ] = None,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for a turn while runs write: a waiting query goes before a run's next batch.",
        ),
    ] = DEFAULT_WAIT_SECONDS,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            min=0,
            help="Stop the query after this many seconds (writing its rows included); 0 for no limit.",
        ),
    ] = QUERY_TIMEOUT_SECONDS,
    allow_files: Annotated[
        bool,
        typer.Option(
            "--allow-files",
            help="Let the SQL read and write files (COPY ... TO, read_csv, EXPORT DATABASE); "
            "extensions and the network stay off.",
        ),
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Do not shorten long values in a table (they wrap instead).")
    ] = False,
) -> None:
    """Run read-only SQL over the newsflow tables and show the rows, or write them to a file.

    Tables: articles, stories, extractions, events, event_figures, entities, runs, rejects,
    source_state, schema_version; views: claims, events_daily. The SQL reaches nothing but the
    database: no other file, no network, no extension, no change of these settings
    (--allow-files opens files). Files of --output are written by newsflow, not by the SQL.
    """
    from flows.output import MAX_CELL, MAX_ROWS, OutputError, emit_query

    text = _read_sql(sql, sql_file)
    database = _db(db)
    chosen = _output_format(fmt, output, database)
    shown = (MAX_ROWS if output is None else None) if max_rows is None else (max_rows or None)
    try:
        n_rows = emit_query(
            database,
            text,
            chosen,
            output=output,
            max_rows=shown,
            max_cell=None if full else MAX_CELL,
            wait=wait,
            timeout=timeout or None,
            allow_files=allow_files,
            on_wait=_tell_wait,
        )
    except BrokenPipeError:  # the reader stopped reading (`| head`): what it took is all it wanted
        _quiet_stdout()
        return
    except EmptyQueryError as exc:
        raise _fail(str(exc), 2) from exc
    except QueryTimeoutError as exc:
        raise _fail(f"{exc}: give it longer with --timeout SECONDS (0 for no limit)") from exc
    except (NewsflowError, OutputError) as exc:
        raise _fail(str(exc)) from exc
    except duckdb.PermissionException as exc:  # a file, the network or an extension the sandbox refuses
        where = "its database and files (--allow-files)" if allow_files else "its database (--allow-files opens files)"
        raise _fail(f"{str(exc).splitlines()[0]}: newsflow query reaches only {where}") from exc
    except Exception as exc:  # DuckDB's own errors: a typo in SQL, an unknown table, a write refused
        raise _fail(str(exc)) from exc
    if output is not None:
        typer.echo(f"wrote {n_rows:,} row{'s' if n_rows != 1 else ''} to {output} ({chosen})", err=True)


def _read_sql(sql: str | None, sql_file: Path | None) -> str:
    """The SQL as given: the argument, or the file --file names, or standard input for `-`; fails with exit 2."""
    if sql is not None and sql_file is not None:
        raise _fail("give the SQL as an argument or with --file, not both", 2)
    if sql is None and sql_file is None:
        raise _fail("no SQL given: write it as an argument, give - to read it from standard input, or --file PATH", 2)
    if sql is not None and sql != "-":
        return sql
    stdin = sql == "-" or str(sql_file) == "-"
    where = "standard input" if stdin else str(sql_file)
    try:
        data = sys.stdin.buffer.read() if stdin else Path(str(sql_file)).read_bytes()
    except OSError as exc:
        raise _fail(f"cannot read the SQL from {where}: {exc.strerror or exc}", 2) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _fail(f"the SQL in {where} is not UTF-8 text", 2) from exc


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
    temporary_server: TemporaryServerOption = False,
    quiet: QuietOption = False,
    verbose: VerboseOption = False,
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
    _prefect_logging(quiet=quiet, verbose=verbose)
    from flows.progress import add_events_listener, remove_events_listener
    from schemas import EventsResult

    day = since.date() if since is not None else None
    progress = None
    if err.is_terminal and not quiet:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
        )
        task_id = progress.add_task("coding", total=None)

    def count() -> None:
        from flows.events import pending_total

        total = pending_total(str(database), extractor, redo=redo_all, since=day, stories=story or None)
        if not quiet:
            err.print(f"{total} articles to code with {extractor}")
        if progress is not None:
            progress.update(task_id, total=total)

    def on_events(result: EventsResult) -> None:
        if progress is not None:
            progress.advance(task_id, result.n_articles)

    def call() -> RunSummary:
        from flows.events import run_extract

        return run_extract(
            db=str(database),
            extractor=extractor,
            since=day,
            stories=story or None,
            redo=redo_all,
            batch_size=batch_size,
            workers=workers,
            dask_address=dask_address,
            config=str(config) if config else None,
        )

    add_events_listener(on_events)
    summary, _ = _run_flow(
        call,
        progress,
        quiet=quiet,
        temporary=temporary_server,
        load=count,
        cleanup=lambda: remove_events_listener(on_events),
    )
    typer.echo(
        f"newsflow extract {summary.status}: {summary.n_extracted} articles coded, "
        f"{summary.n_extract_errors} failed, {summary.n_events} events in {summary.seconds:.2f} s"
    )
    _print_events(summary)
    _print_turn_wait(summary)
    typer.echo(f"database: {summary.database}")


@app.command(
    "report",
    epilog=(
        "Examples:\n\n"
        "    newsflow report                                   # report.html from data/newsflow.duckdb\n\n"
        "    newsflow report --since 2024-11-01 --out november.html\n\n"
        "    newsflow report --db /tmp/news.duckdb --out /tmp/news.html\n\n"
        "The page holds everything it shows: open it in a browser, offline, or send it on."
    ),
)
def report_command(
    db: DbOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("report.html"),
    since: Annotated[
        datetime | None,
        typer.Option(
            "--since",
            formats=["%Y-%m-%d"],
            help="Only what happened on or after this day (YYYY-MM-DD): events by their day, else their "
            "article's publication; stories by publication; rejects and runs by when they were recorded.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write one HTML page of charts of the database: stories and events per day, a map and the top
    places of events, events by type, killed and injured by claimant, the largest stories and their
    outlets, rejects by reason.

    The page is self-contained (no script, nothing loaded when it is viewed). It reads the database
    read-only and starts no flow.
    """
    from report import build_page
    from store import read_report

    try:
        data = read_report(_db(db), since=since.date() if since is not None else None, on_wait=_tell_wait)
    except NewsflowError as exc:
        raise _fail(str(exc)) from exc
    if out.is_dir():
        raise _fail(f"{out} is a folder: name the file to write, such as --out {out / 'report.html'}", 2)
    partial = out.with_name(f".{out.name}.partial")
    try:  # written beside, then moved: a browser showing the old page never reads half of the new one
        partial.write_text(build_page(data), "utf-8")
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise _fail(f"could not write {out}: {exc.strerror or exc}") from exc
    t = data.totals
    typer.echo(f"report: {out} ({t.stories} stories, {t.events} events, {t.rejects} rejects); open it in a browser")


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
                "count(*) filter (where status = 'partial') as partial, "
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
    description = cursor.description or []
    return QueryResult([d[0] for d in description], cursor.fetchall(), [str(d[1]) for d in description])


def main() -> None:
    """Entry point of the `newsflow` console script."""
    try:
        app()
    except SystemExit as exc:
        _end(exc.code)
    _end(0)


def _end(code: object) -> NoReturn:
    """End the command without Python's own finalisation.

    After a run, freeing the objects of the two thousand modules Prefect and the stages import
    takes about half a second of the wall time a user waits (measured by bench.startup). Nothing
    needs it: every write is committed and its file closed by then. What does matter happens
    here, in Python's own order: threads that are not daemons finish, the exit handlers run
    (Prefect sends its last logs and events to the server in them, and logging flushes), and the
    standard streams are flushed.
    """
    if isinstance(code, str):  # sys.exit("message"): Python prints it and exits 1
        sys.stderr.write(code + "\n")
        code = 1
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    os._exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
