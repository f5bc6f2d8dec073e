"""Formatters: a ``Diff`` → text. One small module per format, one registry."""

from __future__ import annotations

from collections.abc import Callable

from ..compare import Diff
from . import github, jsonout, markdown, text

Formatter = Callable[[Diff], str]

#: format name → formatter
FORMATS: dict[str, Formatter] = {
    "text": text.render,
    "json": jsonout.render,
    "markdown": markdown.render,
    "github": github.render,
}
