"""Markdown for a GitHub job summary (``$GITHUB_STEP_SUMMARY``): the counts, then a section
for broken links (with since when), unverifiable ones, replacements (suggested, in the patch or
written) and redirects, each place a ``file:line`` link when the files' address is known."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .document import rows, since, summary_line


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _where(source: Mapping[str, Any]) -> str:
    place = f"{source['path']}:{source['line']}" if source["line"] else source["path"]
    if source.get("href"):
        return f"[{_cell(place)}]({source['href']})"
    return f"`{_cell(place)}`"


def _broken(doc: Mapping[str, Any]) -> list[str]:
    found = list(rows(doc, "broken"))
    if not found:
        return []
    out = [
        "### Broken",
        "",
        "| status | where | field | link | why | since |",
        "|---|---|---|---|---|---|",
    ]
    for source, item in found:
        status = "**broken**" if item["failing"] else "broken (warning)"
        out.append(
            f"| {status} | {_where(source)} | {source['field']} | <{_cell(item['url'])}> | "
            f"{_cell(item['detail'])} | {_cell(since(item))} |"
        )
    return [*out, ""]


def _unverifiable(doc: Mapping[str, Any]) -> list[str]:
    found = list(rows(doc, "unverifiable"))
    if not found:
        return []
    out = [
        "### Unverifiable",
        "",
        "The site does not let a checker see these pages; they may work in a browser.",
        "",
        "| status | where | field | link | why |",
        "|---|---|---|---|---|",
    ]
    for source, item in found:
        status = f"**{item['status']}**" if item["failing"] else item["status"]
        out.append(
            f"| {status} | {_where(source)} | {source['field']} | <{_cell(item['url'])}> | "
            f"{_cell(item['detail'])} |"
        )
    return [*out, ""]


def _repaired(doc: Mapping[str, Any]) -> list[str]:
    found = [(s, i) for s, i in rows(doc, "broken") if i.get("suggestion")]
    if not found:
        return []
    mode, patch = doc["repair"]["mode"], doc["repair"]["patch"]
    note = {
        "written": "Replaced in the files.",
        "patch": f"In `{patch}`; apply it with `git apply {patch}`.",
    }.get(mode, "Suggested; `check-links --fix` writes them as a patch.")
    out = [
        "### Repaired",
        "",
        note,
        "",
        "| where | dead link | archived copy | captured | in patch |",
        "|---|---|---|---|---|",
    ]
    for source, item in found:
        suggestion = item["suggestion"]
        day = suggestion["captured"][:8]
        captured = f"{day[:4]}-{day[4:6]}-{day[6:8]}" if len(day) == 8 else day
        out.append(
            f"| {_where(source)} | <{_cell(item['url'])}> | <{_cell(suggestion['url'])}> | "
            f"{captured} | {'yes' if item['repaired'] else 'no'} |"
        )
    return [*out, ""]


def _redirected(doc: Mapping[str, Any]) -> list[str]:
    found = [(s, i) for s, i in rows(doc, "ok") if i["status"] == "redirected"]
    if not found:
        return []
    out = ["### Redirected", "", "| where | link | detail |", "|---|---|---|"]
    for source, item in found:
        out.append(f"| {_where(source)} | <{_cell(item['url'])}> | {_cell(item['detail'])} |")
    return [*out, ""]


def render(doc: Mapping[str, Any], colour: bool = False) -> str:
    verdict = "fails" if doc["failed"] else "passes"
    out = ["## Link check", "", f"{summary_line(doc)}. The check {verdict}.", ""]
    sections = _broken(doc) + _unverifiable(doc) + _repaired(doc) + _redirected(doc)
    out += sections or ["No problems found.", ""]
    return "\n".join(out).rstrip("\n") + "\n"
