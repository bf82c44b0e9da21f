"""Statements → indicators: frameworks as data, cue + TF-IDF scoring, evidence, corpus views.

A framework (``lexicons/frameworks/*.yaml``) lists indicators with weighted cue terms and regexes.
Every sentence is scored against every indicator by two signals that fail differently:

* cue strength — cue terms found with the Aho-Corasick :class:`~nqpf_text.match.TermIndex` on the
  normalized text (so word segmentation never hides a cue), combined as a noisy-or of their weights and
  damped by the indicator's ``anti`` cues;
* TF-IDF similarity — cosine between the sentence and the indicator's profile (jieba tokens weighted
  by jieba's general-language IDF, so a score never depends on the rest of the corpus), which ranks
  indicators that share vocabulary when a sentence paraphrases beyond the cue list.

A logistic function of both (coefficients in the framework's ``scoring`` block, one global threshold)
gives a calibrated score in [0, 1]. Every link carries its evidence: the matched cue strings and the
top shared terms, each with its document offsets.
"""

from __future__ import annotations

import bisect
import copy
import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import regex
import yaml

from .errors import InputError, NqpfError
from .lexicon import compose_yaml, pattern_problems
from .match import TermIndex
from .match import required_literals as _required_literals
from .offsets import CharTable
from .resources import lexicon_dir
from .tag import PATTERN_TIMEOUT
from .types import Document, IndicatorLink, Statement

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Cue",
    "Framework",
    "Indicator",
    "IndicatorLinker",
    "Node",
    "Scoring",
    "attention_matrix",
    "attention_table",
    "calibrate_scoring",
    "evaluate_links",
    "framework_names",
    "indicator_table",
    "links_frame",
    "load_gold",
    "never_addressed",
    "region_indicator_table",
    "required_literals",
    "rollup",
    "statements_frame",
]

LEVELS = ("indicator", "second", "first")

# ---------------------------------------------------------------------------------------------------
# Framework files
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """A weighted cue: an exact ``term`` or a regex ``pattern`` (Python ``re``)."""

    indicator: str
    weight: float
    term: str | None = None
    pattern: str | None = None

    @property
    def surface(self) -> str:
        return self.term if self.term is not None else f"/{self.pattern}/"


@dataclass(frozen=True)
class Node:
    """A first- or second-level node of a framework (``level`` 1 or 2)."""

    id: str
    name: str
    level: int
    parent: str | None = None
    children: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Indicator:
    """A leaf: the unit statements link to and panels score."""

    id: str
    name: str
    parent: str | None
    measure: str = ""
    direction: str = "+"
    description: str = ""
    cues: tuple[Cue, ...] = ()
    anti: tuple[Cue, ...] = ()
    profile: str = ""
    sources: tuple[str, ...] = ()
    components: tuple[dict[str, Any], ...] = ()
    line: int = 0


@dataclass(frozen=True)
class Scoring:
    """score = logistic(cue·cue_strength + similarity·tfidf_cosine + bias); link when ≥ threshold."""

    cue: float = 9.0
    similarity: float = 6.0
    bias: float = -5.5
    threshold: float = 0.5

    def score(self, cue: np.ndarray, sim: np.ndarray) -> np.ndarray:
        z = self.cue * cue + self.similarity * sim + self.bias
        return 1.0 / (1.0 + np.exp(-z))


_TOP_KEYS = {
    "framework", "version", "name", "source", "description", "levels", "indicators", "exclude", "veto", "scoring",
    "notes", "sources",
}  # fmt: skip
_NODE_KEYS = {"id", "name", "children", "description", "notes"}
_LEAF_KEYS = {
    "id", "parent", "name", "measure", "direction", "description", "cues", "anti", "profile", "sources",
    "components", "notes",
}  # fmt: skip
_CUE_KEYS = {"term", "pattern", "weight", "notes"}
_SCORING_KEYS = {"cue", "similarity", "bias", "threshold"}
_DIRECTIONS = {"+": "+", "-": "-", "−": "-", "正": "+", "负": "-"}


class _Loc:
    """A value from ``yaml.safe_load`` paired with its composed node, for line numbers in errors."""

    __slots__ = ("node", "path", "value")

    def __init__(self, value: Any, node: yaml.Node | None, path: str) -> None:
        self.value = value
        self.node = node
        self.path = path

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def fail(self, detail: str) -> InputError:
        return InputError(self.path, detail, place=f"line {self.line}")

    def get(self, key: str) -> _Loc | None:
        if not isinstance(self.value, dict) or key not in self.value:
            return None
        node = None
        if isinstance(self.node, yaml.MappingNode):
            for knode, vnode in self.node.value:
                if getattr(knode, "value", None) == key:
                    node = vnode
                    break
        return _Loc(self.value[key], node or self.node, self.path)

    def key_line(self, key: str) -> int:
        if isinstance(self.node, yaml.MappingNode):
            for knode, _ in self.node.value:
                if getattr(knode, "value", None) == key:
                    return knode.start_mark.line + 1
        return self.line

    def items(self) -> list[_Loc]:
        nodes = self.node.value if isinstance(self.node, yaml.SequenceNode) else [None] * len(self.value)
        return [_Loc(v, n or self.node, self.path) for v, n in zip(self.value, nodes, strict=False)]


