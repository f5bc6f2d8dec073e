"""Formatters: a list of ``LinkResult`` → text. One small module per format, one registry."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..types import LinkResult, Source, Status
from . import github, jsonout, junit, markdown, text

#: name → formatter(results, colour, failing statuses) → text
FORMATS: dict[str, Callable[[list[LinkResult], bool, frozenset[Status]], str]] = {
    "text": text.render,
    "json": jsonout.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}


def rows(results: list[LinkResult]) -> Iterator[tuple[Source, LinkResult]]:
    """(place, result) for every place of every result, in file and line order."""
    pairs = [(source, result) for result in results for source in result.sources]
    pairs.sort(key=lambda p: (p[0].path, p[0].line, p[0].field, p[1].url))
    return iter(pairs)
