"""Tests of dedup/exact.py: normalised hashes, deterministic ids, copies within a batch."""

from __future__ import annotations

import hashlib

import pytest

from dedup import minhash
from dedup.exact import (
    article_id,
    content_hash,
    drop_redelivered,
    identify,
    identify_apart,
    identify_result,
    normalise,
)
from schemas import ParsedArticle, ParseResult, Reject


def parsed(text: str, uri: str = "file:///a.txt") -> ParsedArticle:
    return ParsedArticle(source="s", uri=uri, title="t", text=text)


def test_typography_case_and_spacing_do_not_change_the_hash() -> None:
    a = "“This is a clear escalation,” said Zelensky – on X.\n\nSecond  paragraph."
    b = '"this is a clear escalation," said zelensky - on x. second paragraph.'
    assert normalise(a) == normalise(b)
    assert content_hash(a) == content_hash(b)


def test_a_changed_word_changes_the_hash() -> None:
    assert content_hash("About 10,000 soldiers") != content_hash("About 12,000 soldiers")


def test_ids_are_deterministic_and_depend_on_source_uri_and_content() -> None:
    digest = content_hash("text")
    assert article_id("s", "u", digest) == article_id("s", "u", digest)
    assert len(article_id("s", "u", digest)) == 16
    assert article_id("s", "u2", digest) != article_id("s", "u", digest)
    assert article_id("s", "u", content_hash("other")) != article_id("s", "u", digest)


def test_a_document_delivered_twice_in_a_batch_is_kept_once_and_copies_stay() -> None:
    articles = identify(
        [parsed("one text", "file:///1"), parsed("One  text", "file:///2"), parsed("one text", "file:///1")]
    )
    kept, dropped = drop_redelivered(articles)
    assert [a.uri for a in kept] == ["file:///1", "file:///2"]
    assert dropped == 1


def test_identify_fingerprints_each_article() -> None:
    (article,) = identify([parsed("Russian forces shelled Kharkiv on Thursday, killing two civilians.")])
    assert len(article.signature) == 128 * 4
    assert article.n_shingles == 5  # nine words, shingles of five
    assert len(article.band_keys) == 64


def test_identify_apart_keeps_an_article_that_cannot_be_fingerprinted_apart() -> None:
    # The text stage replaces lone surrogates; an article made elsewhere may still hold one.
    batch = [parsed("first text here", "file:///1"), parsed("bad \ud800 text", "file:///2"), parsed("third text", "/3")]
    identified, rejects = identify_apart(batch)
    assert [a.uri for a in identified] == ["file:///1", "/3"]
    assert identified == identify([batch[0], batch[2]])  # the same as a batch without it
    (reject,) = rejects
    assert (reject.uri, reject.reason) == ("file:///2", "fingerprint_error")
    assert reject.detail.startswith("UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800'")
    assert identify_apart(batch[:1]) == (identify(batch[:1]), [])


def test_identify_result_fingerprints_a_parse_result_or_makes_it_a_reject() -> None:
    good = ParseResult(article=parsed("Russian forces shelled Kharkiv on Thursday."), notes=("a note",))
    done = identify_result(good)
    assert done.article == identify([parsed("Russian forces shelled Kharkiv on Thursday.")])[0]
    assert done.notes == ("a note",) and identify_result(done) is done  # identified once only
    bad = identify_result(ParseResult(article=parsed("bad \ud800 text", "file:///2")))
    assert bad.article is None and bad.reject is not None
    assert (bad.reject.uri, bad.reject.reason) == ("file:///2", "fingerprint_error")
    rejected = ParseResult(reject=Reject(source="s", uri="file:///3", reason="empty", detail="no bytes"))
    assert identify_result(rejected) is rejected


def test_long_texts_hash_piece_by_piece_as_the_whole_text_does(monkeypatch: pytest.MonkeyPatch) -> None:
    # Long texts are folded and hashed in pieces cut after a space; with pieces of a few
    # characters every kind of boundary is crossed: runs of spacing, NBSP, a combining accent
    # after a space, characters NFKC or case folding expand, a word longer than a piece.
    texts = [
        "  Straße\u00a0\u00a0ﬁnal  café \u0301x ΣΊΣΥΦΟΣ\t\tＫｙｉｖ\n\n" * 5,
        "x" * 40 + " a  b " + "ǅ" * 30,
        "   ",
        "one",
    ]
    expected = [hashlib.sha256(normalise(text).encode("utf-8")).hexdigest() for text in texts]
    folded = [minhash.fold(text) for text in texts]
    monkeypatch.setattr("dedup.minhash._FOLD_CHARS", 7)
    assert [content_hash(text) for text in texts] == expected
    assert [minhash.fold(text) for text in texts] == folded