def _parse_yaml(path: Path) -> _Loc:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read framework file ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(path, "framework file is not UTF-8", place=f"byte {exc.start}") from None
    try:
        value, node = compose_yaml(path, text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(path, f"invalid YAML: {problem}", place=place) from None
    return _Loc(value, node, str(path))


def _string(loc: _Loc | None, what: str, parent: _Loc, *, required: bool = True) -> str:
    if loc is None or loc.value is None:
        if required:
            raise parent.fail(f"{what} is missing")
        return ""
    if isinstance(loc.value, bool) or not isinstance(loc.value, str | int | float):
        raise loc.fail(f"{what} must be a string; got {type(loc.value).__name__}")
    return str(loc.value).strip()


def _check_keys(loc: _Loc, allowed: set[str], what: str) -> None:
    if not isinstance(loc.value, dict):
        raise loc.fail(f"{what} must be a mapping; got {type(loc.value).__name__}")
    for key in loc.value:
        if key not in allowed:
            raise InputError(
                loc.path, f"{what}: unknown key {key!r} (allowed: {', '.join(sorted(allowed))})",
                place=f"line {loc.key_line(str(key))}",
            )  # fmt: skip


def _parse_cue(loc: _Loc, indicator: str, what: str) -> Cue:
    if isinstance(loc.value, str):  # a bare string is a term of weight 1
        return Cue(indicator, 1.0, term=loc.value)
    _check_keys(loc, _CUE_KEYS, what)
    term, pattern = loc.get("term"), loc.get("pattern")
    if (term is None) == (pattern is None):
        raise loc.fail(f"{what} needs exactly one of 'term' or 'pattern'")
    weight_loc = loc.get("weight")
    weight = 1.0 if weight_loc is None else weight_loc.value
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 1:
        raise (weight_loc or loc).fail(f"{what}: weight must be a number in (0, 1]; got {weight!r}")
    if term is not None:
        text = _string(term, f"{what} term", loc)
        if not text:
            raise term.fail(f"{what}: empty term")
        return Cue(indicator, float(weight), term=text)
    assert pattern is not None
    rx = _string(pattern, f"{what} pattern", loc)
    try:
        re.compile(rx)
    except re.error as exc:
        raise pattern.fail(f"{what}: invalid regular expression {rx!r} ({exc})") from None
    problems = pattern_problems(rx)
    if problems and "almost any text" not in problems[0]:
        raise pattern.fail(f"{what}: {problems[0]}")
    return Cue(indicator, float(weight), pattern=rx)


def _parse_cues(loc: _Loc | None, indicator: str, what: str) -> tuple[Cue, ...]:
    if loc is None or loc.value is None:
        return ()
    if not isinstance(loc.value, list):
        raise loc.fail(f"{what} must be a list")
    return tuple(
        _parse_cue(item, indicator, f"{indicator} {what}[{i}]") for i, item in enumerate(loc.items())
    )


def _parse_levels(loc: _Loc | None) -> tuple[Node, ...]:
    if loc is None or loc.value is None:
        return ()
    if not isinstance(loc.value, list):
        raise loc.fail("levels must be a list of nodes")
    nodes: list[Node] = []
    for item in loc.items():
        _check_keys(item, _NODE_KEYS, "level node")
        nid = _string(item.get("id"), "level node id", item)
        children_loc = item.get("children")
        children: list[Node] = []
        if children_loc is not None and children_loc.value is not None:
            if not isinstance(children_loc.value, list):
                raise children_loc.fail(f"children of {nid} must be a list")
            for child in children_loc.items():
                _check_keys(child, _NODE_KEYS - {"children"}, f"child of {nid}")
                cid = _string(child.get("id"), "level node id", child)
                children.append(
                    Node(cid, _string(child.get("name"), f"name of {cid}", child), 2, nid, line=child.line)
                )
        nodes.append(
            Node(
                nid,
                _string(item.get("name"), f"name of {nid}", item),
                1,
                None,
                tuple(c.id for c in children),
                line=item.line,
            )
        )
        nodes.extend(children)
    return tuple(nodes)


def _parse_leaf(item: _Loc, node_ids: set[str]) -> Indicator:
    _check_keys(item, _LEAF_KEYS, "indicator")
    iid = _string(item.get("id"), "indicator id", item)
    parent_loc = item.get("parent")
    parent = _string(parent_loc, f"{iid} parent", item, required=bool(node_ids)) or None
    if parent is not None and parent not in node_ids:
        raise (parent_loc or item).fail(f"{iid}: parent {parent!r} is not a level node")
    direction_loc = item.get("direction")
    direction = _string(direction_loc, f"{iid} direction", item, required=False) or "+"
    if direction not in _DIRECTIONS:
        raise (direction_loc or item).fail(f"{iid}: direction must be '+' or '-'; got {direction!r}")
    sources_loc = item.get("sources")
    sources: tuple[str, ...] = ()
    if sources_loc is not None and sources_loc.value is not None:
        if not isinstance(sources_loc.value, list):
            raise sources_loc.fail(f"{iid}: sources must be a list of strings")
        sources = tuple(str(s) for s in sources_loc.value)
    comp_loc = item.get("components")
    components: tuple[dict[str, Any], ...] = ()
    if comp_loc is not None and comp_loc.value is not None:
        if not isinstance(comp_loc.value, list) or not all(isinstance(c, dict) for c in comp_loc.value):
            raise comp_loc.fail(f"{iid}: components must be a list of mappings")
        for comp in comp_loc.items():
            _string(comp.get("id"), f"{iid} component id", comp)
            _string(comp.get("name"), f"{iid} component name", comp)
        components = tuple(comp_loc.value)
    return Indicator(
        id=iid,
        name=_string(item.get("name"), f"{iid} name", item),
        parent=parent,
        measure=_string(item.get("measure"), f"{iid} measure", item, required=False),
        direction=_DIRECTIONS[direction],
        description=_string(item.get("description"), f"{iid} description", item, required=False),
        cues=_parse_cues(item.get("cues"), iid, "cues"),
        anti=_parse_cues(item.get("anti"), iid, "anti"),
        profile=_string(item.get("profile"), f"{iid} profile", item, required=False),
        sources=sources,
        components=components,
        line=item.get("id").line if item.get("id") else item.line,
    )


def _parse_scoring(loc: _Loc | None) -> Scoring:
    if loc is None or loc.value is None:
        return Scoring()
    _check_keys(loc, _SCORING_KEYS, "scoring")
    values: dict[str, float] = {}
    for key in _SCORING_KEYS:
        sub = loc.get(key)
        if sub is None:
            continue
        if (
            isinstance(sub.value, bool)
            or not isinstance(sub.value, int | float)
            or not math.isfinite(sub.value)
        ):
            raise sub.fail(f"scoring.{key} must be a number; got {sub.value!r}")
        values[key] = float(sub.value)
    if not 0 < values.get("threshold", 0.5) < 1:
        raise loc.fail("scoring.threshold must be in (0, 1)")
    return Scoring(**values)


def framework_names() -> list[str]:
    """Names of the frameworks that ship with the package."""
    folder = lexicon_dir() / "frameworks"
    return sorted(p.stem for p in folder.glob("*.yaml"))


@dataclass(frozen=True, eq=False)
class Framework:
    """An indicator framework: first/second-level nodes and weighted-cue leaves, read from YAML."""

    name: str
    version: str
    title: str
    source: str
    description: str
    levels: tuple[Node, ...]
    indicators: tuple[Indicator, ...]
    exclude: tuple[str, ...] = ()
    veto: tuple[Cue, ...] = ()
    scoring: Scoring = field(default_factory=Scoring)
    path: str = ""

    @classmethod
    def load(cls, name_or_path: str | Path) -> Framework:
        """A shipped framework by name (``hqe21``, ``elements5``) or a user's YAML file by path."""
        path = Path(name_or_path)
        if path.suffix.lower() not in {".yaml", ".yml"} and not path.exists():
            shipped = lexicon_dir() / "frameworks" / f"{name_or_path}.yaml"
            if not shipped.exists():
                known = ", ".join(framework_names()) or "none"
                raise InputError(name_or_path, f"unknown framework (shipped: {known}; or give a YAML path)")
            path = shipped
        return cls.from_file(path)

    @classmethod
    def from_file(cls, path: str | Path) -> Framework:
        path = Path(path)
        root = _parse_yaml(path)
        if not isinstance(root.value, dict):
            raise root.fail("a framework file must be a mapping with 'framework' and 'indicators'")
        _check_keys(root, _TOP_KEYS, "framework file")
        name = _string(root.get("framework"), "'framework' (the framework's name)", root)
        levels = _parse_levels(root.get("levels"))
        leaves_loc = root.get("indicators")
        if leaves_loc is None or not isinstance(leaves_loc.value, list) or not leaves_loc.value:
            raise (leaves_loc or root).fail("'indicators' must be a non-empty list of leaves")
        node_ids = {node.id for node in levels}
        leaves = [_parse_leaf(item, node_ids) for item in leaves_loc.items()]
        cls._check_ids(levels, leaves, leaves_loc)
        exclude_loc = root.get("exclude")
        exclude: tuple[str, ...] = ()
        if exclude_loc is not None and exclude_loc.value is not None:
            if not isinstance(exclude_loc.value, list) or not all(
                isinstance(s, str) and s for s in exclude_loc.value
            ):
                raise exclude_loc.fail("exclude must be a list of non-empty strings")
            exclude = tuple(exclude_loc.value)
        return cls(
            name=name,
            version=_string(root.get("version"), "version", root, required=False) or "0",
            title=_string(root.get("name"), "name", root, required=False) or name,
            source=_string(root.get("source"), "source", root, required=False),
            description=_string(root.get("description"), "description", root, required=False),
            levels=levels,
            indicators=tuple(leaves),
            exclude=exclude,
            veto=_parse_cues(root.get("veto"), "*", "veto"),
            scoring=_parse_scoring(root.get("scoring")),
            path=str(path),
        )

    @staticmethod
    def _check_ids(levels: Sequence[Node], leaves: Sequence[Indicator], loc: _Loc) -> None:
        seen: dict[str, str] = {}
        for node in levels:
            if node.id in seen:
                raise InputError(loc.path, f"duplicate id {node.id!r} in levels", place=f"line {node.line}")
            seen[node.id] = "node"
        for leaf in leaves:
            place = f"line {leaf.line}"
            if leaf.id in seen:
                raise InputError(loc.path, f"duplicate id {leaf.id!r}", place=place)
            seen[leaf.id] = "leaf"
            if not leaf.cues and not leaf.profile:
                raise InputError(loc.path, f"{leaf.id}: needs cues or a profile to be linkable", place=place)

    # -- lookups -------------------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        return [leaf.id for leaf in self.indicators]

    @property
    def directions(self) -> dict[str, str]:
        return {leaf.id: leaf.direction for leaf in self.indicators}

    def indicator(self, iid: str) -> Indicator:
        for leaf in self.indicators:
            if leaf.id == iid:
                return leaf
        raise KeyError(iid)

    def node(self, nid: str) -> Node:
        for node in self.levels:
            if node.id == nid:
                return node
        raise KeyError(nid)

    def ancestors(self, iid: str) -> dict[str, str]:
        """``{"indicator": id, "second": …, "first": …}`` — missing levels repeat the nearest one."""
        leaf = self.indicator(iid)
        out = {"indicator": leaf.id, "second": leaf.id, "first": leaf.id}
        parent = leaf.parent
        while parent is not None:
            node = self.node(parent)
            out["second" if node.level == 2 else "first"] = node.id
            parent = node.parent
        if out["first"] == leaf.id and out["second"] != leaf.id:
            out["first"] = out["second"]
        return out

    def group_of(self, iid: str, level: str) -> str:
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}; got {level!r}")
        return self.ancestors(iid)[level]

    def level_ids(self, level: str) -> list[str]:
        """Ids at a level, in framework order."""
        return list(dict.fromkeys(self.group_of(i, level) for i in self.ids))

    def label(self, nid: str) -> str:
        for leaf in self.indicators:
            if leaf.id == nid:
                return leaf.name
        return self.node(nid).name

    def profile_text(self, leaf: Indicator) -> str:
        """The words TF-IDF compares statements with: names, measure, cue terms and the profile."""
        names = [leaf.name, leaf.measure, leaf.profile]
        if leaf.parent:
            names.append(self.node(leaf.parent).name)
        for comp in leaf.components:
            names.extend(str(comp.get(k, "")) for k in ("name", "measure"))
        names.extend(c.term for c in leaf.cues if c.term)
        return " ".join(n for n in names if n)


