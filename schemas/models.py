"""Pydantic models that cross a stage boundary: documents in, articles and rejects out, run summaries."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from schemas.unicode import valid_unicode

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Documents larger than this are rejected as `too_large` unless a run sets another cap."""

DEFAULT_PAGE_BYTES = 8 * 1024 * 1024
"""A source's page ends once its documents hold this many bytes, unless a run sets another budget
(`batch_bytes`); the document that crosses it stays in the page. Several pages are in hand at
once (read, parsed, stored, extracted), each taking several times its bytes: over 240 texts of
5 MB the run process peaked at 819 MiB with 32 MiB pages, at 655 with 8 (README, Time and memory)."""

DocumentKind = Literal["text", "html", "jsonl"]
"""How a document's bytes are to be read: plain text, an HTML page, or one JSON Lines record."""

Precision = Literal["second", "minute", "day", "unknown"]
"""How much of `published_at` the source actually stated."""

TextFrom = Literal["page", "feed"]
"""Where an article's text came from: the document itself (`page`: a page, a file, a record), or a
feed entry's own title and summary (`feed`) because the page was not fetched or could not be."""

RejectReason = str
"""Why an input did not become an article: a short code, one of `REJECT_REASONS` or `http_<status>`.

A plain string rather than a Literal because the fetcher's codes include the HTTP status
(`http_404`, `http_503`...). Every reason is documented in the README.
"""

REJECT_REASONS: frozenset[str] = frozenset(
    {
        # the text stage and the files source
        "empty",
        "binary",
        "undecodable",
        "too_large",
        "too_complex",
        "unparseable",
        "no_text",
        "unreadable",
        "special_file",
        "outside_source",
        "url_list",
        # a stage that raised on one document (a fault of newsflow's or of a library's, kept apart)
        "parse_error",
        "fingerprint_error",
        "store_error",
        # the fetcher (sources.fetch.Fetched.error), besides http_<status>; `timeout` is also
        # parsing that overran its time budget (extractors.budget)
        "timeout",
        "connect_error",
        "read_error",
        "blocked_address",
        "too_many_redirects",
        "decompression_bomb",
        "unsupported_encoding",
        "decode_error",
        "robots",
        "robots_unavailable",
        "bad_url",
        # any source whose reading raised part-way (the run goes on with the other sources)
        "source_error",
        # the feeds source
        "not_a_feed",
        "feed_parse_error",
        # the web source
        "not_a_page",
        "not_a_sitemap",
        "sitemap_parse_error",
        "sitemap_too_deep",
    }
)
"""The fixed reason codes; `http_<status>` (an HTTP error answer) completes them."""


StorableText = Annotated[str, AfterValidator(lambda text: valid_unicode(text)[0])]
"""A string the store can write whatever made it (a file name that is not UTF-8, an exception's
message quoting a bad input): lone surrogates are replaced."""


class Reject(BaseModel):
    """An input that did not become an article, with the reason it did not."""

    model_config = ConfigDict(frozen=True)

    source: StorableText
    uri: StorableText
    reason: RejectReason
    detail: StorableText = ""
    size_bytes: int = 0
    # For a fetch that failed transiently: `later` when the next run tries it again, `given_up`
    # when this was its last try (a source's `max_attempts`). Counted in the run summary.
    retry: Literal["later", "given_up"] | None = None


class RawDocument(BaseModel):
    """Bytes as a source delivered them, before anything is made of them.

    `published_hint` is when the source says the document was published (a feed entry's date, a
    news sitemap's `news:publication_date`), apart from the bytes: the text stage takes it as the
    published time when the document states none itself. `published_hint_precision` says how much
    of it was stated ("day" for a date alone). A zoned hint is read as UTC. `authors_hint` are the
    authors the source names (a feed entry's), taken when the document names none.

    `text_from` is `feed` for a document built from a feed entry's own text. `page_failure` is
    the reject of the page such a document stands in for: when the document gives no article,
    that reject is recorded (with why the feed's text could not be kept), so the page's failure is
    never hidden behind a `no_text`.
    """

    model_config = ConfigDict(frozen=True)

    source: str
    uri: str
    content: bytes
    kind: DocumentKind
    fetched_at: datetime
    published_hint: datetime | None = None
    published_hint_precision: Precision = "second"
    authors_hint: tuple[str, ...] = ()
    text_from: TextFrom = "page"
    page_failure: Reject | None = None


