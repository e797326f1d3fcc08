"""newsflow's flows: Prefect flows whose parameters are sent to the API as pydantic's JSON.

Prefect turns a flow run's parameters into JSON with FastAPI's `jsonable_encoder`, and importing
it imports the whole of FastAPI: a tenth of a second of every `newsflow run` on this machine, for
parameters that are strings, numbers, lists, mappings and dates. pydantic's own encoder gives
the same JSON for those (a time in UTC ends in "Z" rather than "+00:00"), and for anything it
cannot encode the flow sends Prefect's placeholder (`<TypeName>`) as Prefect does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from prefect import Flow
from prefect.client.schemas.objects import State
from prefect.futures import PrefectFuture
from pydantic_core import PydanticSerializationError, to_jsonable_python

P = ParamSpec("P")
R = TypeVar("R")


class NewsflowFlow(Flow[P, R]):
    """A Prefect flow whose parameters are encoded by pydantic rather than FastAPI."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        return {key: _jsonable(value) for key, value in parameters.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, PrefectFuture | State):
        return f"<{type(value).__name__}>"
    try:
        return to_jsonable_python(value)
    except (PydanticSerializationError, TypeError, ValueError, RecursionError):
        return f"<{type(value).__name__}>"


def flow(*, name: str, persist_result: bool | None = None) -> Callable[[Callable[P, R]], NewsflowFlow[P, R]]:
    """`prefect.flow(name=..., persist_result=...)` that makes a `NewsflowFlow`."""

    def decorate(fn: Callable[P, R]) -> NewsflowFlow[P, R]:
        return NewsflowFlow(fn, name=name, persist_result=persist_result)

    return decorate
