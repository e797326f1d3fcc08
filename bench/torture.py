"""The torture bench (`python -m bench.torture`, `make torture`): malformed inputs and runs killed
with SIGKILL, each through the real `newsflow run` in a subprocess, checked row by row in DuckDB.

1. Malformed inputs (`bench/torture_corpus.py`), one run per category (or one run of them all):
   the run must not fail, and every input must end as an article, a duplicate or a reject at its
   own address; an input with no row is lost, one with more rows than inputs is accounted twice.
2. The kill loop: a clean corpus is ingested once to completion; then, trial after trial, a run
   of it into a fresh database is killed with SIGKILL at a random moment (four times in five while
   the clean run was committing batches, else anywhere from its start) and run again to the end.
   Its rows must be the clean run's rows: none lost, none doubled, the same stories, events and
   cursor, and the killed run marked `interrupted`.

Peak memory is sampled from /proc for the run's whole process tree (every 0.1 s) and read from the
kernel for its largest process (`ru_maxrss` at exit). Linux only.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

import duckdb

from bench.corpus import write_corpus
from bench.torture_corpus import (
    CATEGORY_NAMES,
    DESCRIPTIONS,
    FULL,
    QUICK,
    Input,
    Sizes,
    TortureCorpus,
    article_bytes,
    record_line,
    remove_corpus,
    write_torture_corpus,
)
from flows.cli import EXIT_ALL_REJECTED

NEWSFLOW = Path(sys.executable).with_name("newsflow")
DEFAULT_INPUTS = 2000
DEFAULT_TRIALS = 100
DEFAULT_SEED = 20241102
QUICK_INPUTS = 400
QUICK_TRIALS = 5
KILL_ARTICLES = 2000
QUICK_KILL_ARTICLES = 300
KILL_BATCH_SIZE = 100
RUN_TIMEOUT = 600.0
"""Seconds a run may take before the bench kills it and counts it failed (`--run-timeout`)."""
FAULT_REASONS = frozenset({"parse_error", "fingerprint_error", "store_error", "source_error"})
"""Rejects that say newsflow or a library raised: accounted for, but each one is a fault to report."""
SAMPLE_SECONDS = 0.1
_PAGE = os.sysconf("SC_PAGE_SIZE")
_MIB = 2**20
_SHOWN = 8  # lost or doubled inputs listed per run


# -- running `newsflow` and watching its memory ------------------------------------------------


@dataclass
class Observed:
    """One `newsflow` process as the bench saw it.

    Attributes:
        returncode: its exit status (negative: the signal that ended it).
        seconds: wall time from start to exit.
        peak_tree: bytes, the largest sum of resident memory over its process tree (sampled).
        peak_process: bytes, the kernel's peak resident memory of its largest process (its
            own or a child's it waited for).
        killed: the bench killed it on purpose (`kill_after`).
        timed_out: the bench killed it for running past the timeout.
        log: the file holding what it printed.
    """

    returncode: int
    seconds: float
    peak_tree: int
    peak_process: int
    killed: bool = False
    timed_out: bool = False
    log: Path | None = None
    started_at: datetime | None = None

    def tail(self, lines: int = 3) -> str:
        """The last lines it printed."""
        if self.log is None or not self.log.exists():
            return ""
        text = self.log.read_text("utf-8", errors="replace").strip().splitlines()
        return " / ".join(text[-lines:])


def _children() -> dict[int, list[int]]:
    """Every process's children, by parent pid, from /proc."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(name))
    return children


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants now."""
    children = _children()
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def resident_bytes(pid: int) -> int:
    """The resident memory of process `pid` now (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def run_newsflow(
    args: Sequence[str],
    *,
    env: dict[str, str],
    cwd: Path,
    log: Path,
    timeout: float,
    wrapper: Sequence[str] = (),
    kill_after: float | None = None,
) -> Observed:
    """Run `newsflow ARGS` as a user types it, sampling its memory, and wait for it to end.

    With `kill_after`, the whole process tree is killed with SIGKILL that many seconds after the
    start (if it still runs); past `timeout` it is killed the same way and marked timed out.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    started_at = datetime.now()  # local time, as Prefect's log lines show it
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*wrapper, str(NEWSFLOW), *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    peak_tree, peak_process, killed, timed_out = 0, 0, False, False
    tree: list[int] = [process.pid]
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.monotonic() - started
        tree = process_tree(process.pid)
        peak_tree = max(peak_tree, sum(resident_bytes(p) for p in tree))
        if kill_after is not None and elapsed >= kill_after and not killed:
            killed = True
            _kill_tree(process.pid, tree)
        elif elapsed >= timeout and not timed_out:
            timed_out = True
            _kill_tree(process.pid, tree)
        time.sleep(SAMPLE_SECONDS)
    seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    peak_process = usage.ru_maxrss * 1024  # KiB on Linux
    _kill_leftovers(tree)
    peak = max(peak_tree, peak_process)
    return Observed(process.returncode, seconds, peak, peak_process, killed, timed_out, log, started_at)


def _kill_tree(pid: int, tree: Sequence[int]) -> None:
    """SIGKILL the process group the run leads, and any process of its tree that left the group."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    _kill_leftovers([p for p in tree if p != pid])


def _kill_leftovers(tree: Sequence[int]) -> None:
    """Kill what is left of a run's process tree (a Prefect server or worker it started, orphaned)."""
    for pid in tree:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def run_environment(work: Path) -> dict[str, str]:
    """This environment for `newsflow`, with Prefect's state in the work folder and none of the
    caller's NEWSFLOW_* settings or Prefect server: the runs use the local server of that
    PREFECT_HOME (`shared_server`), as a user's runs do."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFLOW_") and k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(work / "prefect-home")
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    # The temporary server's first start migrates a new database; on a busy machine that takes
    # longer than Prefect's default 20 s wait.
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    return env


@contextlib.contextmanager
def shared_server(work: Path) -> Iterator[None]:
    """The local Prefect server under the work folder's PREFECT_HOME, started once before the runs
    (`newsflow server start`) and stopped after them. Started by a command of its own, it is no
    part of any run's process tree: a kill reaches the run and not the server, and a run's memory
    is its own."""
    env = run_environment(work)
    started = subprocess.run(
        [str(NEWSFLOW), "server", "start"], env=env, cwd=work, capture_output=True, text=True, timeout=300
    )
    if started.returncode != 0:
        raise RuntimeError(f"newsflow server start failed: {started.stderr.strip() or started.stdout.strip()}")
    try:
        yield
    finally:
        subprocess.run([str(NEWSFLOW), "server", "stop"], env=env, cwd=work, capture_output=True, timeout=120)


def permission_wrapper() -> tuple[list[str], bool]:
    """The command before `newsflow` under which file modes hold, and whether they do: none for a
    user; for root, setpriv dropping the rights to read and list anything (else they do not hold)."""
    if os.geteuid() != 0:
        return [], True
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return [], False
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"], True


# -- accounting ---------------------------------------------------------------------------------


@dataclass
class Accounting:
    """What one run of a torture corpus left in its database, against the inputs it was given."""

    name: str
    n_inputs: int
    observed: Observed
    status: str = "no run recorded"
    n_seen: int = 0
    n_articles: int = 0
    n_duplicates: int = 0
    n_rejects: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    faults: list[tuple[str, str, str]] = field(default_factory=list)
    lost: list[Input] = field(default_factory=list)
    twice: list[tuple[str, int, int]] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def failed_run(self) -> bool:
        """The run failed, crashed, timed out or recorded no completed run. Exit 3 is a completed run
        that rejected every input it saw (a folder of only unreadable files does that)."""
        code = self.observed.returncode
        completed = code == 0 or (code == EXIT_ALL_REJECTED and self.n_articles + self.n_duplicates == 0)
        return not completed or self.observed.timed_out or self.status != "completed"

    @property
    def ok(self) -> bool:
        """Nothing wrong: the run completed and every input is accounted for exactly once."""
        return not (self.failed_run or self.lost or self.twice or self.unexpected or self.problems)


def _groups(inputs: Sequence[Input]) -> tuple[dict[str, int], dict[int, list[Input]]]:
    """Group inputs that share an address (a link and the file it names, records naming one page)."""
    parent: dict[str, str] = {}

    def find(uri: str) -> str:
        while parent.setdefault(uri, uri) != uri:
            parent[uri] = parent[parent[uri]]
            uri = parent[uri]
        return uri

    for item in inputs:
        first = find(item.uris[0])
        for uri in item.uris[1:]:
            parent[find(uri)] = first
    roots: dict[str, int] = {}
    group_of = {uri: roots.setdefault(find(uri), len(roots)) for uri in parent}
    members: dict[int, list[Input]] = {}
    for item in inputs:
        members.setdefault(group_of[item.uris[0]], []).append(item)
    return group_of, members


def account(name: str, db: Path, inputs: Sequence[Input], observed: Observed) -> Accounting:
    """Check what a run left in `db` against its inputs.

    Every input must have its row (an article or a reject) at its address, or be a duplicate of
    an article stored there: per address, rows must not outnumber inputs, an address with fewer
    rows than inputs must hold an article, and the spare inputs must add up to the duplicates the
    run counted. The run must have completed with seen = the inputs, new = the articles, rejected
    = the rejects, and no article id twice.
    """
    result = Accounting(name, len(inputs), observed)
    if not db.exists():
        result.problems.append(f"no database: {observed.tail()}")
        return result
    with duckdb.connect(str(db), read_only=True) as con:
        runs = con.execute("SELECT status, n_seen, n_new, n_duplicates, n_rejected, error FROM runs").fetchall()
        articles = con.execute("SELECT uri, article_id FROM articles").fetchall()
        rejects = con.execute("SELECT uri, reason, detail FROM rejects").fetchall()
    if len(runs) != 1:
        result.problems.append(f"{len(runs)} runs recorded, not 1")
    if runs:
        status, n_seen, n_new, n_duplicates, n_rejected, error = runs[-1]
        result.status, result.n_seen, result.n_duplicates = str(status), int(n_seen), int(n_duplicates)
        if error:
            result.problems.append(f"the run recorded an error: {str(error)[:200]}")
        if n_new != len(articles) or n_rejected != len(rejects):
            result.problems.append(
                f"the run counted {n_new} new and {n_rejected} rejected; "
                f"the tables hold {len(articles)} and {len(rejects)}"
            )
    result.n_articles, result.n_rejects = len(articles), len(rejects)
    result.reasons = Counter(str(reason) for _, reason, _ in rejects)
    result.faults = [(str(u), str(r), str(d)) for u, r, d in rejects if r in FAULT_REASONS]
    if len({article_id for _, article_id in articles}) != len(articles):
        result.problems.append("an article id is stored twice")
    if runs and result.n_seen != len(inputs):
        result.problems.append(f"the run saw {result.n_seen} inputs, {len(inputs)} were given")

    group_of, members = _groups(inputs)
    n_articles: Counter[int] = Counter()
    n_rows: Counter[int] = Counter()
    for uri, kind in [(str(u), "article") for u, _ in articles] + [(str(u), f"reject {r}") for u, r, _ in rejects]:
        group = group_of.get(uri)
        if group is None:
            result.unexpected.append((uri, kind))
            continue
        n_rows[group] += 1
        n_articles[group] += kind == "article"
    spare = 0
    for group, items in members.items():
        rows = n_rows[group]
        if rows > len(items):
            result.twice.append((items[0].uris[0], len(items), rows))
        elif rows < len(items):
            if n_articles[group]:
                spare += len(items) - rows  # duplicates of the article stored there
            else:
                result.lost.extend(items[rows:])
    if runs and spare != result.n_duplicates:
        result.problems.append(f"the run counted {result.n_duplicates} duplicates; its addresses allow {spare}")
    return result


# -- the torture runs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """The bench's options (see `parse_args`)."""

    inputs: int
    trials: int
    seed: int
    quick: bool
    one_run: bool
    categories: list[str] | None
    kill_articles: int
    kill_batch_size: int
    run_timeout: float
    work: Path | None
    keep: bool

    @property
    def sizes(self) -> Sizes:
        """How large the heavy inputs are."""
        return QUICK if self.quick else FULL


def torture_runs(
    corpus: TortureCorpus, work: Path, options: Options, wrapper: Sequence[str], out: TextIO
) -> list[Accounting]:
    """Run `newsflow run` on each category (or once on all), and account for every input."""
    env = run_environment(work)
    plans: list[tuple[str, list[Path], list[Input]]]
    if options.one_run:
        plans = [("all", corpus.sources(), corpus.inputs)]
    else:
        plans = [(c.name, [c.folder], c.inputs) for c in corpus.categories]
    results = []
    for name, sources, inputs in plans:
        db = work / "db" / f"{name}.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        observed = run_newsflow(
            ["run", *map(str, sources), "--db", str(db)],
            env=env,
            cwd=work,
            log=work / "logs" / f"{name}.log",
            timeout=options.run_timeout,
            wrapper=wrapper,
        )
        result = account(name, db, inputs, observed)
        results.append(result)
        print(_category_line(result), file=out, flush=True)
    return results


