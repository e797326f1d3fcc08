"""Tests of sources/registry.py: registering, finding and creating adapters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel, Field

from schemas import TerminalError
from sources import registry
from sources.registry import Page, available_sources, create_source, register_source, reload_sources


class EchoConfig(BaseModel):
    words: list[str]
    repeat: int = Field(default=1, ge=1)


class EchoSource:
    config_model: ClassVar[type[BaseModel]] = EchoConfig

    def __init__(self, config: BaseModel) -> None:
        assert isinstance(config, EchoConfig)
        self.config = config

    @property
    def name(self) -> str:
        return "echo"

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        yield Page(cursor={"n": len(self.config.words) * self.config.repeat})


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> None:
    """`echo-test` registered for one test only: the contract test asks a case of every kind it sees."""
    monkeypatch.setattr(registry, "_registry", dict(registry._registry))
    register_source("echo-test")(EchoSource)


@pytest.mark.usefixtures("echo")
def test_a_registered_adapter_is_created_with_validated_options() -> None:
    source = create_source("echo-test", {"words": ["a", "b"], "repeat": 2})
    assert [p.cursor for p in source.pages(None)] == [{"n": 4}]


@pytest.mark.usefixtures("echo")
def test_invalid_options_are_a_terminal_error_naming_the_kind_and_the_option() -> None:
    with pytest.raises(TerminalError, match=r"options for a source of kind 'echo-test': repeat: Input should be"):
        create_source("echo-test", {"words": ["a"], "repeat": 0})
    with pytest.raises(TerminalError, match=r"words: Field required"):
        create_source("echo-test", {})
    with pytest.raises(
        TerminalError,
        match=r"kind 'files': max_byte: unknown option \(options: path, page_size, page_bytes, max_bytes, rescan",
    ):
        create_source("files", {"path": ".", "max_byte": 10})


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(TerminalError, match=r"known: .*files"):
        create_source("nope", {})


def test_reload_forgets_entry_points_gone_from_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    (site / "pkg_echo").mkdir(parents=True)
    (site / "pkg_echo" / "__init__.py").write_text(
        "from tests.sources.test_registry import EchoSource as Echo\n", "utf-8"
    )
    info = site / "pkg_echo-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pkg-echo\nVersion: 1.0\n", "utf-8")
    (info / "entry_points.txt").write_text("[newsflow.sources]\necho-ep = pkg_echo:Echo\n", "utf-8")
    try:
        with monkeypatch.context() as patch:
            patch.syspath_prepend(str(site))
            assert available_sources()["echo-ep"] is EchoSource  # found without a reload
        assert "echo-ep" in available_sources()  # loaded once, kept
    finally:
        reloaded = reload_sources()
    assert "echo-ep" not in reloaded
    assert {"files", "feeds"} <= set(reloaded)  # the built-in ones come back
