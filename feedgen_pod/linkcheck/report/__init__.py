"""Formatters: a list of ``LinkResult`` → text. One small module per format, one registry."""

from __future__ import annotations

from collections.abc import Callable

from ..types import LinkResult, Status
from . import github, jsonout, junit, markdown, text

Formatter = Callable[[list[LinkResult], bool, frozenset[Status]], str]

#: format name → formatter(results, colour, failing statuses) → text
FORMATS: dict[str, Formatter] = {
    "text": text.render,
    "json": jsonout.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}
