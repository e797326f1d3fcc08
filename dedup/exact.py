"""Article identity: a hash of the normalised text, a deterministic id, the MinHash fingerprint."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence

from dedup.minhash import MinHashOptions, fingerprint, pack_signature, text_pieces
from schemas import Article, ParsedArticle, ParseResult, Reject

_MAX_DETAIL_CHARS = 500

# Typographic variants that copies of one text differ by without changing a word.
_FOLD: tuple[tuple[str, str], ...] = (
    *((quote, "'") for quote in "\u2018\u2019\u201a\u201b\u2032"),
    *((quote, '"') for quote in "\u201c\u201d\u201e\u201f\u00ab\u00bb"),
    *((dash, "-") for dash in "\u2013\u2014\u2212"),
    ("\u00ad", ""),
    ("\u200b", ""),
)


def normalise(text: str) -> str:
    """Fold a text to the form two exact copies share: NFKC, case, quotes, dashes and spacing."""
    if not unicodedata.is_normalized("NFKC", text):  # the check is several times cheaper than the fold
        text = unicodedata.normalize("NFKC", text)
    folded = text.casefold()
    # str.replace per variant present is several times faster than str.translate with a table.
    for variant, plain in _FOLD:
        if variant in folded:
            folded = folded.replace(variant, plain)
    return " ".join(folded.split())


def content_hash(text: str) -> str:
    """Return the hex SHA-256 of the normalised text: equal for exact copies.

    A long text is normalised and hashed a piece at a time (`text_pieces`), never folded whole.
    """
    digest = hashlib.sha256()
    separator = b""
    for piece in text_pieces(text):
        words = normalise(piece)
        if words:
            digest.update(separator + words.encode("utf-8"))
            separator = b" "
    return digest.hexdigest()


def article_id(source: str, uri: str, digest: str) -> str:
    """Return a deterministic id from the source, the address and the content hash.

    The same document delivered again gets the same id; a changed text gets a new one.
    """
    key = f"{source}\x1f{uri}\x1f{digest}".encode()
    return hashlib.blake2b(key, digest_size=8).hexdigest()


def identify(articles: Sequence[ParsedArticle], options: MinHashOptions | None = None) -> list[Article]:
    """Give each parsed article its content hash, id and MinHash fingerprint (one batch pass)."""
    prints = fingerprint([parsed.text for parsed in articles], options)
    identified = []
    for i, parsed in enumerate(articles):
        digest = content_hash(parsed.text)
        # The parsed fields were validated when parsed; only the new values are added.
        identified.append(
            Article.model_construct(
                **dict(parsed),
                content_hash=digest,
                article_id=article_id(parsed.source, parsed.uri, digest),
                signature=pack_signature(prints.signatures[i]),
                n_shingles=int(prints.sizes[i]),
                band_keys=prints.band_keys[i].tolist(),
            )
        )
    return identified


def identify_apart(
    articles: Sequence[ParsedArticle], options: MinHashOptions | None = None
) -> tuple[list[Article], list[Reject]]:
    """`identify`, with an article that cannot be fingerprinted kept apart as a `fingerprint_error` reject.

    The batch is fingerprinted in one pass; only if that raises are its articles fingerprinted one
    by one, so one article's fault costs neither the batch nor its speed.
    """
    try:
        return identify(articles, options), []
    except Exception:  # found below, article by article
        pass
    identified: list[Article] = []
    rejects: list[Reject] = []
    for parsed in articles:
        try:
            identified.extend(identify([parsed], options))
        except Exception as exc:  # one article's fault is that article's reject
            detail = f"{type(exc).__name__}: {exc}"[:_MAX_DETAIL_CHARS]
            rejects.append(
                Reject(
                    source=parsed.source,
                    uri=parsed.uri,
                    reason="fingerprint_error",
                    detail=detail,
                    size_bytes=parsed.size_bytes,
                )
            )
    return identified, rejects


def identify_result(result: ParseResult) -> ParseResult:
    """One parse result with its article identified: the article fingerprinted (`identify`), or a
    `fingerprint_error` reject in its place. A result without an article is returned as it is.

    The parse process applies it to each document it parses (`extractors.budget.parse_within`), so
    that a long text is fingerprinted there, within the document's time budget.
    """
    if result.article is None or isinstance(result.article, Article):
        return result
    identified, unfit = identify_apart([result.article])
    if unfit:
        return ParseResult(reject=unfit[0])
    return ParseResult(article=identified[0], notes=result.notes)


def drop_redelivered(articles: Sequence[Article]) -> tuple[list[Article], int]:
    """Keep the first of each article id in a batch: the same document delivered twice is one.

    Copies at other addresses have other ids and stay: they join the story of what they copy.

    Returns:
        The articles not delivered earlier in the batch, and how many were dropped.
    """
    seen: set[str] = set()
    kept = []
    for article in articles:
        if article.article_id not in seen:
            seen.add(article.article_id)
            kept.append(article)
    return kept, len(articles) - len(kept)
