"""People profiles: ``people/<key>.md`` with name, picture and profile handles, bio in the body."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import Problem, Severity, display_path
from ..model import Person
from . import frontmatter
from .field_base import FieldError
from .fields import checked_image

_HANDLE = re.compile(r"^@?([A-Za-z0-9_.-]+)/?$")


def load_people(directory: Path, problems: list[Problem]) -> dict[str, Person]:
    """Every ``*.md`` profile in ``directory`` by key (the file name without ``.md``)."""
    people: dict[str, Person] = {}
    if not directory.is_dir():
        problems.append(
            Problem(
                display_path(directory),
                None,
                None,
                "people directory not found; guests will show by their key",
                Severity.WARNING,
                kind="people-dir-missing",
            )
        )
        return people
    for path in sorted(directory.glob("*.md")):
        key = path.name.removesuffix(".md").removesuffix(".md")
        person = load_person(path, key, problems)
        if person is not None:
            people[key] = person
    return people


def load_person(path: Path, key: str, problems: list[Problem]) -> Person | None:
    where = display_path(path)
    try:
        doc = frontmatter.parse(frontmatter.decode(frontmatter.read_bounded(path)))
    except frontmatter.FrontMatterError as exc:
        problems.append(Problem(where, exc.line, exc.field, exc.message, kind="yaml-invalid"))
        return None
    except OSError as exc:
        problems.append(
            Problem(where, None, None, f"cannot read: {exc.strerror}", kind="file-unreadable")
        )
        return None
    data = doc.data
    for line, message in doc.errors:
        problems.append(Problem(where, line, None, message, kind="yaml-invalid"))
    for line, fld, message in doc.warnings:
        problems.append(Problem(where, line, fld, message, kind="yaml-duplicate-key"))

    def text(field: str) -> str | None:
        value = data.get(field)
        if value is None or value == "":
            return None
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip() or None
        problems.append(
            Problem(
                where,
                doc.lines.get(field),
                field,
                f"expected text, got {type(value).__name__}; the field is ignored",
                kind="field-invalid",
            )
        )
        return None

    name = " ".join((text("title") or text("name") or key).split())
    picture_url, unsafe = picture(text("picture"), where, doc.lines.get("picture"))
    if unsafe is not None:
        problems.append(unsafe)
    return Person(
        key=key,
        name=name,
        picture=picture_url,
        github_url=profile_url("github", text("github")),
        x_url=profile_url("twitter", text("twitter") or text("x")),
        linkedin_url=profile_url("linkedin", text("linkedin")),
        website_url=profile_url("web", text("web")),
        bio=doc.body.strip(),
        source=path,
        field_lines=dict(doc.lines),
        body_line=doc.body_line,
    )


def picture(value: str | None, where: str, line: int | None) -> tuple[str | None, Problem | None]:
    """The picture path or URL when it is safe to link to (no ``..``, no ``javascript:``),
    else None and the problem that says why."""
    if value is None:
        return None, None
    try:
        return checked_image(value), None
    except FieldError as exc:
        return None, Problem(where, line, "picture", f"{exc}; ignored", kind="field-invalid")


_PROFILE_BASES = {
    "github": "https://github.com/{}",
    "twitter": "https://x.com/{}",
    "linkedin": "https://www.linkedin.com/in/{}/",
}


def profile_url(kind: str, value: str | None) -> str | None:
    """A handle or a whole URL to one canonical URL (``agrigorev`` → LinkedIn profile URL).

    >>> profile_url("linkedin", "https://www.linkedin.com/in/pastorsoto/")
    'https://www.linkedin.com/in/pastorsoto/'
    >>> profile_url("twitter", "@Al_Grigor")
    'https://x.com/Al_Grigor'
    >>> profile_url("web", "example.com")
    'https://example.com'
    """
    if not value:
        return None
    value = value.strip()
    if value.lower() in {"todo", "tba", "-", "none"}:
        return None
    if re.match(r"^https?://", value, re.I):
        return value
    if kind in _PROFILE_BASES:
        if "/" in value.strip("/") or ("." in value.split("/")[0] and kind != "github"):
            return "https://" + value.lstrip("/")
        match = _HANDLE.match(value)
        return _PROFILE_BASES[kind].format(match.group(1)) if match else None
    return "https://" + value


def resolve(
    keys: Iterable[str], people: Mapping[str, Person]
) -> tuple[tuple[Person, ...], list[str]]:
    """People for ``keys``; a key with no profile becomes a name-only Person and is returned."""
    resolved: list[Person] = []
    missing: list[str] = []
    for key in keys:
        person = people.get(key)
        if person is None:
            missing.append(key)
            person = Person(key=key, name=key)
        resolved.append(person)
    return tuple(resolved), missing
