"""``POST /api/news``: a draft scenario from a pasted or uploaded article (:mod:`tradesim.news`)."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request

from tradesim.web.http import Dashboard


def register(app: FastAPI, dash: Dashboard) -> None:
    """The news route (moved whole from ``create_app``)."""

    @app.post("/api/news")
    async def news(request: Request):
        """Draft a scenario from a pasted article (:mod:`tradesim.news`); the analyst
        reviews it and fills its placeholders before running it. A file posted as
        ``article`` is read as the article's bytes (UTF-8 text or HTML)."""
        from tradesim.news.draft import count_placeholders, draft_scenario
        from tradesim.news.extract import extract

        form = await request.form()
        article, published = form.get("article", ""), form.get("published", "")
        if not isinstance(published, str):
            raise HTTPException(422, "published: send a date YYYY-MM-DD, not a file")
        if not isinstance(article, str):  # an uploaded file, not pasted text
            article = await article.read()
        from starlette.concurrency import run_in_threadpool

        found = await run_in_threadpool(extract, article, published.strip() or None)  # off the event loop
        draft = draft_scenario(found)
        return {"draft": draft, "measures": len(found.measures), "events": len(found.events),
                "placeholders": count_placeholders(draft), "warnings": list(found.warnings),
                "extraction": found.to_dict()}
