"""Dates in news text: the publication date and the resolution of a date span against it."""

from __future__ import annotations

import datetime as dt
import re

from tradesim.news.reader import NewsInputError

def published_date(published: str | dt.date | None) -> dt.date | None:
    if published is None or isinstance(published, dt.date):
        return published
    try:
        return dt.date.fromisoformat(str(published))
    except ValueError:
        raise NewsInputError(f"published date {published!r} is not YYYY-MM-DD") from None


def resolve_date(m: re.Match, pub: dt.date | None, future: bool) -> tuple[str | None, str]:
    """Value and granularity of one date span (``dateparser`` on the span only)."""
    span = m.group(0)
    if m.group("rel"):
        unit = m.group("rel")
        if pub is None:
            return None, unit
        shift = -1 if "last" in span else (1 if "next" in span else 0)
        if unit == "year":
            return str(pub.year + shift), "year"
        if unit == "month":
            month = pub.month - 1 + shift
            return f"{pub.year + month // 12:04d}-{month % 12 + 1:02d}", "month"
        monday = pub - dt.timedelta(days=pub.weekday()) + dt.timedelta(weeks=shift)
        return monday.isoformat(), "week"
    year = m.group("y1") or m.group("y2")
    if m.group("y2"):
        return year, "year"
    day = m.group("d1") or m.group("d2") or m.group("wd") or m.group("yd")
    if not year and pub is None:
        return None, "day" if day else "month"
    import dateparser

    settings = {"PREFER_DATES_FROM": "future" if future else "past", "PREFER_DAY_OF_MONTH": "first",
                "RETURN_AS_TIMEZONE_AWARE": False}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime(pub.year, pub.month, pub.day)
    if m.group("month") and not year and pub is not None:
        settings["PREFER_DATES_FROM"] = "current_period"
    parsed = dateparser.parse(span, languages=["en"], settings=settings)
    if parsed is None:
        return None, "day" if day else "month"
    if day:
        return parsed.date().isoformat(), "day"
    return parsed.strftime("%Y-%m"), "month"
