"""What live sources remember between runs, and how a failed fetch is recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schemas import Reject
from sources.fetch import Fetched

__all__ = ["Seen", "fetch_reject"]


@dataclass
class Seen:
    """The cursor's memory: ids delivered (oldest first) and entries to try again, by attempts made."""

    ids: dict[str, None]
    retry: dict[str, int]
    limit: int
    given_up: int = 0  # failures given up for good since this was loaded (after `max_attempts` runs)

    @classmethod
    def load(cls, cursor: Mapping[str, Any] | None, limit: int) -> Seen:
        cursor = cursor or {}
        seen = cursor.get("seen")
        retry = cursor.get("retry")
        ids = dict.fromkeys(k for k in seen if isinstance(k, str)) if isinstance(seen, list) else {}
        tries = {k: n for k, n in retry.items() if isinstance(n, int)} if isinstance(retry, dict) else {}
        return cls(ids, tries, limit)

    def refresh(self, present: Sequence[str]) -> None:
        """Move the ids still in the feed to the recent end, so only ids gone from it are forgotten."""
        for key in present:
            if key in self.ids:
                del self.ids[key]
                self.ids[key] = None
        live = set(present)
        self.retry = {k: n for k, n in self.retry.items() if k in live}
        self.limit = max(self.limit, len(present))

    def add(self, key: str) -> None:
        self.retry.pop(key, None)
        self.ids.pop(key, None)
        self.ids[key] = None
        while len(self.ids) > self.limit:
            del self.ids[next(iter(self.ids))]

    def failed(self, key: str, reject: Reject, fetched: Fetched, max_attempts: int) -> Reject:
        """Record a failed fetch of `key` and return its reject, noting what happens next.

        A transient failure (timeout, 429, 5xx...) leaves the key to be tried on later runs, up
        to `max_attempts` runs in all; after the last, and after any other failure, it counts as
        delivered, the reject being the record of it.
        """
        if not fetched.transient:
            self.add(key)
            return reject
        attempts = self.retry.get(key, 0) + 1
        if attempts >= max_attempts:
            self.add(key)
            self.given_up += 1
            note, retry = f"; gave up after {attempts} runs", "given_up"
        else:
            self.retry[key] = attempts
            note, retry = f"; tried again next run ({attempts} of {max_attempts})", "later"
        return reject.model_copy(update={"detail": reject.detail + note, "retry": retry})

    def cursor(self, etag: str | None, last_modified: str | None) -> dict[str, Any]:
        return {"etag": etag, "last_modified": last_modified, "seen": list(self.ids), "retry": dict(self.retry)}


def fetch_reject(source: str, uri: str, fetched: Fetched) -> Reject:
    """The reject that records a failed fetch: its reason, what went wrong, and where it ended up."""
    reason = fetched.error or "empty"
    text = fetched.detail or reason
    if fetched.final_url != fetched.url:
        text = f"{text} (at {fetched.final_url})"
    return Reject(source=source, uri=uri, reason=reason, detail=text)