# ---------------------------------------------------------------------------------------------------
# Cue matching
# ---------------------------------------------------------------------------------------------------

# Same-length folding for matching only (offsets stay valid): full-width punctuation the normalizer
# keeps, subscript digits, and ASCII case.
_FOLD = CharTable(str.maketrans(
    {
        "＋": "+", "＆": "&", "（": "(", "）": ")", "％": "%", "／": "/", "－": "-", "₂": "2",
        **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
    }
))  # fmt: skip
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _timed_finditer(rx: regex.Pattern[str], text: str) -> list[regex.Match[str]]:
    """A framework regex on one statement, with the same time guard as lexicon regexes."""
    try:
        return list(rx.finditer(text, timeout=PATTERN_TIMEOUT))
    except TimeoutError:
        raise NqpfError(
            f"framework pattern {rx.pattern!r} took over {PATTERN_TIMEOUT:g} s on one statement; refused"
        ) from None


def _fold(text: str) -> str:
    return _FOLD.apply(text)


class _Found(NamedTuple):
    """A cue found in a statement (a named tuple: one is made per cue occurrence, so cheap to make)."""

    start: int
    end: int
    cue: Cue


def _text_order(span: tuple[int, int]) -> tuple[int, int]:
    return span[0], -span[1]


def _outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Distinct non-empty spans not contained in another one, in text order.

    In ``(start, -end)`` order a span lies inside another exactly when an earlier one reaches as far,
    so one pass keeping the furthest end so far finds them (two kept spans never share a start).
    """
    kept: list[tuple[int, int]] = []
    reach = -1
    for start, end in sorted(spans, key=_text_order):
        if end > reach:
            kept.append((start, end))
            reach = end
    return kept


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """:func:`nqpf_text.match.required_literals` of a framework regex (compiled ignoring case)."""
    return _required_literals(pattern, ignore_case=True)


def _element_literals(items: Any) -> list[tuple[str, ...]]:
    """Sets of strings one of which every match of a parsed sequence contains, one per element of it
    (a literal run, a group, a repeat of at least one): a match holds a match of each element."""
    from re import _parser  # type: ignore[attr-defined]

    from .match import _cased, _required

    sets: list[tuple[str, ...]] = []
    run = ""
    for op, av in items:
        if op is _parser.LITERAL and not _cased(chr(av)):
            run += chr(av)
            continue
        if op in (_parser.AT, _parser.ASSERT, _parser.ASSERT_NOT):
            continue  # zero-width: the characters on either side are adjacent in the match
        if run:
            sets.append((run,))
            run = ""
        found = _required([(op, av)], True)
        if found:
            sets.append(tuple(sorted(found)))
    if run:
        sets.append((run,))
    return sets


def _alternatives(pattern: str) -> list[list[tuple[str, ...]]]:
    """For each top-level alternative of a pattern :func:`required_literals` reads, the sets of
    :func:`_element_literals`; a match needs a literal of every set of one alternative. Empty when
    some alternative names no string (then nothing is checked).

    The scan anchors on one set per pattern; these are checked with ``in`` before the regex runs,
    since the anchor may be common (产业 in 第[二三]产业…比重).
    """
    from re import _parser  # type: ignore[attr-defined]

    parsed = list(_parser.parse(pattern))
    branches = parsed[0][1][1] if len(parsed) == 1 and parsed[0][0] is _parser.BRANCH else [parsed]
    out = [_element_literals(branch) for branch in branches]
    return out if all(out) else []


_Check = Callable[[str], Any]  # a compiled search: None when the text holds none of a set's strings


def _checks(sets: list[tuple[str, ...]]) -> list[_Check]:
    """One search per set of strings (a C call per set, not a Python loop over its strings)."""
    return [re.compile("|".join(map(re.escape, group))).search for group in sets]


def _holds(text: str, checks: list[_Check]) -> bool:
    """Whether ``text`` contains a string of every set."""
    for search in checks:  # noqa: SIM110 (a loop, not all() over a generator: called per statement)
        if search(text) is None:
            return False
    return True


def _rarest(sets: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The set whose commonest string is rarest in general Chinese, by jieba's IDF (a word jieba lacks
    counts at its median, a lone character as common whatever its IDF as a word): the scan's anchor,
    since every occurrence of an anchor costs a little and a common one (产业) occurs everywhere."""
    from .segment import reference_idf

    idf, median = reference_idf()

    def rarity(group: tuple[str, ...]) -> float:
        return min(idf.get(x, median) if len(x) > 1 else 0.0 for x in group)

    return max(sets, key=rarity)


class _Patterns:
    """Regexes run only on statements holding one of their required literals (an exact prefilter, as
    in RE2's: most statements contain none, and the literals ride in the matcher's one scan), and
    a literal of each element of one of their alternatives.

    The scan anchors on the rarest element of each alternative (any one would be exact); a pattern
    whose alternatives cannot all be read keeps the literals of :func:`required_literals`.
    """

    def __init__(self, kind: str, items: Sequence[tuple[regex.Pattern[str], Any]]) -> None:
        self.items = list(items)
        literals = [required_literals(rx.pattern) for rx, _ in self.items]
        alternatives = [
            _alternatives(rx.pattern) if found else []
            for (rx, _), found in zip(self.items, literals, strict=True)
        ]
        anchors = [
            sorted({x for sets in alts for x in _rarest(sets)}) if alts else found
            for found, alts in zip(literals, alternatives, strict=True)
        ]
        self.always = frozenset(i for i, found in enumerate(anchors) if found is None)
        self.anchors = [(literal, (kind, i)) for i, found in enumerate(anchors) for literal in found or ()]
        self.alternatives = [[_checks(sets) for sets in alts] for alts in alternatives]

    def pick(self, chosen: AbstractSet[int], text: str) -> list[tuple[regex.Pattern[str], Any]]:
        """The regexes that may match ``text`` (anchored ones found, with a literal of every element
        of an alternative in the text, plus those without literals), in order."""
        if not chosen and not self.always:
            return []
        alternatives = self.alternatives
        return [
            self.items[i]
            for i in sorted(chosen | self.always)
            if not alternatives[i] or any(_holds(text, checks) for checks in alternatives[i])
        ]


_SEP = "\x00"  # joins a batch of statements for one scan; no term of a framework contains it
_NONE: frozenset[int] = frozenset()
_HIT_KINDS = ("cue", "exclude")  # payloads that are hits; the others choose anti terms and regexes


class _Scan:
    """What one statement's scan found: cue and exclusion hits ``(start, end, payloads)``, and the
    indices of the anti terms and of the regexes (cue, veto, anti) whose literals occur, by kind."""

    __slots__ = ("chosen", "hits")

    def __init__(self) -> None:
        self.hits: list[tuple[int, int, tuple[tuple[str, Any], ...]]] = []
        self.chosen: dict[str, set[int]] = {}

    def picked(self, kind: str) -> AbstractSet[int]:
        return self.chosen.get(kind, _NONE)


