"""What one build left in ``dist/`` and read: the manifest's entries, the show key, the summaries.

Every file an episode or the show produced is claimed with the build's ``DistWriter`` (two
outputs at one path are an error) and listed here; the listing becomes ``manifest.json`` and the
key of the show-level files.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..contenttypes import content_type
from ..errors import OutputError, Problem
from ..model import Episode
from . import manifest
from .cache import OutputRecord
from .episode import Written
from .writer import DistWriter


class Listing:
    """The files of one build, in the order the manifest lists them."""

    def __init__(self, writer: DistWriter, global_key: str, now: datetime | None = None):
        self.writer = writer
        #: the time a live item's status is read at (it changes with the time alone)
        self.now = now
        self.files: list[manifest.FileEntry] = []
        #: each episode as the show-level files read it, in file order
        self.summaries: list[Episode] = []
        #: what the show-level files depend on: every episode's inputs and audio
        self.show_key = hashlib.sha256(global_key.encode())

    def episode(
        self, slug: str, source_hash: str, deps: dict[str, str | None], summary: Episode
    ) -> None:
        """An episode built or reused: its summary, and its inputs in the show key."""
        self.summaries.append(summary)
        self.show_key.update(f"{slug}\0{source_hash}\0{sorted(deps.items())}\0".encode())
        self.show_key.update(repr(summary.audio).encode())
        if summary.live is not None and self.now is not None:
            self.show_key.update(summary.live.status(self.now).encode())

    def keep(self, records: list[OutputRecord], slug: str | None, where: str) -> list[Problem]:
        """Claim and list files a previous build wrote and this one reuses untouched."""
        problems = []
        for record in records:
            try:
                self.writer.keep(record.path)
            except OutputError as exc:  # same check, same message as a fresh build
                problems.append(Problem(where, None, None, str(exc), kind="output-unwritable"))
                continue
            self.add(record, slug)
        return problems

    def adopt(
        self, written: tuple[Written, ...], problems: list[Problem], where: str, slug: str
    ) -> list[OutputRecord]:
        """Claim and list the files a worker wrote for one episode."""
        records = []
        for file in written:
            try:
                self.writer.adopt(file.record.path, file.changed)
            except OutputError as exc:
                problems.append(Problem(where, None, None, str(exc), kind="output-unwritable"))
                continue
            records.append(file.record)
            self.add(file.record, slug)
        return records

    def add(self, record: OutputRecord, slug: str | None) -> None:
        self.files.append(
            manifest.FileEntry(
                record.path, record.size, record.sha256, content_type(record.path), slug
            )
        )
