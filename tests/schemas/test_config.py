"""newsflow.toml: sources, database, schedule and fetch limits, with NEWSFLOW_* overrides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from schemas import TerminalError
from schemas.config import config_path, host_exemption, load_settings

CONFIG = """
db = "news.duckdb"

[fetch]
allow_hosts = ["127.0.0.1"]

[schedule]
cron = "*/15 * * * *"

[[sources]]
name = "seeds"
path = "seeds"

[[sources]]
name = "wire"
kind = "feeds"
url = "http://127.0.0.1:8000/feed.xml"
"""


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "NEWSFLOW_DB",
        "NEWSFLOW_CONFIG",
        "NEWSFLOW_FETCH__ALLOW_HOSTS",
        "NEWSFLOW_FETCH__RETRIES",
        "NEWSFLOW_BATCH_SIZE",
        "NEWSFLOW_EVENTS__LEXICON",
    ):
        monkeypatch.delenv(name, raising=False)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "newsflow.toml"
    path.write_text(text, "utf-8")
    return path


def test_a_config_file_declares_sources_with_their_own_options(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, CONFIG))
    assert settings.db == "news.duckdb"
    assert [(s.name, s.kind, s.options()) for s in settings.sources] == [
        ("seeds", "files", {"path": "seeds"}),
        ("wire", "feeds", {"url": "http://127.0.0.1:8000/feed.xml"}),
    ]
    assert settings.fetch.allow_hosts == ["127.0.0.1"]
    assert settings.schedule.cron == "*/15 * * * *"


def test_the_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFLOW_DB", "other.duckdb")
    monkeypatch.setenv("NEWSFLOW_FETCH__ALLOW_HOSTS", '["10.0.0.5"]')
    monkeypatch.setenv("NEWSFLOW_BATCH_SIZE", "250")
    settings = load_settings(write(tmp_path, CONFIG))
    assert (settings.db, settings.fetch.allow_hosts, settings.batch_size) == ("other.duckdb", ["10.0.0.5"], 250)


def test_the_events_lexicon_comes_from_the_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_settings(write(tmp_path, CONFIG)).events.lexicon is None
    configured = write(tmp_path, '[events]\nlexicon = "my_triggers.toml"\n')
    assert load_settings(configured).events.lexicon == "my_triggers.toml"
    monkeypatch.setenv("NEWSFLOW_EVENTS__LEXICON", "/srv/newsflow/triggers.toml")
    assert load_settings(configured).events.lexicon == "/srv/newsflow/triggers.toml"


def test_without_a_file_the_defaults_hold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert config_path() is None
    settings = load_settings()
    assert (settings.db, settings.sources) == ("data/newsflow.duckdb", [])
    write(tmp_path, CONFIG)
    assert config_path() == Path("newsflow.toml")
    monkeypatch.setenv("NEWSFLOW_CONFIG", str(tmp_path / "elsewhere.toml"))
    with pytest.raises(TerminalError, match="no config file at"):
        load_settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("db = ", "is not valid TOML"),
        ("dbb = 'x.duckdb'", "dbb: Extra inputs are not permitted"),
        ("[fetch]\nper_host = 0", "fetch.per_host"),
        ("[fetch]\nallow_hosts = ['127.0.0.1:http']", "fetch.allow_hosts: Value error, '127.0.0.1:http': the port"),
        ("[fetch]\nmax_redirects = 3", "fetch.max_redirects: Extra inputs are not permitted"),
        ("[events]\nlexicn = 'mine.toml'", "events.lexicn: Extra inputs are not permitted"),
        ("[[sources]]\npath = 'seeds'", "sources.0.name: Field required"),
        ("[[sources]]\nname = 'a'\n[[sources]]\nname = 'a'", "source names must be unique"),
    ],
)
def test_a_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TerminalError, match=message):
        load_settings(write(tmp_path, text))


@pytest.mark.parametrize(
    ("entry", "key"),
    [
        ("Example.ORG.", "example.org"),
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.1:8080", "127.0.0.1:8080"),
        ("localhost:080", "localhost:80"),
        ("::1", "::1"),
        ("[::1]", "::1"),
        ("[::1]:8080", "[::1]:8080"),
        ("[FE80::1]:443", "[fe80::1]:443"),
        (" ", ""),
    ],
)
def test_an_allowed_host_is_a_host_or_a_host_and_one_port(entry: str, key: str) -> None:
    assert host_exemption(entry) == key


@pytest.mark.parametrize("entry", ["127.0.0.1:0", "127.0.0.1:65536", "host:", ":80", "a:b:c", "[::1", "[::1]8080"])
def test_an_allowed_host_that_is_neither_is_refused(entry: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(entry))):
        host_exemption(entry)


def test_fetch_limits_come_from_the_file_and_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(write(tmp_path, CONFIG)).fetch.limits() == {}  # unset keys keep the fetcher's defaults
    path = write(tmp_path, "[fetch]\nconnect_timeout = 1.5\ndelay_seconds = 2\nretries = 1\n")
    assert load_settings(path).fetch.limits() == {"connect_timeout": 1.5, "host_delay": 2.0, "retries": 1}
    monkeypatch.setenv("NEWSFLOW_FETCH__RETRIES", "5")
    assert load_settings(path).fetch.limits()["retries"] == 5