class _CueMatcher:
    """All cues of a framework at once; a hit nested inside a longer one (or an exclusion) is dropped.

    Only nesting removes a hit: two cues that merely cross (加大研发|研发投入) both count, so a weak
    pattern can never hide a strong term that shares a few characters with it. One Aho-Corasick scan
    per batch of statements finds cue terms, exclusions, anti terms and the regexes' literals.
    """

    def __init__(self, framework: Framework) -> None:
        terms: list[tuple[str, tuple[str, Any]]] = []
        patterns: list[tuple[regex.Pattern[str], Cue]] = []
        self._anti_terms: list[Cue] = []
        anti_patterns: list[tuple[regex.Pattern[str], Cue]] = []
        for leaf in framework.indicators:
            for cue in leaf.cues:
                if cue.term is not None:
                    terms.append((_fold(cue.term), ("cue", cue)))
                else:
                    patterns.append((regex.compile(cue.pattern or "", regex.IGNORECASE), cue))
            for cue in leaf.anti:
                if cue.term is not None:
                    terms.append((_fold(cue.term), ("anti", len(self._anti_terms))))
                    self._anti_terms.append(cue)
                else:
                    anti_patterns.append((regex.compile(cue.pattern or "", regex.IGNORECASE), cue))
        terms.extend((_fold(x), ("exclude", None)) for x in framework.exclude)
        self._patterns = _Patterns("pattern", patterns)
        self._anti_patterns = _Patterns("anti-pattern", anti_patterns)
        self._veto = _Patterns(
            "veto",
            [
                (
                    regex.compile(regex.escape(c.term) if c.term else c.pattern or "", regex.IGNORECASE),
                    c.weight,
                )
                for c in framework.veto
            ],
        )
        for group in (self._patterns, self._anti_patterns, self._veto):
            terms += group.anchors
        self._index: TermIndex[tuple[str, Any]] = TermIndex(terms)
        self.always = bool(self._patterns.always or self._anti_patterns.always)
        # Each term's payloads (in the index's order) split once into hits and choices, not per occurrence.
        by_term: dict[str, list[tuple[str, Any]]] = {}
        for term, payload in terms:
            by_term.setdefault(term, []).append(payload)
        self._parts = {
            term: (
                tuple(p for p in payloads if p[0] in _HIT_KINDS),
                tuple(p for p in payloads if p[0] not in _HIT_KINDS),
            )
            for term, payloads in by_term.items()
        }

    def scan(self, joined: str, starts: Sequence[int]) -> dict[int, _Scan]:
        """The hits of each statement that has any, by its position in the batch (keys in increasing
        order), from one scan of the folded statements joined by _SEP, the i-th at ``starts[i]``."""
        out: dict[int, _Scan] = {}
        parts = self._parts
        where = bisect.bisect_right
        for start, end, term, _ in self._index.occurrences(joined):  # in order of start
            i = where(starts, start) - 1
            scan = out.get(i)
            if scan is None:
                scan = out[i] = _Scan()
            matched, choices = parts[term]
            for kind, index in choices:
                chosen = scan.chosen.get(kind)
                if chosen is None:
                    scan.chosen[kind] = {index}
                else:
                    chosen.add(index)
            if matched:
                offset = starts[i]
                scan.hits.append((start - offset, end - offset, matched))
        return out

    @staticmethod
    def _ascii_ok(text: str, start: int, end: int) -> bool:
        """A cue that starts/ends with a Latin letter must not continue a Latin word (AI ≠ mAIl)."""
        if start > 0 and text[start] in _LATIN and text[start - 1] in _LATIN:
            return False
        return not (end < len(text) and text[end - 1] in _LATIN and text[end] in _LATIN)

    def vetoes(self, folded: str, scan: _Scan) -> list[tuple[int, int, float]]:
        """Spans of veto matches (honours, certifications); cues inside them are damped."""
        return [
            (m.start(), m.end(), w)
            for rx, w in self._veto.pick(scan.picked("veto"), folded)
            for m in _timed_finditer(rx, folded)
            if m.end() > m.start()
        ]

    def find(self, folded: str, scan: _Scan) -> list[_Found]:
        """The cues of the outermost hits, in text order, each indicator once per hit."""
        ok = self._ascii_ok
        by_span: dict[tuple[int, int], tuple[tuple[str, Any], ...]] = {}
        for start, end, payloads in scan.hits:
            if ok(folded, start, end):
                span = (start, end)
                by_span[span] = by_span.get(span, ()) + payloads
        for rx, cue in self._patterns.pick(scan.picked("pattern"), folded):
            for m in _timed_finditer(rx, folded):
                span = m.span()
                if span[1] > span[0] and ok(folded, *span):
                    by_span[span] = (*by_span.get(span, ()), ("cue", cue))
        if not by_span:
            return []
        found = []
        for span in by_span if len(by_span) == 1 else _outermost(by_span):
            seen: set[str] = set()
            for kind, cue in by_span[span]:
                if kind == "cue" and cue is not None and cue.indicator not in seen:
                    seen.add(cue.indicator)
                    found.append(_Found(span[0], span[1], cue))
        return found

    def anti(self, folded: str, scan: _Scan) -> list[Cue]:
        terms = scan.chosen.get("anti")
        out = [self._anti_terms[i] for i in sorted(terms)] if terms else []
        out.extend(
            cue
            for rx, cue in self._anti_patterns.pick(scan.picked("anti-pattern"), folded)
            if any(True for _ in _timed_finditer(rx, folded))
        )
        return out


# ---------------------------------------------------------------------------------------------------
# The linker
# ---------------------------------------------------------------------------------------------------

_TOKEN_OK = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_NUMERIC = re.compile(r"^[\d.%％,，]+$")


def _unit_weights(tokens: Sequence[str], idf: Mapping[str, float], default: float) -> dict[str, float]:
    """Sublinear tf × idf of each distinct token, scaled to unit length (as TfidfVectorizer's
    ``sublinear_tf=True``, ``norm="l2"``), in first-occurrence order."""
    get, log = idf.get, math.log
    return _unit({t: (1.0 + log(n)) * get(t, default) for t, n in Counter(tokens).items()})


def _unit(weights: dict[str, float]) -> dict[str, float]:
    """Weights scaled to unit length (empty when they are all 0)."""
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm > 0 else {}


def _kept(token: str) -> bool:
    """Whether a token counts for TF-IDF: ≥ 2 characters, a letter or CJK character, not a number."""
    return len(token) > 1 and _TOKEN_OK.search(token) is not None and _NUMERIC.match(token) is None


_Entry = tuple[float, Sequence[tuple[int, float]]] | None  # a token's IDF and postings; None: dropped
_UNSEEN: Any = object()


