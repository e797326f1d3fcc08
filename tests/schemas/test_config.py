"""newsflow.toml: sources, database, schedule and fetch limits, with NEWSFLOW_* overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import TerminalError
from schemas.config import config_path, load_settings

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
        ("[events]\nlexicn = 'mine.toml'", "events.lexicn: Extra inputs are not permitted"),
        ("[[sources]]\npath = 'seeds'", "sources.0.name: Field required"),
        ("[[sources]]\nname = 'a'\n[[sources]]\nname = 'a'", "source names must be unique"),
    ],
)
def test_a_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(TerminalError, match=message):
        load_settings(write(tmp_path, text))
