"""JSON: the report document itself (``document.build``); for scripts, dashboards and the
other formats."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson


def render(doc: Mapping[str, Any], colour: bool = False) -> str:
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode() + "\n"
