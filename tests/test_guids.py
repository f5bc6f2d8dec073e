"""Our name-based UUIDs are the standard library's, byte for byte."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from feedgen_pod.guids import PODCAST_NAMESPACE, URL_NAMESPACE, uuid5


@given(st.uuids(), st.text())
def test_uuid5_is_the_standard_librarys(namespace: uuid.UUID, name: str) -> None:
    expected = str(uuid.uuid5(namespace, name))
    for form in (str(namespace), namespace.hex.upper(), f"{{{namespace}}}", namespace.urn):
        assert uuid5(form, name) == expected


def test_the_namespaces_are_the_ones_named() -> None:
    name = "podcastindex.org/namespace/1.0"
    podcast = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert uuid5(PODCAST_NAMESPACE, name) == str(uuid.uuid5(podcast, name))
    assert str(uuid.NAMESPACE_URL) == URL_NAMESPACE


def test_a_namespace_that_is_not_a_uuid_still_gives_one_stable_guid() -> None:
    assert uuid5("my-show", "e1") == uuid5("my-show", "e1") != uuid5("my-show", "e2")
    assert uuid.UUID(uuid5("my-show", "e1")).version == 5
