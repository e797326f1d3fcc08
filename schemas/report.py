"""What `newsflow report` reads from the database and draws: plain rows, one model per chart."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class _Row(BaseModel):
    model_config = ConfigDict(frozen=True)


class Totals(_Row):
    """Counts of what the report covers (after `since`)."""

    articles: int = 0
    stories: int = 0
    events: int = 0
    events_dated: int = 0
    """Events whose sentence gives their day (`event_date` with precision `day`); the rest count on
    their article's publication day, or are undated."""
    events_located: int = 0
    """Events with coordinates (a town the gazetteer knows)."""
    rejects: int = 0
    runs: int = 0


class StoryDay(_Row):
    """Stories on one day: the day their canonical copy was published; None when it states none."""

    day: date | None
    stories: int


class EventDay(_Row):
    """Events of one type on one day.

    `day` is the event's own date when its sentence gives the day (`dated`), else the day its article
    was published, else None (undated).
    """

    day: date | None
    event_type: str
    dated: bool
    events: int


class CasualtyDay(_Row):
    """The killed and injured one claimant reports on one day (`claimed_by` None: nobody named)."""

    day: date | None
    claimed_by: str | None
    killed: int
    injured: int


class Outlet(_Row):
    """An outlet that carried a story, and how many copies of it."""

    outlet: str | None
    copies: int


class LargeStory(_Row):
    """One of the stories with the most copies, with the outlets that carried it."""

    story_id: str
    title: str | None
    n_articles: int
    n_outlets: int
    day: date | None
    outlets: list[Outlet] = Field(default_factory=list)


class Place(_Row):
    """Events at one place, with coordinates where the gazetteer knows the town."""

    location: str
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    events: int
    killed: int
    injured: int


class RejectCount(_Row):
    """Inputs rejected for one reason."""

    reason: str
    rejects: int


class ReportData(_Row):
    """Everything the report page shows, read in one go from one database."""

    database: str
    generated_at: datetime
    since: date | None = None
    extractor: str | None = None
    """The extractor name whose events are shown: the one with the most events."""
    other_extractors: list[str] = Field(default_factory=list)
    """Other extractor names with events in the database, not shown."""
    totals: Totals = Field(default_factory=Totals)
    story_days: list[StoryDay] = Field(default_factory=list)
    event_days: list[EventDay] = Field(default_factory=list)
    casualties: list[CasualtyDay] = Field(default_factory=list)
    stories: list[LargeStory] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    """Places by events, most first; at most `store.report.MAX_PLACES`."""
    rejects: list[RejectCount] = Field(default_factory=list)
