"""The order every report lists problems in: by file, line and field."""

from __future__ import annotations

from collections.abc import Iterator

from ..types import LinkResult, Source


def rows(results: list[LinkResult]) -> Iterator[tuple[Source, LinkResult]]:
    """(place, result) for every place of every result, in file and line order."""
    pairs = [(source, result) for result in results for source in result.sources]
    pairs.sort(key=lambda p: (p[0].path, p[0].line, p[0].field, p[1].url))
    return iter(pairs)
