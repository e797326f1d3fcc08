"""newsflow.toml: the sources to run, the database, the schedule and fetch limits, with NEWSFLOW_* overrides."""

from __future__ import annotations

import ipaddress
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from schemas.errors import TerminalError
from schemas.models import DEFAULT_PAGE_BYTES

DEFAULT_CONFIG = "newsflow.toml"
CONFIG_ENV = "NEWSFLOW_CONFIG"
ENV_PREFIX = "NEWSFLOW_"
ENV_NESTED = "__"


class SourceSpec(BaseModel):
    """One configured source: its adapter kind and the adapter's own options.

    Every key besides `name` and `kind` goes to the adapter's config model (for `files`: `path`,
    `max_bytes`; for feeds: the feed's `url`...).
    """

    model_config = ConfigDict(extra="allow")

    name: str = Field(min_length=1)
    kind: str = "files"

    def options(self) -> dict[str, Any]:
        """The adapter options: every key of the table but `name` and `kind`."""
        return dict(self.model_extra or {})


def host_exemption(entry: str) -> str:
    """An allowed host as the fetcher compares it: `host`, or `host:port` to allow one port only.

    Names are lower-cased without a trailing dot. An IPv6 address is written bare (`::1`) or in
    brackets (`[::1]`), and in brackets with a port (`[::1]:8080`), which is also how it comes back.
    "" stays "" (an empty entry allows nothing).

    Raises:
        ValueError: the port is not a number from 1 to 65535, or the entry is not a host.
    """
    text = entry.strip().lower()
    port: str | None = None
    if text.startswith("["):
        host, bracket, rest = text[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            raise ValueError(f"{entry!r} is not HOST, HOST:PORT or [IPv6]:PORT")
        port = rest[1:] if rest else None
    elif text.count(":") == 1:
        host, _, port = text.partition(":")
    else:
        host = text
    host = host.rstrip(".")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError as exc:
            raise ValueError(f"{entry!r} is not HOST, HOST:PORT or [IPv6]:PORT") from exc
    if port is None:
        return host
    if not host or not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{entry!r}: the port after the host must be a number from 1 to 65535")
    return f"[{host}]:{int(port)}" if ":" in host else f"{host}:{int(port)}"


class FetchSettings(BaseModel):
    """Limits of the HTTP fetcher for every live source (feeds, pages, sitemaps); a source's own
    `fetch` table overrides them key by key. Hosts in `allow_hosts` may resolve to private
    addresses: `HOST` on every port, `HOST:PORT` on that port only."""

    model_config = ConfigDict(extra="forbid")

    allow_hosts: list[str] = Field(default_factory=list)
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    total_timeout: float = Field(default=30.0, gt=0)
    max_bytes: int = Field(default=5 * 1024 * 1024, ge=1)
    per_host: int = Field(default=2, ge=1)
    # `delay_seconds` is the name this key had; it is still read.
    host_delay: float = Field(default=0.5, ge=0, validation_alias=AliasChoices("host_delay", "delay_seconds"))
    retries: int = Field(default=3, ge=0)

    @field_validator("allow_hosts", mode="after")
    @classmethod
    def _valid_hosts(cls, hosts: list[str]) -> list[str]:
        for host in hosts:
            host_exemption(host)
        return hosts

    def limits(self) -> dict[str, Any]:
        """The limits set in the file or the environment, by the fetcher's names (not the defaults)."""
        return self.model_dump(exclude_unset=True, exclude={"allow_hosts"})


class ScheduleSettings(BaseModel):
    """When `newsflow serve` runs the configured sources: a cron line, or an interval in seconds."""

    model_config = ConfigDict(extra="forbid")

    cron: str | None = None
    interval_seconds: int | None = Field(default=None, ge=1)


class EventsSettings(BaseModel):
    """The events stage: `lexicon` is a TOML file of trigger words added to the built-in lexicon
    (the format of extractors/events/lexicon/triggers.toml), relative to the working directory."""

    model_config = ConfigDict(extra="forbid")

    lexicon: str | None = None


class EnvValueError(ValueError):
    """A NEWSFLOW_* variable whose value is neither JSON nor, for a list, comma-separated values."""

    def __init__(self, field_name: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.field_name = field_name
        self.value = value
        self.reason = reason


def _is_list_of_text(field: FieldInfo | None) -> bool:
    return field is not None and field.annotation in (list[str], list[str] | None)


class _EnvSource(EnvSettingsSource):
    """NEWSFLOW_* variables, where a list of words may also be written comma-separated
    (`NEWSFLOW_FETCH__ALLOW_HOSTS=127.0.0.1,localhost:8000`), as people write them in a shell."""

    def decode_complex_value(self, field_name: str, field: FieldInfo, value: Any) -> Any:
        try:
            return super().decode_complex_value(field_name, field, value)
        except ValueError as exc:
            if isinstance(value, str) and not value.lstrip().startswith("[") and _is_list_of_text(field):
                return [part.strip() for part in value.split(",") if part.strip()]
            kind = "a JSON list or comma-separated values" if _is_list_of_text(field) else "JSON"
            raise EnvValueError(field_name, str(value), f"not {kind} ({exc})") from exc


DEFAULT_BATCH_BYTES = DEFAULT_PAGE_BYTES
"""Bytes of documents per batch: a page of a source ends at `batch_size` inputs or at this many
bytes, whichever comes first (the document that crosses it stays in the page)."""

DEFAULT_PARSE_TIMEOUT = 30.0
"""Seconds one document may take to parse before it is stopped and rejected as `timeout`."""


class Settings(BaseSettings):
    """Everything newsflow.toml holds. Environment variables override it: `NEWSFLOW_DB`,
    `NEWSFLOW_BATCH_SIZE`, `NEWSFLOW_BATCH_BYTES`, `NEWSFLOW_PARSE_TIMEOUT`, and nested keys with a
    double underscore (`NEWSFLOW_FETCH__ALLOW_HOSTS=127.0.0.1,localhost:8000` or `'["127.0.0.1"]'`,
    `NEWSFLOW_SCHEDULE__CRON='*/15 * * * *'`, `NEWSFLOW_EVENTS__LEXICON=my_triggers.toml`)."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter=ENV_NESTED, extra="forbid")

    db: str = "data/newsflow.duckdb"
    batch_size: int = Field(default=1000, ge=1)
    batch_bytes: int = Field(default=DEFAULT_BATCH_BYTES, ge=1)
    parse_timeout: float = Field(default=DEFAULT_PARSE_TIMEOUT, ge=0)
    sources: list[SourceSpec] = Field(default_factory=list)
    fetch: FetchSettings = Field(default_factory=FetchSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    events: EventsSettings = Field(default_factory=EventsSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The file's values come in through init; the environment wins over them.
        return _EnvSource(settings_cls), init_settings


def _environment() -> dict[str, str]:
    """The NEWSFLOW_* variables by their upper-case names (they are read case-insensitively)."""
    return {name.upper(): value for name, value in os.environ.items() if name.upper().startswith(ENV_PREFIX)}


def _key_of(loc: tuple[int | str, ...], file: Path | None) -> str:
    """Where a bad setting came from: the variable that set it, else the file's key (`fetch.retries`)."""
    keys = [str(part) for part in loc]
    dotted = ".".join(keys)
    environment = _environment()
    for n in range(len(keys), 0, -1):
        variable = ENV_PREFIX + ENV_NESTED.join(keys[:n]).upper()
        if variable in environment:
            return variable if n == len(keys) else f"{variable} ({dotted})"
    return f"{file}: {dotted}" if file is not None else dotted


def _bad_variable(exc: SettingsError) -> str:
    """One line for a NEWSFLOW_* variable pydantic-settings could not decode, naming the variable."""
    cause = exc.__cause__
    while cause is not None and not isinstance(cause, EnvValueError):
        cause = cause.__cause__
    if cause is None:
        return f"invalid NEWSFLOW_* variable: {exc}"
    named = [
        name
        for name, value in _environment().items()
        if value == cause.value and name.endswith(cause.field_name.upper())
    ]
    return f"{named[0] if named else ENV_PREFIX + cause.field_name.upper()}: {cause.reason}"


def config_path(given: str | Path | None = None) -> Path | None:
    """The config file to read: `given`, else `$NEWSFLOW_CONFIG`, else ./newsflow.toml if it exists."""
    if given is not None:
        return Path(given)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG)
    return default if default.is_file() else None


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the settings from a TOML file (see `config_path`) and the environment.

    Raises:
        TerminalError: the file named does not exist, is not valid TOML, or holds unknown or
            invalid keys; the message names the file and the key.
    """
    file = config_path(path)
    values: dict[str, Any] = {}
    if file is not None:
        if not file.is_file():
            raise TerminalError(f"no config file at {file}")
        try:
            values = tomllib.loads(file.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise TerminalError(f"{file} is not valid TOML: {exc}") from exc
    try:
        settings = Settings(**values)
    except SettingsError as exc:
        raise TerminalError(_bad_variable(exc)) from exc
    except ValidationError as exc:
        problems = "; ".join(f"{_key_of(e['loc'], file)}: {e['msg']}" for e in exc.errors())
        raise TerminalError(f"invalid setting {problems}") from exc
    names = [source.name for source in settings.sources]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise TerminalError(f"source names must be unique in {file}: {', '.join(repeated)}")
    return settings
