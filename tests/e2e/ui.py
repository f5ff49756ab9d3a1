"""Chromium, driven by Playwright, against a real gunicorn serving the demo team.

Playwright cannot download its own browser here: Debian's ``chromium`` package is
used (``.ci/run`` installs it). Without it these tests skip, but fail in CI.
Every page a test visits can be saved with ``snap``: screenshots land in
``tests/artifacts/screenshots/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Route,
    WebSocketRoute,
    expect,
    sync_playwright,
)

from tests.conftest import IN_CI

SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
# A page's heading once the router has shown it (it marks <main> busy meanwhile).
SHOWN_HEADING = "main:not([aria-busy]) h1"
PASSWORD = "wolfpack"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
# What the first and the last tests wait for, at most (a command waits for the
# read models, a push follows within 150 ms): generous for a busy CI machine.
expect.set_options(timeout=10_000)


def chromium_path() -> str:
    """Return Debian's Chromium, skipping without it (failing in CI)."""
    found = shutil.which("chromium")
    if found is None:
        problem = "Chromium is not installed (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(f"CI=true but {problem}")
        pytest.skip(problem)
    return found


@dataclass
class Person:
    """A signed-in browser tab; JavaScript errors on its pages fail the test."""

    page: Page
    email: str
    errors: list[str] = field(default_factory=list)

    def open(self, route: str) -> Page:
        """Go to a route of the app (``#/commitments``) and wait for its heading."""
        self.page.goto(f"/{route}")
        expect(self.page.locator(SHOWN_HEADING)).to_be_visible()
        return self.page

    def snap(self, name: str) -> Path:
        """Save a full-page screenshot as tests/artifacts/screenshots/<name>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in form, as a person would."""
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#live-status")).to_have_text("Live")
    expect(page.locator(SHOWN_HEADING)).to_be_visible()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run (each test gets fresh contexts)."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, env=without_faketime()
        )
        if "FAKETIME" in os.environ:
            give_pages_the_moved_clock(launched)
        yield launched
        launched.close()


def without_faketime() -> dict[str, str]:
    """Return the environment for Chromium: libfaketime (tests/faketime/run) left out.

    With it preloaded every new page takes about 15 s to open.
    """
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


def give_pages_the_moved_clock(browser: Browser) -> None:
    """Start every new context's pages at the server's time (the ``Date`` it sends)."""
    new_context = browser.new_context

    def with_clock(**options: Any) -> BrowserContext:
        context = new_context(**options)
        served = context.request.get("/healthz").headers["date"]
        context.clock.install(time=parsedate_to_datetime(served))  # and on it flows
        return context

    browser.new_context = with_clock  # type: ignore[method-assign]


@pytest.fixture
def person(browser: Browser, demo_site: str) -> Iterator[Callable[..., Person]]:
    """Open a new browser (own cookies) signed in as a demo login: person("ravi")."""
    contexts: list[BrowserContext] = []
    people: list[Person] = []

    def open_as(
        name: str, viewport: tuple[int, int] = (1280, 900), password: str = PASSWORD
    ) -> Person:
        context = browser.new_context(
            base_url=demo_site,
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        contexts.append(context)
        page = context.new_page()
        someone = Person(page, f"{name}@wolfpack.test")
        page.on("pageerror", lambda error: someone.errors.append(str(error)))
        page.goto("/")
        sign_in(page, someone.email, password)
        people.append(someone)
        return someone

    yield open_as
    for context in contexts:
        context.close()
    for someone in people:
        assert not someone.errors, (someone.email, someone.errors)


def outside_requests(page: Page, base_url: str) -> list[str]:
    """Start recording requests that leave the app's origin; return the list."""
    origin = re.escape(base_url.rstrip("/"))
    seen: list[str] = []
    page.on(
        "request",
        lambda request: (
            None
            if re.match(rf"{origin}(/|$)", request.url)
            or request.url.startswith("data:")
            else seen.append(request.url)
        ),
    )
    return seen


class Cable:
    """The network between one page and the server's Socket.IO endpoint.

    ``unplug`` drops the page's live connection and refuses new ones (websocket
    and long-polling alike) until ``plug``: a Wi-Fi drop, as the page sees it.
    Install it before the page first loads.
    """

    def __init__(self, page: Page) -> None:
        self.cut = False
        self.sockets: list[WebSocketRoute] = []
        endpoint = re.compile(r".*/socket\.io/.*")
        page.route_web_socket(endpoint, self._socket)
        page.route(endpoint, self._polling)

    def _socket(self, socket: WebSocketRoute) -> None:
        if self.cut:
            socket.close()
            return
        socket.connect_to_server()
        self.sockets.append(socket)

    def _polling(self, route: Route) -> None:
        if self.cut:
            route.abort()
        else:
            route.continue_()

    def unplug(self) -> None:
        """Drop the live connection and refuse new ones."""
        self.cut = True
        for socket in self.sockets:
            socket.close()
        self.sockets.clear()

    def plug(self) -> None:
        """Let the page connect again."""
        self.cut = False


def fill_commitment(page: Page, title: str, days: int = 2) -> Locator:
    """Fill the "Make a commitment" form: a title, due in ``days``; return the form."""
    form = page.get_by_role("form", name="Make a commitment")
    form.get_by_label("Title").fill(title)
    due = datetime.now() + timedelta(days=days)
    form.get_by_label("Due date and time").fill(due.strftime("%Y-%m-%dT%H:%M"))
    return form
