"""Reading one article: bound its size, refuse binary data, strip HTML, tell whether it looks like English."""

from __future__ import annotations

import html
import re

from tradesim.errors import NewsInputError

#: Longest article the extractor reads (characters): one article, not a corpus.
MAX_CHARS = 200_000


__all__ = ["MAX_CHARS", "NewsInputError", "read_article"]  # NewsInputError lives in tradesim.errors


def read_article(data: bytes | str) -> tuple[str, list[str]]:
    """Decode, bound and clean an article; return ``(text, warnings)``.

    Raises
    ------
    NewsInputError
        Binary data, text that is not UTF-8, or more than :data:`MAX_CHARS` characters.
    """
    warnings: list[str] = []
    if isinstance(data, bytes):
        if b"\x00" in data[:65536]:
            raise NewsInputError("input looks like binary data (NUL bytes), not an article")
        if len(data) > 4 * MAX_CHARS:
            raise NewsInputError(f"input is {len(data):,} bytes; the extractor reads one article of at most "
                                 f"{MAX_CHARS:,} characters")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise NewsInputError(f"input is not UTF-8 text ({err.reason} at byte {err.start})") from None
    else:
        text = data
    if len(text) > MAX_CHARS:
        raise NewsInputError(f"input is {len(text):,} characters; the extractor reads one article of at most "
                             f"{MAX_CHARS:,} characters")
    control = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t")
    if text and control > 0.01 * len(text):
        raise NewsInputError("input looks like binary data (control characters), not an article")
    if re.search(r"<\s*(html|body|p|div|article|span|br|script|head)\b", text, re.I):
        text = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", " ", text)
        text = re.sub(r"(?i)<\s*(br|/p|/div|/h\d|/li|/title)\s*/?>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]*>", " ", text))
        text = re.sub(r"[ \t]+", " ", text)
        warnings.append("HTML markup removed; offsets refer to the cleaned text")
    text = text.replace("\u2019", "'").replace("\u2018", "'")  # same length: offsets are kept
    if not text.strip():
        warnings.append("empty article: nothing to extract")
        return "", warnings
    words = re.findall(r"[A-Za-z]+", text.lower())
    common = {"the", "of", "and", "to", "in", "on", "is", "for", "from", "with", "its", "said", "by", "at", "was",
              "has", "that", "an", "it", "will", "would"}
    letters = sum(ch.isalpha() for ch in text)
    if letters and (sum(ch.isascii() for ch in text if ch.isalpha()) < 0.8 * letters
                    or not words or sum(w in common for w in words) < 0.08 * len(words)):
        warnings.append("text does not look like English; the extractor reads English news only")
    return text, warnings
