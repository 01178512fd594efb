"""What the test_dashboard_* modules share: the page as a reader sees it, and traffic to look at."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.integration.test_stats_aggregate import DAY, at, rollup, visit

ON_DAY = {"period": "day", "date": DAY.isoformat()}
WBR = "\x00"  # a line-break opportunity inside a word: no space in the text


class _Text(HTMLParser):
    """The text of a page as a reader gets it (no tags, whitespace collapsed), and every link."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "wbr":
            self.parts.append(WBR)
        if tag == "a":
            self.links.extend(value or "" for name, value in attrs if name == "href")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def parse(html: str) -> _Text:
    parser = _Text()
    parser.feed(html)
    return parser


def page_text(html: str) -> str:
    joined = " ".join(parse(html).parts).replace(f" {WBR} ", "")
    return re.sub(r"\s+", " ", joined).strip()


def links(html: str) -> list[str]:
    return parse(html).links


def query_of(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query)


def granted_reader(client: Any, make_user: Any, login_as: Any, site: Any) -> Callable[..., Any]:
    """ask(path="", lang="nl", **params) -> response of /sites/<key>/<path> as a granted marketing user."""
    login_as(make_user("marketing", [site]))

    def ask(path: str = "", lang: str = "nl", **params: Any) -> Any:
        return client.get(f"/sites/{site.key}/{path}", query_string=params, headers={"Accept-Language": lang})

    return ask


def seed_traffic(site: Any) -> Any:
    """DAY: 6 direct one-page visits and 6 from Google over two pages; the day before: 6 direct visits."""
    for index in range(12):
        google = index % 2 == 1
        visit(
            site,
            at(DAY, 9 + index % 8),
            pages=("/", "/contact") if google else ("/",),
            source="Google" if google else "Direct / None",
            channel="search" if google else "direct",
            device="mobile" if google else "desktop",
        )
    for _ in range(6):
        visit(site, at(DAY - timedelta(days=1)))
    rollup(DAY - timedelta(days=1), DAY)
    return site