def _category_line(a: Accounting) -> str:
    run = "timed out" if a.observed.timed_out else ("ok" if not a.failed_run else f"FAILED ({a.observed.returncode})")
    return (
        f"  {a.name:<16} {a.n_inputs:>6} {a.n_articles:>8} {a.n_duplicates:>5} {a.n_rejects:>7} {len(a.faults):>6} "
        f"{len(a.lost):>5} {len(a.twice):>5} {len(a.unexpected):>5}  {run:<10} {a.observed.seconds:>7.1f} "
        f"{a.observed.peak_tree / _MIB:>8,.0f} {a.observed.peak_process / _MIB:>8,.0f}"
    )


_HEADER = (
    f"  {'category':<16} {'inputs':>6} {'articles':>8} {'dups':>5} {'rejects':>7} {'faults':>6} {'lost':>5} "
    f"{'twice':>5} {'unexp':>5}  {'run':<10} {'seconds':>7} {'tree MiB':>8} {'proc MiB':>8}"
)


def torture_report(results: Sequence[Accounting], corpus: TortureCorpus) -> Iterator[str]:
    """The failures, faults and reasons behind the table."""
    inputs = sum(r.n_inputs for r in results)
    failed = [r for r in results if r.failed_run]
    lost = sum(len(r.lost) for r in results)
    twice = sum(len(r.twice) for r in results)
    unexpected = sum(len(r.unexpected) for r in results)
    faults = sum(len(r.faults) for r in results)
    peak = max(results, key=lambda r: r.observed.peak_tree)
    yield ""
    yield (
        f"malformed inputs: {inputs:,} in {len(corpus.categories)} categories, {len(results)} runs: "
        f"{len(failed)} failed, {lost} lost, {twice} addresses accounted twice, {unexpected} unexpected rows, "
        f"{faults} fault rejects (parse_error, fingerprint_error, store_error, source_error)"
    )
    yield (
        f"peak memory of a run's process tree: {peak.observed.peak_tree / _MIB:,.0f} MiB ({peak.name}); "
        f"median {statistics.median(r.observed.peak_tree for r in results) / _MIB:,.0f} MiB"
    )
    reasons: Counter[str] = Counter()
    for r in results:
        reasons.update(r.reasons)
    yield "rejects by reason: " + ", ".join(f"{k} {v:,}" for k, v in reasons.most_common())
    for r in results:
        for line in r.problems:
            yield f"PROBLEM {r.name}: {line}"
        if r.failed_run:
            why = "timed out" if r.observed.timed_out else f"exit {r.observed.returncode}, status {r.status}"
            yield f"FAILED RUN {r.name}: {why}: {r.observed.tail()}"
        for item in r.lost[:_SHOWN]:
            yield f"LOST {r.name}: {item.what}: {item.uris[0]}"
        for uri, n_inputs, n_rows in r.twice[:_SHOWN]:
            yield f"TWICE {r.name}: {n_rows} rows for {n_inputs} inputs at {uri}"
        for uri, kind in r.unexpected[:_SHOWN]:
            yield f"UNEXPECTED {r.name}: {kind} at {uri[:200]}"
        shown = Counter((reason, detail[:90]) for _, reason, detail in r.faults)
        for (reason, detail), n in shown.most_common(_SHOWN):
            yield f"FAULT {r.name}: {n} x {reason}: {detail}"