class ParsedArticle(BaseModel):
    """What the text extractors make of one document: clean text and the metadata it states."""

    model_config = ConfigDict(frozen=True)

    source: str
    uri: str
    title: str
    text: str
    outlet: str | None = None
    published_at: datetime | None = None
    published_precision: Precision = "unknown"
    language: str | None = None
    word_count: int = 0
    size_bytes: int = 0
    encoding: str | None = None
    authors: list[str] = Field(default_factory=list)
    text_from: TextFrom = "page"


class Article(ParsedArticle):
    """A parsed article with its identity and fingerprint.

    `content_hash` is the hash of its normalised text, `article_id` a deterministic id;
    `signature` (MinHash values, little-endian uint32), `n_shingles` and `band_keys` find its
    near copies. Story fields are set when the article is stored.
    """

    content_hash: str
    article_id: str
    signature: bytes = b""
    n_shingles: int = 0
    band_keys: list[int] = Field(default_factory=list)


class ParseResult(BaseModel):
    """One document's outcome: an article, or the reject that says why there is none.

    `notes` say what was repaired in a kept article: a field left NULL because its value was
    impossible (a date out of range, a number that is not finite), lone surrogates replaced.
    """

    model_config = ConfigDict(frozen=True)

    article: ParsedArticle | None = None
    reject: Reject | None = None
    notes: tuple[str, ...] = ()


class Batch(BaseModel):
    """What one transaction appends: a batch of articles and rejects and where the source stands."""

    run_id: str
    source: str
    articles: list[Article] = Field(default_factory=list)
    rejects: list[Reject] = Field(default_factory=list)
    n_seen: int = 0
    n_batch_duplicates: int = 0
    n_given_up: int = 0
    """Inputs of the batch whose page the source gave up fetching after `max_attempts` runs."""
    cursor: dict[str, Any] | None = None
    notes: list[str] = Field(default_factory=list)
    """What the text stage repaired in kept articles, one `uri: note` line each (the run logs them)."""


class AppendResult(BaseModel):
    """What a committed batch changed: new articles, of which `n_copies` joined a known story.

    `canonical_article_ids` are the new articles that are now their story's canonical copy: the
    ones the events stage extracts.
    """

    n_new: int
    n_copies: int = 0
    n_duplicates: int
    n_rejected: int
    n_upgraded: int = 0
    """Of the duplicates, stored articles of feed text whose page's text replaced it (`upgraded` maps the ids)."""
    upgraded: dict[str, str] = Field(default_factory=dict)
    """For each upgrade, the incoming article's id -> the id of the stored article it upgraded."""
    new_article_ids: list[str] = Field(default_factory=list)
    canonical_article_ids: list[str] = Field(default_factory=list)
    store_rejects: list[Reject] = Field(default_factory=list)
    """Articles the store could not convert, rejected there (`store_error`); counted in `n_rejected`."""


