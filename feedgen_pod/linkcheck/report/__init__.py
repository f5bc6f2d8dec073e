"""Formatters: the report document (``document.build``) → text. One small module per format,
one registry; JSON is the document itself, the others are made from it."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

#: (document, colour) → the report's text
Formatter = Callable[[Mapping[str, Any], bool], str]

#: format name → module whose ``render`` writes it
_MODULES = {
    "text": "text",
    "json": "jsonout",
    "junit": "junit",
    "github": "github",
    "markdown": "markdown",
}


class _Registry(Mapping[str, Formatter]):
    """name → formatter(document, colour) → text. A format's module is imported when that
    format is asked for: a run writes one or two, and junit's ElementTree or json's orjson are
    start-up time of every check otherwise."""

    def __getitem__(self, name: str) -> Formatter:
        module = importlib.import_module(f".{_MODULES[name]}", __package__)
        return module.render  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


FORMATS: Mapping[str, Formatter] = _Registry()
