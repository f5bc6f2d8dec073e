"""Formatters: a list of ``LinkResult`` → text. One small module per format, one registry."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from ..types import LinkResult, Source, Status

Formatter = Callable[[list[LinkResult], bool, frozenset[Status]], str]

#: format name → module whose ``render`` writes it
_MODULES = {
    "text": "text",
    "json": "jsonout",
    "junit": "junit",
    "github": "github",
    "markdown": "markdown",
}


class _Registry(Mapping[str, Formatter]):
    """name → formatter(results, colour, failing statuses) → text. A format's module is
    imported when that format is asked for: a run writes one, and junit's ElementTree or
    json's orjson are start-up time of every check otherwise."""

    def __getitem__(self, name: str) -> Formatter:
        module = importlib.import_module(f".{_MODULES[name]}", __package__)
        return module.render  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATS: Mapping[str, Formatter] = _Registry()


def rows(results: list[LinkResult]) -> Iterator[tuple[Source, LinkResult]]:
    """(place, result) for every place of every result, in file and line order."""
    pairs = [(source, result) for result in results for source in result.sources]
    pairs.sort(key=lambda p: (p[0].path, p[0].line, p[0].field, p[1].url))
    return iter(pairs)