class _Tokenizer:
    """jieba tokens of ≥ 2 characters with a letter or CJK character; picklable (the segmenter is
    rebuilt where it is used)."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = tuple(dict.fromkeys(words))
        self._segmenter: Any = None
        self._keep: dict[str, bool] = {}  # token → passes the filter (tokens repeat; regexes cost)

    def _cut(self, text: str) -> list[str]:
        if self._segmenter is None:
            from .segment import Segmenter

            self._segmenter = Segmenter(user_words=self.words, backend="auto")
        return self._segmenter.cut(text)

    def _ok(self, token: str) -> bool:
        keep = self._keep
        ok = keep.get(token)
        if ok is None:
            if len(keep) >= 1 << 18:
                keep.clear()
            ok = keep[token] = _kept(token)
        return ok

    def __call__(self, text: str) -> list[str]:
        ok = self._ok
        return [t for t in self._cut(text) if ok(t)]

    def __getstate__(self) -> dict[str, Any]:
        return {"words": self.words}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["words"])  # type: ignore[misc]


@dataclass(frozen=True)
class _Scored:
    scores: np.ndarray  # (n_indicators,)
    cue: np.ndarray
    sim: np.ndarray
    found: list[_Found]
    weights: dict[str, float]  # the statement's unit-length TF-IDF weights
    best: float  # the highest score


class IndicatorLinker:
    """Link statements (sentences) to the leaves of a framework, with calibrated scores and evidence.

    Parameters
    ----------
    framework : Framework or str
        A :class:`Framework` or the name/path to load one from.
    threshold : float, optional
        Keep links whose calibrated score is at least this; default the framework's ``scoring.threshold``.
    top_k : int
        At most this many links per statement, best first.
    shared_terms : int
        How many top shared TF-IDF terms to add to a link's evidence.
    """

    def __init__(
        self,
        framework: Framework | str | Path = "hqe21",
        *,
        threshold: float | None = None,
        top_k: int = 3,
        shared_terms: int = 2,
    ) -> None:
        self.framework = framework
        self.threshold = threshold
        self.top_k = top_k
        self.shared_terms = shared_terms

    # -- fitting -------------------------------------------------------------------------------------

    @property
    def framework_(self) -> Framework:
        if isinstance(self.framework, Framework):
            return self.framework
        if getattr(self, "_loaded", None) is None:
            self._loaded = Framework.load(self.framework)
        return self._loaded

    @property
    def threshold_(self) -> float:
        return self.framework_.scoring.threshold if self.threshold is None else float(self.threshold)

    def _tokenizer(self) -> _Tokenizer:
        if getattr(self, "_tokens", None) is None:
            words = [c.term for leaf in self.framework_.indicators for c in leaf.cues if c.term]
            words += [w for leaf in self.framework_.indicators for w in leaf.profile.split()]
            self._tokens = _Tokenizer(words)
        return self._tokens

    def fit(self) -> IndicatorLinker:
        """Check the parameters and weight each indicator's profile.

        Weights are sublinear term frequency × jieba's general-language IDF, not the corpus's: a
        statement scores the same whatever else is in the corpus, so a score can be cited, cached per
        file and compared across runs, and linking needs no pass over the whole corpus first.
        """
        from .segment import reference_idf

        fw = self.framework_
        if not isinstance(self.top_k, int) or self.top_k < 1:
            raise ValueError(
                f"The 'top_k' parameter of IndicatorLinker must be an int >= 1; got {self.top_k!r}"
            )
        if not 0 < self.threshold_ < 1:
            raise ValueError(
                f"The 'threshold' parameter of IndicatorLinker must be in (0, 1); got {self.threshold!r}"
            )
        idf, median = reference_idf()
        tokenize = self._tokenizer()
        self.profiles_ = [
            _unit_weights(tokenize(fw.profile_text(leaf)), idf, median) for leaf in fw.indicators
        ]
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for j, profile in enumerate(self.profiles_):
            for token, weight in profile.items():
                postings[token].append((j, weight))
        self._postings = dict(postings)
        self.matcher_ = _CueMatcher(fw)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "profiles_"):
            self.fit()

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_vocab", None)  # a cache, refilled where the linker is used
        return state

    # -- scoring -------------------------------------------------------------------------------------

    def _cue_strengths(self, texts: Sequence[str]) -> dict[int, tuple[dict[int, float], list[_Found]]]:
        """For each statement where a cue is found, by position (keys in increasing order): its cue
        strength by column for the indicators its cues name (noisy-or of their weights, damped by
        vetoes and anti cues; every other indicator's is 0), and the cues found.

        Sparse because most statements name no indicator or one or two, and most never reach a score.
        """
        index = self._positions()
        matcher = self.matcher_
        find, vetoes, anti = matcher.find, matcher.vetoes, matcher.anti
        joined = _fold(_SEP.join(texts))  # one translation; folding keeps lengths, so slices align
        starts = list(itertools.accumulate((len(t) + 1 for t in texts[:-1]), initial=0))
        scans = matcher.scan(joined, starts)
        out: dict[int, tuple[dict[int, float], list[_Found]]] = {}
        for i in range(len(texts)) if matcher.always else scans:
            scan = scans.get(i) or _Scan()
            f = joined[starts[i] : starts[i] + len(texts[i])]
            found = find(f, scan)
            if not found:
                continue  # anti cues only damp: with no cue there is nothing to damp
            spans = vetoes(f, scan)
            miss: dict[int, float] = {}
            seen: set[tuple[str, str]] = set()
            for start, end, cue in found:
                key = (cue.indicator, f[start:end])
                if key in seen:
                    continue  # the same cue twice is one piece of evidence
                seen.add(key)
                weight = cue.weight
                for vs, ve, vw in spans:
                    if vs <= start and end <= ve:
                        weight *= 1.0 - vw
                j = index[cue.indicator]
                miss[j] = miss.get(j, 1.0) * (1.0 - weight)
            strength = {j: 1.0 - m for j, m in miss.items()}
            for cue in anti(f, scan):
                j = index[cue.indicator]
                if j in strength:  # an indicator without cues stays at 0 whatever damps it
                    strength[j] *= 1.0 - cue.weight
            out[i] = (strength, found)
        return out

    def _positions(self) -> dict[str, int]:
        """Indicator id → column of the score vectors (built once per framework object)."""
        fw = self.framework_
        cached = getattr(self, "_columns", None)
        if cached is None or cached[0] is not fw:
            cached = self._columns = (fw, {iid: i for i, iid in enumerate(fw.ids)})
        return cached[1]

    def _gate(self) -> Callable[[dict[int, float] | None], bool]:
        """Whether any indicator can reach the threshold with the best similarity there is (a cosine
        lies in [0, 1]), from a statement's sparse cue strengths; when none can, the statement's
        TF-IDF is never computed.

        Decided on the logit scale with a little slack, so rounding can only let a statement through.
        """
        scoring = self.framework_.scoring
        n = len(self._positions())
        a, b, c = scoring.cue, max(scoring.similarity, 0.0), scoring.bias
        t = self.threshold_
        bar = math.log(t / (1.0 - t)) - 1e-6
        pick = max if a >= 0 else min

        def may_link(strength: dict[int, float] | None) -> bool:
            strongest = pick(strength.values()) if strength else 0.0
            if strength and len(strength) < n:
                strongest = pick(strongest, 0.0)  # the indicators no cue names
            return a * strongest + b + c >= bar

        return may_link

    def _similarity(self, text: str) -> tuple[list[float], dict[str, float]]:
        """Cosine with every profile (Python floats: the same sums as in an array, without a numpy
        call per addition), and the statement's unit-length token weights (:func:`_unit_weights` of
        its kept tokens).

        Each distinct token is looked up once, in a cache of its IDF and postings, instead of once to
        filter it, once for its IDF (in a table of 270,000 words) and once for its postings.
        """
        vocab = self.__dict__.get("_vocab")
        if vocab is None or len(vocab) >= 1 << 18:  # bounded; tokens that recur come back at once
            vocab = self._vocab = {}
        log = math.log
        raw: dict[str, float] = {}
        shared: list[tuple[str, Sequence[tuple[int, float]]]] = []  # tokens some profile holds
        for token, n in Counter(self._tokenizer()._cut(text)).items():
            entry = vocab.get(token, _UNSEEN)
            if entry is _UNSEEN:
                entry = vocab[token] = self._entry(token)
            if entry is not None:
                idf, hits = entry
                raw[token] = (1.0 + log(n)) * idf if n > 1 else idf  # 1 + log 1 is 1.0 exactly
                if hits:
                    shared.append((token, hits))
        weights = _unit(raw)
        sim = [0.0] * len(self.profiles_)
        if weights:  # empty when the norm is 0
            for token, hits in shared:  # in the order of the weights, as summing over all of them
                weight = weights[token]
                for j, p in hits:
                    sim[j] += weight * p
        return sim, weights

    def _entry(self, token: str) -> _Entry:
        from .segment import reference_idf

        if not _kept(token):
            return None
        idf, median = reference_idf()
        return idf.get(token, median), self._postings.get(token, ())

    def _score_many(self, texts: Sequence[str], *, every: bool = True) -> list[_Scored | None]:
        """Scores of each statement; with ``every=False``, None for one that cannot link at all."""
        scored = self._scored(texts, every=every)
        return [scored.get(i) for i in range(len(texts))]

    def _scored(self, texts: Sequence[str], *, every: bool) -> dict[int, _Scored]:
        """Scores by position (keys in increasing order) of every statement, or with ``every=False`` of
        those that may link; statements without a cue are never visited unless they may link."""
        self._check_fitted()
        score = self.framework_.scoring.score
        similarity = self._similarity
        n = len(self._positions())
        may_link = self._gate()
        cueless = may_link(None)  # whether a statement without any cue can link
        strengths = self._cue_strengths(texts)
        picked: list[tuple[int, list[_Found], dict[str, float]]] = []
        cue_rows: list[dict[int, float] | None] = []
        sim_rows: list[list[float]] = []
        for i in range(len(texts)) if every or cueless else strengths:
            strength, found = strengths.get(i) or (None, [])
            if not every and not (may_link(strength) if strength else cueless):
                continue
            sim, weights = similarity(texts[i])
            picked.append((i, found, weights))
            cue_rows.append(strength)
            sim_rows.append(sim)
        if not picked:
            return {}
        cue = np.zeros((len(picked), n))
        for k, strength in enumerate(cue_rows):
            if strength:
                for j, value in strength.items():
                    cue[k, j] = value
        sim = np.array(sim_rows)
        scores = score(cue, sim)  # one call for the batch; elementwise, so each row as if scored alone
        best = scores.max(axis=1).tolist()
        return {
            i: _Scored(scores[k], cue[k], sim[k], found, weights, best[k])
            for k, (i, found, weights) in enumerate(picked)
        }

    def _shared_terms(self, scored: _Scored, j: int) -> list[tuple[str, float]]:
        """The statement's tokens contributing most to its cosine with indicator ``j``, best first."""
        profile = self.profiles_[j]
        shared = [(t, w * profile[t]) for t, w in scored.weights.items() if t in profile]
        return sorted((x for x in shared if x[1] > 0), key=lambda x: -x[1])

    def scores(self, text: str) -> dict[str, float]:
        """Calibrated score of every indicator for one statement (no threshold, no top-k)."""
        (scored,) = self._score_many([text])
        assert scored is not None
        return {iid: float(s) for iid, s in zip(self.framework_.ids, scored.scores, strict=True)}

    def features(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Cue strength and TF-IDF cosine, each (n_texts, n_indicators) — what calibration fits on."""
        scored = [s for s in self._score_many(list(texts)) if s is not None]
        k = len(self.framework_.ids)
        if not scored:
            return np.zeros((0, k)), np.zeros((0, k))
        return np.vstack([s.cue for s in scored]), np.vstack([s.sim for s in scored])

    def _links(self, text: str, scored: _Scored, offset: int) -> tuple[IndicatorLink, ...]:
        if scored.best < self.threshold_:
            return ()  # most scored statements: nothing reaches the threshold
        fw = self.framework_
        order = np.argsort(-scored.scores, kind="stable")
        links = []
        for j in order[: self.top_k]:
            score = float(scored.scores[j])
            if score < self.threshold_:
                break
            iid = fw.ids[j]
            evidence: list[str] = []
            spans: list[tuple[int, int]] = []
            cue_hits = sorted(
                (f for f in scored.found if f.cue.indicator == iid), key=lambda f: (-f.cue.weight, f.start)
            )
            for f in cue_hits:
                surface = text[f.start : f.end]
                if surface not in evidence:
                    evidence.append(surface)
                    spans.append((offset + f.start, offset + f.end))
            covered = "".join(evidence)
            added = 0
            for token, _ in self._shared_terms(scored, j):
                if added >= self.shared_terms:
                    break
                pos = text.find(token)
                if pos < 0 or token in covered or token in evidence:
                    continue
                evidence.append(token)
                spans.append((offset + pos, offset + pos + len(token)))
                added += 1
            links.append(IndicatorLink(iid, round(score, 4), tuple(evidence), tuple(spans)))
        return tuple(links)

    # -- public linking ------------------------------------------------------------------------------

    def link_statements(
        self,
        texts: Sequence[str],
        *,
        doc: str = "-",
        starts: Sequence[int] | None = None,
        indices: Sequence[int] | None = None,
        boilerplate: Sequence[bool] | None = None,
        keep_empty: bool = False,
    ) -> list[Statement]:
        """Link already-split statements; ``starts`` are their offsets in the document text."""
        texts = list(texts)
        out = []
        for i, sc in self._scored(texts, every=keep_empty).items():
            text = texts[i]
            start = starts[i] if starts is not None else 0
            links = self._links(text, sc, start)
            if links or keep_empty:
                out.append(
                    Statement(
                        doc=doc,
                        statement=indices[i] if indices is not None else i,
                        start=start,
                        end=start + len(text),
                        text=text,
                        links=links,
                        boilerplate=bool(boilerplate[i]) if boilerplate is not None else False,
                    )
                )
        return out

    def link(self, text: str, doc: str = "-", *, keep_empty: bool = False) -> list[Statement]:
        """Split an already-normalized text into sentences and link each; statements with links only."""
        from .segment import split_sentences

        spans = split_sentences(text)
        return self.link_statements(
            [text[s:e] for s, e in spans], doc=doc, starts=[s for s, _ in spans], keep_empty=keep_empty
        )

    def link_document(self, document: Document, *, keep_empty: bool = False) -> list[Statement]:
        """Link the sentences of a segmented :class:`Document` (boilerplate ones are linked and flagged)."""
        sentences = document.sentences
        if not sentences:
            return self.link(document.text, document.doc, keep_empty=keep_empty)
        text = document.text
        return self.link_statements(
            [text[s.start : s.end] for s in sentences],
            doc=document.doc,
            starts=[s.start for s in sentences],
            indices=[s.index for s in sentences],
            boilerplate=[s.boilerplate for s in sentences],
            keep_empty=keep_empty,
        )

    def link_documents(self, documents: Iterable[Document], *, keep_empty: bool = False) -> list[Statement]:
        out: list[Statement] = []
        for document in documents:
            out.extend(self.link_document(document, keep_empty=keep_empty))
        return out


# ---------------------------------------------------------------------------------------------------
# Views
# ---------------------------------------------------------------------------------------------------
# One implementation of each corpus view, in pandas. Every view takes the links either as Statement
# records (the linker's output) or as a links frame (the store's ``links`` table, the report's
# ``indicator_links``), so the CLI, the Python API and the reports count the same way.

LINK_COLUMNS = (
    "doc", "statement", "start", "end", "text", "indicator", "score", "evidence", "rank", "boilerplate",
)  # fmt: skip
EVIDENCE_SEP = "、"  # joins evidence terms in a links frame (a cue never contains it)
_NEEDED = ("doc", "statement", "indicator", "score")


def statements_frame(statements: Iterable[Statement]) -> pd.DataFrame:
    """One row per link, best first within a statement: the store's ``links`` table layout."""
    import pandas as pd

    rows = [
        (st.doc, st.statement, st.start, st.end, st.text, link.indicator, round(float(link.score), 6),
         EVIDENCE_SEP.join(link.evidence), rank, bool(st.boilerplate))
        for st in statements
        for rank, link in enumerate(st.links, 1)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(LINK_COLUMNS))


def links_frame(links: Iterable[Statement] | pd.DataFrame) -> pd.DataFrame:
    """The links as a frame whichever form the caller holds; ``rank`` and ``boilerplate`` filled in."""
    import pandas as pd

    if not isinstance(links, pd.DataFrame):
        return statements_frame(links)
    missing = [c for c in _NEEDED if c not in links.columns]
    if missing:
        raise ValueError(f"links need the column(s) {', '.join(missing)}")
    frame = links.copy()
    frame["doc"] = frame["doc"].astype(str)
    frame["indicator"] = frame["indicator"].astype(str)
    frame["score"] = pd.to_numeric(frame["score"]).astype(float)
    flags = frame["boilerplate"] if "boilerplate" in frame else pd.Series(False, index=frame.index)
    frame["boilerplate"] = flags.astype("boolean").fillna(False).astype(bool)
    if "rank" not in frame or frame["rank"].isna().any():
        frame["rank"] = frame.groupby(["doc", "statement"])["score"].rank(ascending=False, method="first")
    frame["rank"] = frame["rank"].astype(int)
    return frame


def _level_map(framework: Framework | None, ids: Iterable[str], level: str) -> dict[str, str]:
    """Leaf id → its group at ``level``; ids the framework does not know stay themselves."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}; got {level!r}")
    if level != "indicator" and framework is None:
        raise ValueError("rolling up to a higher level needs the framework")
    known = set(framework.ids) if framework is not None else set()
    return {i: framework.group_of(i, level) if i in known else i for i in ids}  # type: ignore[union-attr]


def _level_ids(framework: Framework | None, level: str, present: Iterable[str]) -> list[str]:
    """Ids at ``level`` in framework order, then any other id present (sorted)."""
    known = framework.level_ids(level) if framework is not None else []
    return known + sorted(set(present) - set(known))


def _label(framework: Framework | None, nid: str) -> str:
    try:
        return framework.label(nid) if framework is not None else nid
    except KeyError:
        return nid


def _at_level(
    links: Iterable[Statement] | pd.DataFrame,
    framework: Framework | None,
    level: str,
    include_boilerplate: bool,
) -> pd.DataFrame:
    """The links frame with ``group`` (the id at ``level``) and ``key`` (one value per statement)."""
    frame = links_frame(links)
    if not include_boilerplate:
        frame = frame[~frame["boilerplate"]]
    groups = _level_map(framework, frame["indicator"].unique(), level)
    return frame.assign(
        group=frame["indicator"].map(groups).astype(object),
        key=frame["doc"] + "\x1f" + frame["statement"].astype(str),
    )


def indicator_table(framework: Framework | None, extra: Iterable[str] = ()) -> pd.DataFrame:
    """The framework's leaves in order with their groups (plus ``extra`` ids it lacks, flagged)."""
    import pandas as pd

    columns = ["id", "name", "second", "second_name", "first", "first_name", "measure", "direction"]
    rows = []
    for leaf in framework.indicators if framework is not None else ():
        anc = framework.ancestors(leaf.id)  # type: ignore[union-attr]
        second, first = anc["second"], anc["first"]
        rows.append((leaf.id, leaf.name, second, _label(framework, second), first, _label(framework, first),
                     leaf.measure, leaf.direction, True))  # fmt: skip
    known = {r[0] for r in rows}
    rows += [(i, i, None, None, None, None, None, None, False) for i in sorted(set(extra) - known)]
    return pd.DataFrame(rows, columns=[*columns, "in_framework"])


def attention_table(
    links: Iterable[Statement] | pd.DataFrame,
    *,
    framework: Framework | None = None,
    level: str = "indicator",
    include_boilerplate: bool = True,
) -> pd.DataFrame:
    """Long form of the document × indicator view: one row per document and id at ``level`` with
    ``statements`` (linking to it, or to any leaf of the group), ``links``, ``score_sum``, ``best_score``."""
    import pandas as pd

    columns = ["doc", "indicator", "statements", "links", "score_sum", "best_score"]
    frame = _at_level(links, framework, level, include_boilerplate)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    agg = (
        frame.groupby(["doc", "group"], sort=True)
        .agg(
            statements=("key", "nunique"),
            links=("indicator", "size"),
            score_sum=("score", "sum"),
            best_score=("score", "max"),
        )
        .reset_index()
        .rename(columns={"group": "indicator"})
    )
    return agg[columns]


def _doc_sizes(documents: Any) -> dict[str, tuple[int, int]]:
    """``doc → (sentences, characters)`` from Documents or a frame with doc/chars/sentences columns."""
    sizes: dict[str, tuple[int, int]] = {}
    if hasattr(documents, "columns"):
        for row in documents.itertuples(index=False):
            sizes[str(row.doc)] = (int(getattr(row, "sentences", 0) or 0), int(row.chars))
        return sizes
    from .segment import split_sentences

    for d in documents:
        n = len(d.sentences) if d.sentences else len(split_sentences(d.text))
        sizes[d.doc] = (n, len(d.text))
    return sizes


_MEASURES = ("share", "per_10k", "statements", "links", "score_sum")


def attention_matrix(
    links: Iterable[Statement] | pd.DataFrame,
    documents: Any,
    *,
    framework: Framework | None = None,
    level: str = "indicator",
    measure: str = "share",
    include_boilerplate: bool = True,
) -> pd.DataFrame:
    """Document × indicator attention, one row per document (in the order of ``documents``).

    ``measure``: ``"share"`` — share of the document's statements that link to the indicator (or, rolled
    up, to any indicator in the group); ``"per_10k"`` — links per 10,000 characters; ``"statements"`` —
    count of linking statements; ``"links"``; ``"score_sum"``. ``level`` rolls up to ``"second"`` or
    ``"first"`` level groups. ``documents``: Document records or a frame with ``doc``, ``chars`` (and
    ``sentences`` for shares).
    """
    if measure not in _MEASURES:
        raise ValueError(f"measure must be one of {', '.join(_MEASURES)}; got {measure!r}")
    sizes = _doc_sizes(documents)
    long = attention_table(links, framework=framework, level=level, include_boilerplate=include_boilerplate)
    columns = _level_ids(framework, level, long["indicator"])
    n_sent = long["doc"].map(lambda d: sizes.get(d, (0, 0))[0])
    chars = long["doc"].map(lambda d: sizes.get(d, (0, 0))[1])
    if measure == "share":
        value = (long["statements"] / n_sent.where(n_sent > 0)).fillna(0.0)
    elif measure == "per_10k":
        value = (long["links"] * 10_000 / chars.where(chars > 0)).fillna(0.0)
    else:
        value = long[measure]
    wide = (
        long.assign(value=value)
        .pivot(index="doc", columns="indicator", values="value")
        .reindex(index=list(sizes), columns=columns)
        .fillna(0)
    )
    if measure in ("statements", "links"):
        wide = wide.astype(int)
    wide.index.name, wide.columns.name = "doc", level
    return wide


def rollup(
    links: Iterable[Statement] | pd.DataFrame,
    framework: Framework | None,
    level: str = "second",
    *,
    include_boilerplate: bool = True,
) -> pd.DataFrame:
    """Corpus totals per id at ``level`` (every id of the framework, in order): linking statements,
    links, documents, score sum, mean and best score."""
    import pandas as pd

    columns = ["id", "name", "statements", "links", "documents", "score_sum", "mean_score", "max_score"]
    frame = _at_level(links, framework, level, include_boilerplate)
    ids = _level_ids(framework, level, frame["group"])
    agg = frame.groupby("group", sort=False).agg(
        statements=("key", "nunique"),
        links=("indicator", "size"),
        documents=("doc", "nunique"),
        score_sum=("score", "sum"),
        mean_score=("score", "mean"),
        max_score=("score", "max"),
    )
    out = agg.reindex(pd.Index(ids, dtype=object))
    for col in ("statements", "links", "documents"):
        out[col] = out[col].fillna(0).astype(int)
    out = out.fillna(0.0).rename_axis("id").reset_index()
    out["name"] = out["id"].map(lambda i: _label(framework, i))
    return out[columns]


def never_addressed(
    links: Iterable[Statement] | pd.DataFrame, framework: Framework, *, include_boilerplate: bool = True
) -> pd.DataFrame:
    """Leaves no statement links to, with their second- and first-level groups."""
    frame = _at_level(links, framework, "indicator", include_boilerplate)
    table = indicator_table(framework)
    table = table[~table["id"].isin(set(frame["indicator"]))]
    return table[["id", "name", "second", "second_name", "first", "first_name"]].reset_index(drop=True)


def _region_rows(mentions: Any, roles: Sequence[str] | None) -> pd.DataFrame:
    """Region mentions (doc, start, end, id) with a role in ``roles`` (None keeps every role)."""
    import pandas as pd

    frame = mentions if isinstance(mentions, pd.DataFrame) else pd.DataFrame([_as_dict(m) for m in mentions])
    if frame.empty:
        return pd.DataFrame(columns=["doc", "start", "end", "id"])
    for col in ("doc", "start", "end", "id"):
        if col not in frame.columns:
            raise ValueError(f"mentions need a {col!r} column")
    if "category" in frame.columns:
        frame = frame[frame["category"] == "region"]
    if roles is not None and "role" in frame.columns:
        frame = frame[frame["role"].fillna("place").isin(list(roles))]
    return pd.DataFrame(
        {
            "doc": frame["doc"].astype(str),
            "start": frame["start"].astype(int),
            "end": frame["end"].astype(int),
            "id": frame["id"].astype(str),
        }
    )


def _regions_in_statements(regions: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """(region, key) for every region mention lying inside a statement (statements do not overlap),
    in the order of the mentions by document."""
    import pandas as pd

    regions = regions.sort_values("doc", kind="mergesort")
    docs, _ = pd.factorize(pd.concat([statements["doc"], regions["doc"]], ignore_index=True))
    shift = max(int(statements["end"].max()), int(regions["end"].max()), 1).bit_length()
    st_doc = docs[: len(statements)].astype(np.int64)
    order = np.lexsort((statements["start"].to_numpy(), st_doc))
    st_doc = st_doc[order]
    st_start = statements["start"].to_numpy(np.int64)[order]
    st_end = statements["end"].to_numpy(np.int64)[order]
    st_key = statements["key"].to_numpy()[order]
    doc = docs[len(statements) :].astype(np.int64)
    pos = (
        np.searchsorted(
            (st_doc << shift) | st_start, (doc << shift) | regions["start"].to_numpy(np.int64), "right"
        )
        - 1
    )
    ok = pos >= 0
    pos = np.where(ok, pos, 0)
    ok &= (st_doc[pos] == doc) & (regions["end"].to_numpy(np.int64) <= st_end[pos])
    return pd.DataFrame({"region": regions["id"].to_numpy()[ok], "key": st_key[pos][ok]}).drop_duplicates()


def region_indicator_table(
    links: Iterable[Statement] | pd.DataFrame,
    mentions: Any,
    *,
    framework: Framework | None = None,
    level: str = "indicator",
    roles: Sequence[str] | None = ("place",),
    include_boilerplate: bool = True,
    expand: Callable[[str], Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Region × indicator: statements that mention a region and link to an indicator.

    ``mentions`` is a frame (or iterable of dicts / Mention records) with ``doc, start, end, category,
    id`` as in ``nqpf tag`` output; only ``category == "region"`` rows with a role in ``roles`` count
    (``roles=None`` keeps every role). ``expand(id)`` names more regions a mention counts toward (a
    city's province, for roll-ups). One row per region and id at ``level`` with ``statements``,
    ``score_sum`` (sum of the link scores) and ``documents``, sorted by region then indicator.
    """
    import pandas as pd

    columns = ["region", "indicator", "statements", "score_sum", "documents"]
    frame = _at_level(links, framework, level, include_boilerplate)
    regions = _region_rows(mentions, roles)
    if frame.empty or regions.empty:
        return pd.DataFrame(columns=columns)
    for col in ("start", "end"):
        if col not in frame.columns or frame[col].isna().any():
            raise ValueError(f"links need statement offsets ({col!r}) to place region mentions")
    statements = (
        frame[["doc", "start", "end", "key"]].drop_duplicates("key").astype({"start": int, "end": int})
    )
    pairs = _regions_in_statements(regions, statements)
    if expand is not None and not pairs.empty:
        pairs = pairs.assign(region=pairs["region"].map(lambda r: list(dict.fromkeys([r, *expand(r)]))))
        pairs = pairs.explode("region").drop_duplicates()
    joined = pairs.merge(frame[["key", "doc", "group", "score"]], on="key")
    if joined.empty:
        return pd.DataFrame(columns=columns)
    agg = (
        joined.groupby(["region", "group"], sort=True)
        .agg(statements=("key", "nunique"), score_sum=("score", "sum"), documents=("doc", "nunique"))
        .reset_index()
        .rename(columns={"group": "indicator"})
    )
    return agg[columns]


def _as_dict(mention: Any) -> dict[str, Any]:
    if isinstance(mention, Mapping):
        return dict(mention)
    if hasattr(mention, "to_dict"):
        return mention.to_dict()
    raise TypeError(f"cannot read a mention from {type(mention).__name__}")


# ---------------------------------------------------------------------------------------------------
# Gold files, evaluation, calibration
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldItem:
    text: str
    indicators: tuple[str, ...]
    split: str = ""
    line: int = 0


def load_gold(path: str | Path, framework: Framework, *, split: str | None = None) -> list[GoldItem]:
    """Read a gold JSONL (``{"text": …, "indicators": [...]}`` per line); texts are normalized here."""
    from .normalize import normalize_text

    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(path, f"cannot read gold file ({exc.strerror or exc})") from None
    known = set(framework.ids)
    items = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"invalid JSON ({exc.msg})", place=f"line {n}") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            raise InputError(path, "each line needs a string field 'text'", place=f"line {n}")
        ids = obj.get("indicators", [])
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise InputError(path, "'indicators' must be a list of indicator ids", place=f"line {n}")
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise InputError(
                path, f"unknown indicator id {unknown[0]!r} for framework {framework.name}", place=f"line {n}"
            )
        item = GoldItem(normalize_text(obj["text"]), tuple(dict.fromkeys(ids)), str(obj.get("split", "")), n)
        if split is None or item.split == split:
            items.append(item)
    return items


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": fp, "fn": fn}


def evaluate_links(
    gold_path: str | Path,
    framework: Framework | str | Path = "hqe21",
    *,
    top_k: int = 3,
    split: str | None = None,
    linker: IndicatorLinker | None = None,
    errors: bool = False,
) -> dict[str, Any]:
    """Micro and per-indicator precision, recall and F1 of the top-``top_k`` links on a gold file.

    Each gold line is one statement. ``split`` keeps only lines whose ``"split"`` field equals it
    (``None``: all). With ``errors=True`` the result lists the statements that were not exactly right.
    """
    fw = framework if isinstance(framework, Framework) else Framework.load(framework)
    items = load_gold(gold_path, fw, split=split)
    if linker is None:
        linker = IndicatorLinker(fw, top_k=top_k)
    elif linker.top_k != top_k:
        linker = copy.copy(linker)  # same fitted state, the caller's parameters untouched
        linker.top_k = top_k
    linker._check_fitted()
    statements = linker.link_statements([item.text for item in items], keep_empty=True)
    counts = {iid: [0, 0, 0] for iid in fw.ids}  # tp, fp, fn
    wrong = []
    for item, st in zip(items, statements, strict=True):
        predicted = {link.indicator for link in st.links}
        truth = set(item.indicators)
        for iid in predicted & truth:
            counts[iid][0] += 1
        for iid in predicted - truth:
            counts[iid][1] += 1
        for iid in truth - predicted:
            counts[iid][2] += 1
        if predicted != truth:
            wrong.append(
                {
                    "line": item.line,
                    "text": item.text,
                    "gold": sorted(truth),
                    "predicted": [(link.indicator, link.score, list(link.evidence)) for link in st.links],
                }
            )
    tp, fp, fn = (sum(c[k] for c in counts.values()) for k in range(3))
    per = {iid: {**_prf(*c), "support": c[0] + c[2]} for iid, c in counts.items()}
    supported = [v["f1"] for v in per.values() if v["support"]]
    result: dict[str, Any] = {
        "framework": fw.name,
        "statements": len(items),
        "top_k": top_k,
        "threshold": linker.threshold_,
        "micro": _prf(tp, fp, fn),
        "macro_f1": float(np.mean(supported)) if supported else 0.0,
        "exact_match": (len(items) - len(wrong)) / len(items) if items else 0.0,
        "per_indicator": per,
    }
    if errors:
        result["errors"] = wrong
    return result


def calibrate_scoring(
    gold_path: str | Path,
    framework: Framework | str | Path = "hqe21",
    *,
    split: str | None = None,
    C: float = 1.0,
) -> Scoring:
    """Fit the logistic coefficients of :class:`Scoring` on a gold file (one global threshold of 0.5).

    Every (statement, indicator) pair is one example: positive when the gold lists the indicator.
    """
    from sklearn.linear_model import LogisticRegression

    fw = framework if isinstance(framework, Framework) else Framework.load(framework)
    items = load_gold(gold_path, fw, split=split)
    linker = IndicatorLinker(fw).fit()
    cue, sim = linker.features([item.text for item in items])
    y = np.array([[iid in item.indicators for iid in fw.ids] for item in items], dtype=int).ravel()
    X = np.column_stack([cue.ravel(), sim.ravel()])
    model = LogisticRegression(C=C).fit(X, y)
    (a, b), c = model.coef_[0], model.intercept_[0]
    return Scoring(
        cue=round(float(a), 3), similarity=round(float(b), 3), bias=round(float(c), 3), threshold=0.5
    )
