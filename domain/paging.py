"""Paging a list: how many pages it makes, and which page is shown (an old or forged page number
is clamped to the nearest page there is)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def page_count(total: int, size: int) -> int:
    """Pages of ``size`` for ``total`` items; an empty list is one (empty) page."""
    return max(1, -(-total // size))


def clamp(page: int, pages: int) -> int:
    return min(max(page, 0), pages - 1)


def page_of(items: Sequence[T], page: int, size: int) -> tuple[list[T], int, int]:
    """The items of a page (clamped), the page and the number of pages."""
    pages = page_count(len(items), size)
    page = clamp(page, pages)
    return list(items[page * size : (page + 1) * size]), page, pages
