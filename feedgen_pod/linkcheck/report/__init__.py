"""Formatters: the report document (``document.build``) → text. One small module per format,
one registry; JSON is the document itself, the others are made from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import github, jsonout, junit, markdown, text

#: (document, colour) → the report's text
Formatter = Callable[[Mapping[str, Any], bool], str]

#: format name → formatter(document, colour) → text
FORMATS: dict[str, Formatter] = {
    "text": text.render,
    "json": jsonout.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}
