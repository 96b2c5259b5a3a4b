"""A live dashboard on a free loopback port (uvicorn in a thread) over a throwaway store."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from tradesim.results.store import RunStore
from tradesim.web.app import create_app

from ..conftest import SCENARIOS


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Debian's chromium through Playwright")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def web_store(tmp_path_factory) -> RunStore:
    return RunStore(tmp_path_factory.mktemp("web") / "runs.duckdb")


@contextlib.contextmanager
def running(app):
    """Serve ``app`` with uvicorn in a thread on a free loopback port; yield its base URL."""
    import uvicorn

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the dashboard did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.pool.shutdown(wait=True)


@pytest.fixture(scope="session")
def server(web_store):
    """Base URL of a running dashboard; stopped at the end of the session."""
    with running(create_app(web_store, SCENARIOS, solve_timeout=120)) as url:
        yield url
