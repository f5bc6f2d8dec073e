"""YAML to Python values with the line of every field, by PyYAML's safe (C) loader.

The document is composed into nodes once; the nodes' marks give each field's line. A document
without anchors (nearly every one) is built in the same walk that records the lines; one with
anchors, explicit tags or merge keys is checked for alias bombs first and built by PyYAML's own
constructor. A number too long to convert stays text, so only its own field reports it.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from ..errors import InputError

try:  # libyaml is several times faster; fall back to pure Python where it is not built
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader  # type: ignore[assignment]

#: refuse documents whose aliases would expand past this many nodes
MAX_EXPANDED_NODES = 1_000_000
#: how deep line numbers are recorded (``quotableClips.2.url`` is depth 3)
LINE_DEPTH = 3
#: a whole number written longer than this stays text, so the field holding it reports it with
#: its line: no field takes a number that long, and Python refuses to read or write an integer
#: of more than 4,300 digits (``sec: 999…`` would end the run instead of costing one field)
MAX_NUMBER_CHARS = 100
#: where a YAML anchor (``&name``) may start (after a space, separator or the start); a false
#: match only costs the general path. Led by the literal ``&`` so the scan is a fast search.
_ANCHOR = re.compile(r"&(?<![^\s,:\[{]&)[^\s,\[\]{}]")


#: characters XML 1.0 forbids or YAML refuses in a stream (tab, LF, CR and NEL stay)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def has_controls(text: str) -> bool:
    """Whether ``text`` holds a ``CONTROL`` character. Each of them is unprintable, and
    ``str.isprintable`` (a table lookup a character) is cheaper than the expression's
    search: only text with some other unprintable character, line breaks aside
    (a tab, a no-break space), is searched."""
    return not text.replace("\n", "").isprintable() and CONTROL.search(text) is not None


class FrontMatterError(InputError, ValueError):
    """The file's front matter cannot be read; ``line`` is 1-based in the file."""

    def __init__(self, message: str, line: int | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.field = field


def load_nodes(
    yaml_text: str,
    first_line: int,
    errors: list[tuple[int, str]],
    raw: dict[str, str] | None = None,
) -> tuple[Any, dict[str, int], list[tuple[int, str, str]]]:
    """(values, field lines, warnings). With ``raw``, the text of each number YAML 1.1 reads
    unlike it looks (``010`` is 8, ``1:08:22`` is 4102) is put there by its dotted path."""
    anchored = _ANCHOR.search(yaml_text) is not None
    loader = SafeLoader(yaml_text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines: dict[str, int] = {}
        warnings: list[tuple[int, str, str]] = []
        if anchored:  # anchors: shared nodes, merge keys, bombs to refuse
            _check_expansion(node, first_line)
            data = None
        else:
            data = _Builder(loader, first_line, lines, warnings, errors, raw).build(node)
        if data is None:
            lines.clear()
            warnings.clear()
            if raw is not None:
                raw.clear()
            _scrub_scalars(node, first_line, errors, loader)
            _record_lines(node, "", 0, first_line, lines, warnings, raw)
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        raise FrontMatterError(f"YAML does not parse: {exc.problem or exc}", line=line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"YAML does not parse: {exc}", line=first_line) from None
    except RecursionError:
        raise FrontMatterError("YAML is nested too deeply", line=first_line) from None
    except FrontMatterError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's own check
        raise FrontMatterError(f"YAML value cannot be read: {exc}", line=first_line) from None
    finally:
        loader.dispose()
    return data, lines, warnings


class _Fallback(Exception):
    """A node the fast path leaves to PyYAML's own constructor (explicit tags, merge keys)."""


_STR, _NULL, _BOOL, _INT, _FLOAT, _TIMESTAMP = (
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "int", "float", "timestamp")
)
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NUMBER_TAGS = frozenset((_INT, _FLOAT))


class _Builder:
    """Python values, field lines, duplicate keys and control-character repairs in one walk.

    PyYAML's constructor is generic (deep/shallow states, generators for recursive data);
    front matter without anchors is a tree of plain scalars, so one recursive walk that also
    records lines costs less than PyYAML's construction alone. Anything unusual raises
    ``_Fallback`` and the caller takes the general path, which gives the same result
    (``tests/test_frontmatter_paths.py`` compares the two on every real file).

    Measured on the corpus, the walk takes under half the general path's time an episode,
    which is about a fifth of a cold build of 200 episodes (``benchmarks/bench_all.py``).
    """

    def __init__(
        self,
        loader: Any,
        first_line: int,
        lines: dict[str, int],
        warnings: list[tuple[int, str, str]],
        errors: list[tuple[int, str]],
        raw: dict[str, str] | None = None,
    ):
        self.loader = loader
        self.first_line = first_line
        self.lines = lines
        self.warnings = warnings
        self.errors = errors
        self.raw = raw

    def build(self, node: yaml.Node) -> Any:
        """The document's value, or None when the general path must build it."""
        start = len(self.errors)
        try:
            return self._value(node, "", 0)
        except _Fallback:
            del self.errors[start:]
            return None

    def _value(self, node: yaml.Node, prefix: str, depth: int) -> Any:
        if type(node) is yaml.ScalarNode:
            return self._scalar(node)
        record = depth < LINE_DEPTH
        first = self.first_line
        if type(node) is yaml.MappingNode:
            if node.tag != "tag:yaml.org,2002:map":
                raise _Fallback
            out: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if (
                    type(key_node) is not yaml.ScalarNode
                    or key_node.tag == "tag:yaml.org,2002:merge"
                ):
                    raise _Fallback
                key = self._scalar(key_node)
                if record:
                    path = f"{prefix}{key_node.value}"
                    line = key_node.start_mark.line + first
                    if key in out:
                        self.warnings.append(
                            (line, path, "duplicate key: the last value wins; remove one")
                        )
                    self.lines[path] = line
                    out[key] = self._value(value_node, path + ".", depth + 1)
                    if (
                        self.raw is not None
                        and value_node.tag in _NUMBER_TAGS
                        and _misleading(value_node)
                    ):
                        self.raw[path] = value_node.value
                else:
                    out[key] = self._value(value_node, "", depth + 1)
            return out
        if type(node) is yaml.SequenceNode:
            if node.tag != "tag:yaml.org,2002:seq":
                raise _Fallback
            if not record:
                return [self._value(item, "", depth + 1) for item in node.value]
            items = []
            for index, item in enumerate(node.value):
                path = f"{prefix}{index}"
                self.lines[path] = item.start_mark.line + first
                items.append(self._value(item, path + ".", depth + 1))
            return items
        raise _Fallback

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            if has_controls(value):
                value = CONTROL.sub("", value)
                self.errors.append(
                    (
                        node.start_mark.line + self.first_line,
                        "a YAML escape makes a control character (not allowed in XML); "
                        "removed: delete the escape",
                    )
                )
            return value
        if tag == _INT:
            if len(value) > MAX_NUMBER_CHARS:
                return value
            if _PLAIN_INT.fullmatch(value):
                return int(value)
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            try:
                return self.loader.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                return value
        if tag in (_BOOL, _INT, _FLOAT):
            return self.loader.construct_object(node)
        raise _Fallback


def _record_lines(
    node: yaml.Node,
    prefix: str,
    depth: int,
    first_line: int,
    lines: dict[str, int],
    warnings: list[tuple[int, str, str]],
    raw: dict[str, str] | None = None,
) -> None:
    if depth >= LINE_DEPTH:
        return
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            path = f"{prefix}{key}"
            line = key_node.start_mark.line + first_line
            if key in seen:
                warnings.append((line, path, "duplicate key: the last value wins; remove one"))
            seen.add(key)
            lines[path] = line
            if raw is not None and _misleading(value_node):
                raw[path] = value_node.value
            _record_lines(value_node, path + ".", depth + 1, first_line, lines, warnings, raw)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            path = f"{prefix}{index}"
            lines[path] = item.start_mark.line + first_line
            _record_lines(item, path + ".", depth + 1, first_line, lines, warnings, raw)


def _misleading(node: yaml.Node) -> bool:
    """A number YAML 1.1 reads unlike it looks: octal ``010``, base 60 ``1:08:22``, ``0x1F``."""
    return (
        type(node) is yaml.ScalarNode
        and node.tag in (_INT, _FLOAT)
        and not _PLAIN_INT.fullmatch(node.value)
        and (node.tag == _INT or ":" in node.value)
    )


def _check_expansion(root: yaml.Node, first_line: int) -> None:
    """Refuse alias bombs: count nodes as if every alias were expanded, with memoisation."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    on_path: set[int] = set()
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            total = 1 + sum(sizes[id(c)] for c in children)
            sizes[key] = total
            if total > MAX_EXPANDED_NODES:
                raise FrontMatterError(
                    "YAML aliases expand to more than "
                    f"{MAX_EXPANDED_NODES:,} values (an alias bomb); remove the anchors",
                    line=node.start_mark.line + first_line,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise FrontMatterError(
                "YAML refers to itself (recursive alias)", line=node.start_mark.line + first_line
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in _children(node) if id(c) not in sizes)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _scrub_scalars(
    root: yaml.Node, first_line: int, errors: list[tuple[int, str]], loader: Any
) -> None:
    """Remove control characters that YAML escapes (``"\\0"``) put into values, before use.

    A date YAML cannot construct (``2024-13-45``) and a whole number longer than
    ``MAX_NUMBER_CHARS`` are kept as text, so the field's own parser reports them with their
    line instead of the whole file failing.
    """
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    loader.construct_yaml_timestamp(node)
                except (ValueError, OverflowError):
                    node.tag = "tag:yaml.org,2002:str"
            elif node.tag == _INT and len(node.value) > MAX_NUMBER_CHARS:
                node.tag = "tag:yaml.org,2002:str"
            if isinstance(node.value, str) and has_controls(node.value):
                node.value = CONTROL.sub("", node.value)
                errors.append(
                    (
                        node.start_mark.line + first_line,
                        "a YAML escape makes a control character (not allowed in XML); "
                        "removed: delete the escape",
                    )
                )
        else:
            stack.extend(_children(node))
