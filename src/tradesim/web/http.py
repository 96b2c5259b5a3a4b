"""What every route of the dashboard shares: its state (:class:`Dashboard`), the request-size
limit (:class:`BodyLimit`), and exact JSON rows (:func:`records`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from fastapi.responses import JSONResponse

from tradesim.results.store import RunStore
from tradesim.scenario.library import Library

if TYPE_CHECKING:
    from tradesim.web.jobs import Jobs

#: Job and run ids: lowercase hexadecimal.
HEX = re.compile(r"[0-9a-f]{1,32}")
#: Largest request body accepted by default, bytes.
MAX_BODY = 256 * 1024


@dataclass
class Dashboard:
    """What the routes of one app share: the results store (every query goes through it), the
    scenario library, the jobs (:class:`tradesim.web.jobs.Jobs`) and the limits."""

    runs: RunStore
    library: Library
    jobs: Jobs
    max_body: int = MAX_BODY


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes with a 413."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit() or int(length) > self.limit:
                return await self._refuse(scope, receive, send)
            return await self.app(scope, receive, send)
        # No length given (chunked): read at most the limit, then replay it.
        messages, size = [], 0
        while True:
            msg = await receive()
            messages.append(msg)
            size += len(msg.get("body", b""))
            if size > self.limit:
                return await self._refuse(scope, receive, send)
            if msg["type"] != "http.request" or not msg.get("more_body"):
                break

        async def replay():
            return messages.pop(0) if messages else await receive()

        return await self.app(scope, replay, send)

    async def _refuse(self, scope, receive, send):
        kib = self.limit // 1024
        await JSONResponse({"detail": f"request too large: scenarios and uploads are limited to {kib} KiB"},
                           status_code=413)(scope, receive, send)


def records(df) -> list[dict]:
    """Rows as dicts with exact floats (``repr`` round trip; ``to_json`` keeps 10 digits) and NaN as null."""
    return [{k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
            for row in df.astype(object).to_dict("records")]


def number(v) -> float | None:
    """A float, NaN (a country absent from one run) as null."""
    return None if v != v else float(v)