# -- the kill loop ------------------------------------------------------------------------------


def write_kill_corpus(folder: Path, n_articles: int, seed: int) -> int:
    """A clean corpus: generated articles (2% copies), two JSON Lines exports and a few bad files.
    Return its number of inputs."""
    stats = write_corpus(folder / "articles", n_articles=n_articles, words=120, seed=seed)
    rng = random.Random(seed)
    n_records = max(10, n_articles // 10)
    exports = folder / "exports"
    exports.mkdir(parents=True)
    for name in ("a.jsonl", "b.jsonl"):
        lines = [record_line(rng, url=f"https://kill.example/{name}/{i}") for i in range(n_records)]
        (exports / name).write_bytes(b"\n".join(lines) + b"\n")
    bad = folder / "bad"
    bad.mkdir()
    n_bad = max(4, n_articles // 50)
    for i in range(n_bad):
        data = [b"", b"\x89PNG\r\n\x1a\n" + rng.randbytes(100), b"Title\n\ntwo words", article_bytes(rng)][i % 4]
        (bad / f"bad-{i:04d}.txt").write_bytes(data)
    return stats.n_articles + 2 * n_records + n_bad


@dataclass(frozen=True)
class Rows:
    """What a database holds that a killed and resumed run must reproduce."""

    articles: Counter[tuple[str, str, str]]
    stories: dict[str, tuple[str, str | None]]
    rejects: Counter[tuple[str, str]]
    events: Counter[str]
    extractions: Counter[tuple[str, str, str, int]]
    cursors: dict[str, Any]
    runs: list[tuple[str, str, int, int]]


def read_rows(db: Path) -> Rows:
    """The rows of `db` that the kill loop compares."""
    with duckdb.connect(str(db), read_only=True) as con:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return con.execute(sql).fetchall()

        articles = rows("SELECT article_id, uri, content_hash, story_id, dup_of FROM articles")
        return Rows(
            articles=Counter((str(a), str(u), str(h)) for a, u, h, _, _ in articles),
            stories={str(a): (str(s), None if d is None else str(d)) for a, _, _, s, d in articles},
            rejects=Counter((str(u), str(r)) for u, r in rows("SELECT uri, reason FROM rejects")),
            events=Counter(str(e) for (e,) in rows("SELECT event_id FROM events")),
            # The extraction each story's events come from (of its canonical article). A copy that
            # was its story's canonical for a while may have been extracted before a better copy
            # replaced it; whether it was depends on when the run saw the copies (a rerun that finds
            # the story already upgraded extracts only the better copy), and its events are gone
            # either way, so it is not compared.
            extractions=Counter(
                (str(a), str(x), str(s), int(n))
                for a, x, s, n in rows(
                    "SELECT e.article_id, e.extractor, e.status, e.n_events FROM extractions e "
                    "JOIN stories s ON s.canonical_article_id = e.article_id"
                )
            ),
            cursors={str(s): json.loads(str(c)) for s, c in rows("SELECT source, cursor FROM source_state")},
            runs=[
                (str(r), str(s), int(seen), int(new))
                for r, s, seen, new in rows("SELECT run_id, status, n_seen, n_new FROM runs ORDER BY started_at")
            ],
        )


def _cursor_differences(clean: Any, got: Any) -> int:
    """Files whose cursor entries differ; a modification time left out (written just before it was
    read, so checked by hash next time) matches any."""
    if not (isinstance(clean, dict) and isinstance(got, dict)):
        return 0 if clean == got else 1
    a, b = clean.get("files", {}), got.get("files", {})
    n = len(set(a) ^ set(b))
    for key in set(a) & set(b):
        x, y = a[key], b[key]
        same_time = x[1] is None or y[1] is None or x[1] == y[1]
        n += not (x[0] == y[0] and x[2] == y[2] and same_time)
    return n


def commit_times(observed: Observed) -> list[float]:
    """Seconds after its start at which a run logged a committed batch (`batch N: ... seen`)."""
    if observed.log is None or observed.started_at is None:
        return []
    start = observed.started_at
    times = []
    for line in observed.log.read_text("utf-8", errors="replace").splitlines():
        if " - batch " not in line or " seen, " not in line:
            continue
        try:
            clock = datetime.strptime(line[:12], "%H:%M:%S.%f").time()
        except ValueError:
            continue
        at = datetime.combine(start.date(), clock)
        if at < start - timedelta(hours=1):  # past midnight
            at += timedelta(days=1)
        times.append((at - start).total_seconds())
    return times


def kill_moment(rng: random.Random, clean: Observed, window: tuple[float, float]) -> float:
    """When to kill a run: mostly while it commits batches (the clean run's first commit to its
    end), sometimes anywhere from its start (Prefect starting, sources listed, events last)."""
    if rng.random() < 0.8:
        return rng.uniform(*window)
    return rng.uniform(0, clean.seconds)


@dataclass
class Trial:
    """One kill: when, what the killed run had committed, and what differs after the rerun."""

    number: int
    delay: float
    killed: Observed
    rerun: Observed
    committed: int = 0
    outcome: str = ""
    problems: list[str] = field(default_factory=list)


def compare_rows(clean: Rows, got: Rows, killed_run: str | None) -> list[str]:
    """What differs between a clean run's rows and a killed-and-rerun database's; `killed_run` is
    the id of the run that was `running` when it was killed, which must now be `interrupted`."""
    problems = []
    lost = clean.articles - got.articles
    extra = got.articles - clean.articles
    if lost:
        problems.append(f"{sum(lost.values())} articles lost")
    if extra:
        problems.append(f"{sum(extra.values())} articles extra or doubled")
    moved = [a for a, story in clean.stories.items() if a in got.stories and got.stories[a] != story]
    if moved:
        problems.append(f"{len(moved)} articles in another story or copying another article")
    pairs: list[tuple[str, Counter[Any], Counter[Any]]] = [
        ("rejects", clean.rejects, got.rejects),
        ("events", clean.events, got.events),
        ("extractions", clean.extractions, got.extractions),
    ]
    for what, before, after in pairs:
        if before - after:
            problems.append(f"{sum((before - after).values())} {what} lost")
        if after - before:
            problems.append(f"{sum((after - before).values())} {what} extra or doubled")
    if set(clean.cursors) != set(got.cursors):
        problems.append("cursors saved for other sources")
    differing = sum(
        _cursor_differences(clean.cursors[s], got.cursors[s]) for s in set(clean.cursors) & set(got.cursors)
    )
    if differing:
        problems.append(f"the cursor differs for {differing} files")
    statuses = {run_id: status for run_id, status, _, _ in got.runs}
    if not got.runs or got.runs[-1][1] != "completed":
        problems.append(f"the rerun is not completed: runs {list(statuses.values())}")
    if killed_run is not None and statuses.get(killed_run) != "interrupted":
        problems.append(f"the killed run is {statuses.get(killed_run, 'gone')}, not interrupted")
    if sum(new for _, _, _, new in got.runs) != sum(clean.articles.values()):
        problems.append("the runs' new counts do not add up to the articles stored")
    return problems


def kill_loop(work: Path, options: Options, out: TextIO) -> tuple[list[Trial], Observed, int]:
    """Ingest a clean corpus once; then kill a run of it at random moments and rerun, `trials` times."""
    env = run_environment(work)
    folder = work / "kill" / "corpus"
    n_articles = QUICK_KILL_ARTICLES if options.quick else options.kill_articles
    n_inputs = write_kill_corpus(folder, n_articles, options.seed)
    logs = work / "logs"

    def args(db: Path) -> list[str]:  # -v: the log lines of committed batches time the kills
        return ["run", str(folder), "--db", str(db), "--batch-size", str(options.kill_batch_size), "-v"]

    clean_db = work / "kill" / "clean.duckdb"
    clean = run_newsflow(args(clean_db), env=env, cwd=work, log=logs / "kill-clean.log", timeout=options.run_timeout)
    if clean.returncode != 0:
        raise RuntimeError(f"the clean run of the kill loop failed: {clean.tail()}")
    reference = read_rows(clean_db)
    commits = commit_times(clean)
    window = (min(commits, default=0.0), clean.seconds)
    print(
        f"kill loop: {n_inputs:,} inputs, batches of {options.kill_batch_size}; the clean run took "
        f"{clean.seconds:.1f} s, committed {len(commits)} batches from {window[0]:.1f} s on, and stored "
        f"{sum(reference.articles.values()):,} articles",
        file=out,
        flush=True,
    )
    rng = random.Random(options.seed)
    trials = []
    db = work / "kill" / "trial.duckdb"
    for number in range(1, options.trials + 1):
        for path in (db, Path(f"{db}.wal")):
            path.unlink(missing_ok=True)
        delay = kill_moment(rng, clean, window)
        killed = run_newsflow(
            args(db), env=env, cwd=work, log=logs / "kill-trial.log", timeout=options.run_timeout, kill_after=delay
        )
        recorded: list[tuple[str, str, int]] = []
        if db.exists():
            with duckdb.connect(str(db), read_only=True) as con:
                rows = con.execute("SELECT run_id, status, n_seen FROM runs").fetchall()
            recorded = [(str(r), str(s), int(n)) for r, s, n in rows]
        committed = sum(n for _, _, n in recorded)
        rerun = run_newsflow(args(db), env=env, cwd=work, log=logs / "kill-rerun.log", timeout=options.run_timeout)
        trial = Trial(number, delay, killed, rerun, committed)
        running = next((run_id for run_id, status, _ in recorded if status == "running"), None)
        if not killed.killed:
            trial.outcome = "finished before the kill"
        elif not recorded:
            trial.outcome = "killed before its run was recorded"
        elif running is None:
            trial.outcome = "killed after its run was recorded complete"
        elif committed == 0:
            trial.outcome = "killed before its first commit"
        else:
            trial.outcome = "killed mid-run"
        if rerun.returncode != 0:
            trial.problems.append(f"the rerun failed: {rerun.tail()}")
        else:
            trial.problems = compare_rows(reference, read_rows(db), running)
        if trial.problems and db.exists():
            keep = work / "kill" / f"failed-{number:03d}.duckdb"
            shutil.copy(db, keep)
            trial.problems.append(f"kept as {keep}")
        trials.append(trial)
        print(
            f"  trial {number:>3}: killed at {delay:5.1f} s after {committed:>5} inputs committed "
            f"({trial.outcome}); rerun {rerun.seconds:5.1f} s: {'; '.join(trial.problems) or 'same rows'}",
            file=out,
            flush=True,
        )
    return trials, clean, n_inputs


def kill_report(trials: Sequence[Trial], clean: Observed, n_inputs: int) -> Iterator[str]:
    """The kill loop's summary."""
    if not trials:
        return
    outcomes = Counter(t.outcome for t in trials)
    failed = [t for t in trials if t.problems]
    peak = max([clean, *(t.killed for t in trials), *(t.rerun for t in trials)], key=lambda o: o.peak_tree)
    mid = [t.committed for t in trials if t.outcome == "killed mid-run"]
    yield ""
    yield (
        f"kill loop: {len(trials)} trials on {n_inputs:,} inputs: "
        + ", ".join(f"{n} {what}" for what, n in outcomes.most_common())
        + (f" (median {statistics.median(mid):,.0f} inputs committed at the kill)" if mid else "")
    )
    lost = sum(any("lost" in p for p in t.problems) for t in trials)
    doubled = sum(any("doubled" in p for p in t.problems) for t in trials)
    yield (
        f"  {len(failed)} trials with differences: {lost} lost rows, {doubled} doubled rows; "
        f"clean run {clean.seconds:.1f} s, reruns median {statistics.median(t.rerun.seconds for t in trials):.1f} s; "
        f"peak memory of a run's process tree {peak.peak_tree / _MIB:,.0f} MiB"
    )
    for t in failed:
        yield f"KILL TRIAL {t.number} ({t.outcome}, at {t.delay:.1f} s): {'; '.join(t.problems)}"


# -- the command line ---------------------------------------------------------------------------


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def _categories(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in CATEGORY_NAMES]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown categories {', '.join(unknown)}; known: {', '.join(CATEGORY_NAMES)}")
    return names


def parse_args(argv: Sequence[str] | None = None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.torture",
        description=(
            "Feed newsflow malformed inputs and kill its runs, through the real `newsflow run` in subprocesses, "
            "then check in DuckDB that no run failed, every input is an article, a duplicate or a reject (none "
            "lost, none accounted twice), and a run killed with SIGKILL and run again leaves the rows of a clean "
            "run. Prints a table per category, the kill trials, and peak memory. Exits 1 when a check fails."
        ),
        epilog=(
            "Categories: "
            + "; ".join(f"{name} ({DESCRIPTIONS[name]})" for name in CATEGORY_NAMES)
            + ". Runs as root drop the rights to read any file (setpriv) so that file modes hold. "
            "Everything goes to a temporary folder (PREFECT_HOME too), removed at the end unless --keep or --work."
        ),
    )
    parser.add_argument(
        "--inputs",
        type=_count,
        metavar="N",
        help=f"malformed inputs to generate, 0 for none (default {DEFAULT_INPUTS:,}; {QUICK_INPUTS} with --quick)",
    )
    parser.add_argument(
        "--trials",
        type=_count,
        metavar="N",
        help=f"kill trials, 0 for none (default {DEFAULT_TRIALS}; {QUICK_TRIALS} with --quick)",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generators (default: %(default)s)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small heavy inputs (pages of 2,000 attributes, bombs of 16 MiB, lines of 200 kB), fewer inputs, "
        f"{QUICK_TRIALS} kill trials on {QUICK_KILL_ARTICLES} articles: a few minutes",
    )
    parser.add_argument(
        "--one-run", action="store_true", help="read every category in one run (default: one run per category)"
    )
    parser.add_argument("--categories", type=_categories, metavar="A,B", help="only these categories (comma-separated)")
    parser.add_argument(
        "--kill-articles",
        type=_positive,
        default=KILL_ARTICLES,
        metavar="N",
        help="generated articles in the kill loop's corpus (default: %(default)s)",
    )
    parser.add_argument(
        "--kill-batch-size",
        type=_positive,
        default=KILL_BATCH_SIZE,
        metavar="N",
        help="--batch-size of the kill loop's runs: more batches, more moments between commits (default: %(default)s)",
    )
    parser.add_argument(
        "--run-timeout",
        type=float,
        default=RUN_TIMEOUT,
        metavar="SECONDS",
        help="a run taking longer is killed and counted failed (default: %(default)s)",
    )
    parser.add_argument("--work", type=Path, metavar="DIR", help="work in DIR (kept) instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = parser.parse_args(argv)
    return Options(
        inputs=args.inputs if args.inputs is not None else (QUICK_INPUTS if args.quick else DEFAULT_INPUTS),
        trials=args.trials if args.trials is not None else (QUICK_TRIALS if args.quick else DEFAULT_TRIALS),
        seed=args.seed,
        quick=args.quick,
        one_run=args.one_run,
        categories=args.categories,
        kill_articles=args.kill_articles,
        kill_batch_size=args.kill_batch_size,
        run_timeout=args.run_timeout,
        work=args.work,
        keep=args.keep,
    )


def run_torture(options: Options, out: TextIO = sys.stdout) -> int:
    """Run the bench and print its tables; return 1 when a check failed."""
    work = options.work or Path(tempfile.mkdtemp(prefix="newsflow-torture-"))
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    wrapper, permissions_hold = permission_wrapper()
    ok = True
    try:
        started = time.perf_counter()
        print(
            f"newsflow torture bench: seed {options.seed}, {'quick' if options.quick else 'full'} sizes, "
            f"work folder {work}, load average {os.getloadavg()[0]:.2f}",
            file=out,
        )
        if not permissions_hold:
            print("  (running as root without setpriv: file modes do not hold; locked files are read)", file=out)
        with shared_server(work):
            if options.inputs:
                corpus = write_torture_corpus(
                    work / "corpus",
                    n_inputs=options.inputs,
                    seed=options.seed,
                    sizes=options.sizes,
                    permissions_hold=permissions_hold,
                    only=options.categories,
                )
                print(
                    f"corpus: {len(corpus.inputs):,} inputs in {len(corpus.categories)} categories, written in "
                    f"{time.perf_counter() - started:.1f} s",
                    file=out,
                )
                print(_HEADER, file=out, flush=True)
                results = torture_runs(corpus, work, options, wrapper, out)
                for line in torture_report(results, corpus):
                    print(line, file=out)
                ok = all(r.ok for r in results)
                remove_corpus(work / "corpus")
            if options.trials:
                trials, clean, n_inputs = kill_loop(work, options, out)
                for line in kill_report(trials, clean, n_inputs):
                    print(line, file=out)
                ok = ok and not any(t.problems for t in trials)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(
            f"\ntorture bench {'passed' if ok else 'FAILED'} in {time.perf_counter() - started:,.0f} s "
            f"(largest process of any run: {peak:,.0f} MiB; load average {os.getloadavg()[0]:.2f} at the end)",
            file=out,
        )
        return 0 if ok else 1
    finally:
        if options.work is None and not options.keep and ok:
            remove_corpus(work)
        else:
            print(f"torture bench: kept the work folder {work}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bench.torture`."""
    return run_torture(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