class RunSummary(BaseModel):
    """The outcome of one ingest run, as printed by `newsflow run` and published as an artifact.

    Timings: `seconds` is the run's wall time. The flow's own thread reads (`seconds_read`),
    waits for parsed batches (`seconds_parse_wait`), appends them (`seconds_store`), waits for
    extracted events (`seconds_extract_wait`) and writes them (`seconds_events`); the workers
    spend `seconds_parse` parsing and `seconds_extract` extracting, summed over workers, beside it.
    `seconds_turn_wait` is how long the run's writes waited for their turn on the database file
    (queries reading it, other processes writing to it), within the store and events timings.
    `n_extracted` counts the canonical articles the events stage coded, `n_extract_errors` those
    on which the extractor raised (each an `extractions` row with status `error`). `n_upgraded`
    counts the duplicates that replaced a stored article's feed text with its page's text, and
    `n_given_up` the inputs whose page a live source stopped trying after `max_attempts` runs
    (each stored from its feed text, or a reject), and `n_retry_later` the rejects that failed
    transiently and are tried again next run. `workers`
    says where parsing and extraction ran: a number of local processes, or a Dask address.
    """

    run_id: str
    flow_run_id: str | None = None
    database: str
    sources: list[str]
    status: Literal["completed", "failed"] = "completed"
    n_seen: int = 0
    n_new: int = 0
    n_copies: int = 0
    n_duplicates: int = 0
    n_rejected: int = 0
    n_upgraded: int = 0
    n_given_up: int = 0
    n_events: int = 0
    n_extracted: int = 0
    n_extract_errors: int = 0
    n_retry_later: int = 0
    extractor: str | None = None
    workers: str = "this process"
    n_batches: int = 0
    rejects_by_reason: dict[str, int] = Field(default_factory=dict)
    seconds: float = 0.0
    seconds_read: float = 0.0
    seconds_parse: float = 0.0
    seconds_store: float = 0.0
    seconds_parse_wait: float = 0.0
    seconds_extract: float = 0.0
    seconds_extract_wait: float = 0.0
    seconds_events: float = 0.0
    seconds_turn_wait: float = 0.0
    error: str | None = None


Counted = Literal["killed", "injured", "troops", "amount"]
"""What a figure in an event counts: people killed, people injured, troops, or money."""

EntityKind = Literal["person", "organisation", "place", "country"]

DatePrecision = Literal["day", "week", "month", "year"]


class Figure(BaseModel):
    """One number an event states: what it counts, how many, how sure, and where it is written."""

    counted: Counted
    value: float
    qualifier: str | None = None
    vague: bool = False
    currency: str | None = None
    noun: str | None = None
    char_start: int
    char_end: int


class Event(BaseModel):
    """Who did what to whom, where, when, how many, and who says so: one sentence of one article.

    `killed`, `injured` and `troop_count` are the event's count of each kind (a list's parts
    added; subgroups, competing claims and vague counts left out), `amount` its first sum of
    money; `figures` keeps every figure with its own qualifier (the `claims` view shows them).
    `mentions` counts the sentences of the article that tell this incident (restatements merged).
    `qualifier` is the first figure's. `story_id` is set by the store.
    """

    event_id: str
    article_id: str
    story_id: str | None = None
    event_type: str | None = None
    mode: str | None = None
    event_date: date | None = None
    date_precision: DatePrecision | None = None
    location: str | None = None
    country: str | None = None
    admin1: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    actor: str | None = None
    target: str | None = None
    claimed_by: str | None = None
    killed: int | None = None
    injured: int | None = None
    troop_count: int | None = None
    amount: float | None = None
    currency: str | None = None
    qualifier: str | None = None
    evidence: str
    char_start: int
    char_end: int
    confidence: float
    extractor: str
    figures: list[Figure] = Field(default_factory=list)
    mentions: int = 1


class Entity(BaseModel):
    """A person, organisation, place or country named in an article, with its one canonical name."""

    article_id: str
    name: str
    canonical: str
    kind: EntityKind
    country: str | None = None
    char_start: int
    char_end: int


ExtractionStatus = Literal["ok", "partial", "error"]
"""How an extraction ended: `ok`; `partial` when the article's text is longer than an extractor
reads and only its beginning was coded; `error` when the extractor raised on the article."""


class Extraction(BaseModel):
    """What an extractor (`name@version`) found in one article.

    `status` is `error` when the extractor raised on it; `error` then holds the exception's type
    and message, and there are no events or entities. It is `partial` when only the beginning of a
    very long text was coded; `error` then says how much.
    """

    article_id: str
    extractor: str
    status: ExtractionStatus = "ok"
    error: str | None = None
    events: list[Event] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)


class EventsResult(BaseModel):
    """What one committed events transaction changed: articles coded, events stored, failures."""

    n_articles: int = 0
    n_events: int = 0
    n_errors: int = 0
    n_stale: int = 0
    errors: list[str] = Field(default_factory=list)
