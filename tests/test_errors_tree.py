"""The exception tree drawn in ``errors.py``'s docstring is the real one: every exception
class of the package is drawn once, under the class it derives from, in the module named."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import feedgen_pod
from feedgen_pod import errors

#: a drawn class: its depth in the tree, its name, and the ``[module; also Base]`` note
_NODE = re.compile(r"^(?P<indent>[│ ]*)[├└]── (?P<name>\w+)\s*(?:\[(?P<note>[^\]]*)\])?")
_ROOT = re.compile(r"^(?P<name>\w+)(?: \((?P<package>\w+)\))?\s*$")


def drawn() -> dict[str, tuple[str, str, frozenset[str]]]:
    """name → (module, parent's name, other bases' names), read from the docstring."""
    doc = errors.__doc__ or ""
    block = doc.split("::\n", 1)[1].split("\n\n", 1)[0]
    tree: dict[str, tuple[str, str, frozenset[str]]] = {}
    parents: list[str] = []
    for line in block.splitlines():
        line = line[4:]
        root = _ROOT.match(line)
        if root:
            parents = [root.group("name")]
            continue
        node = _NODE.match(line)
        if not node:
            continue  # a description's second line
        depth = len(node.group("indent")) // 4
        parents = [*parents[: depth + 1], node.group("name")]
        module, _, also = (node.group("note") or "errors").partition("; also ")
        others = frozenset(filter(None, (b.strip() for b in also.split(","))))
        assert node.group("name") not in tree, f"{node.group('name')} is drawn twice"
        tree[node.group("name")] = ("feedgen_pod." + module, parents[depth], others)
    return tree


def real() -> dict[str, tuple[str, str, frozenset[str]]]:
    """The same for every public exception class defined in the package."""
    found: dict[str, tuple[str, str, frozenset[str]]] = {}
    for info in pkgutil.walk_packages(feedgen_pod.__path__, "feedgen_pod."):
        if info.name == "feedgen_pod.__main__":
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseException)
                and obj.__module__ == info.name
                and not name.startswith("_")
            ):
                first, *others = obj.__bases__
                found[name] = (info.name, first.__name__, frozenset(b.__name__ for b in others))
    return found


def test_the_drawn_tree_is_the_class_hierarchy() -> None:
    assert drawn() == real()


def test_the_reader_sees_the_whole_tree() -> None:
    """The parser of the drawing finds the nesting (no test that cannot fail)."""
    tree = drawn()
    assert tree["FieldError"] == (
        "feedgen_pod.load.field_base",
        "InputError",
        frozenset({"ValueError"}),
    )
    assert tree["PublishError"][1] == "FeedgenPodError"
    assert tree["Terminated"] == ("feedgen_pod.cli", "BaseException", frozenset())
    assert len(tree) >= 15
