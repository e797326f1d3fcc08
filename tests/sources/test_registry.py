"""Tests of sources/registry.py: registering and creating adapters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from schemas import TerminalError
from sources.registry import Page, create_source, register_source


class EchoConfig(BaseModel):
    words: list[str]


@register_source("echo-test")
class EchoSource:
    config_model: ClassVar[type[BaseModel]] = EchoConfig

    def __init__(self, config: BaseModel) -> None:
        assert isinstance(config, EchoConfig)
        self.config = config

    @property
    def name(self) -> str:
        return "echo"

    def pages(self, cursor: dict[str, Any] | None) -> Iterator[Page]:
        yield Page(cursor={"n": len(self.config.words)})


def test_a_registered_adapter_is_created_with_validated_options() -> None:
    source = create_source("echo-test", {"words": ["a", "b"]})
    assert [p.cursor for p in source.pages(None)] == [{"n": 2}]


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(TerminalError, match=r"known: .*files"):
        create_source("nope", {})
