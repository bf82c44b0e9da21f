"""Lexicons as data: YAML files loaded safely, validated with file:line messages.

The schema is documented in ``lexicons/SCHEMA.md``. A :class:`Lexicon` is a small immutable
container of :class:`Entry` objects; matching lives in ``tag``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

__all__ = [
    "Entry",
    "Lexicon",
    "TermRule",
    "check_lexicons",
    "default_lexicon_paths",
    "load_lexicons",
    "load_yaml",
]

MAX_ALIAS_EXPANSION = 100_000  # nodes a YAML file may expand to through aliases (billion laughs)
MAX_PATTERN_LENGTH = 300
CONTEXT_WINDOW = 16  # characters a context rule looks at on each side of a match
_CONTEXT_KEYS = ("followed_by", "not_followed_by", "preceded_by", "not_preceded_by")
_TERM_KEYS = {"term", "pattern", "boundary", "context", "priority", "multi", "role", "notes"}
_ENTRY_KEYS = {
    "id", "name", "level", "parent", "group", "terms", "patterns", "boundary", "context",
    "expands", "priority", "multi", "notes", "role",
}  # fmt: skip
_LEXICON_KEYS = {
    "lexicon",
    "version",
    "category",
    "description",
    "exclude",
    "org_suffixes",
    "entries",
    "notes",
    "source",
    "sources",
    "auto_boundary",
}
_LINE = "__line__"


def _attach_lines(data: Any, node: yaml.Node | None) -> Any:
    """Put the source line of every mapping under ``__line__``, walking data and node together."""
    if isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        data[_LINE] = node.start_mark.line + 1
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in data and key != _LINE:
                _attach_lines(data[key], value_node)
    elif isinstance(data, list) and isinstance(node, yaml.SequenceNode):
        for item, item_node in zip(data, node.value, strict=False):
            _attach_lines(item, item_node)
    return data


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1  # cycles count once
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, memo) for v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def load_yaml(path: str | Path) -> Any:
    """``yaml.safe_load`` with line numbers on mappings and a guard against alias bombs."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from None
    try:
        return _attach_lines(*compose_yaml(path, text))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = f"line {mark.line + 1}" if mark else None
        raise InputError(path, f"invalid YAML: {exc.problem or exc.context}", place) from None
    except yaml.YAMLError as exc:
        raise InputError(path, f"invalid YAML: {exc}") from None


_C_SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", None)  # libyaml: ~20x faster than pure Python
# Text where libyaml and PyYAML disagree (tabs as separators, a comment glued to a block scalar
# header, a byte-order mark or control or line-separator characters inside): such files take the
# pure-Python path, so they load, or fail, exactly as they always did.
_LIBYAML_LENIENT = re.compile(
    "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[|>][-+0-9]*#"
)


def _check_aliases(path: Path, text: str, node: yaml.Node | None) -> None:
    if node is not None and "*" in text and _expanded_size(node, {}) > MAX_ALIAS_EXPANSION:
        raise InputError(path, f"YAML aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes; refused")


def compose_yaml(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    """The data of a YAML text and its node tree (for line numbers in messages), alias bombs refused.

    Through libyaml when it reads the text as PyYAML does (~20x faster); PyYAML's own errors
    propagate, for the caller to word.
    """
    if _C_SAFE_LOADER is not None and not _LIBYAML_LENIENT.search(text):
        try:
            return _compose_fast(path, text)
        except yaml.YAMLError:
            pass  # the pure-Python parser below words the error (libyaml's wording differs)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    _check_aliases(path, text, node)
    return yaml.safe_load(text), node


def _compose_fast(path: Path, text: str) -> tuple[Any, yaml.Node | None]:
    """Compose once with libyaml and build the data from that same node tree.

    Construction flattens ``<<`` merge keys inside the nodes, so a file with one is composed twice
    (lines are read from an untouched tree, as the pure-Python path does).
    """
    loader = _C_SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        _check_aliases(path, text, node)
        if node is None:
            return None, None
        lines = yaml.compose(text, Loader=_C_SAFE_LOADER) if "<<" in text else node
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


@dataclass(frozen=True)
class TermRule:
    """One surface term (or regex pattern) of an entry, with its matching options."""

    term: str | None = None
    pattern: str | None = None
    boundary: bool | None = None  # None: automatic (True for terms of <= 2 characters)
    followed_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()
    preceded_by: tuple[str, ...] = ()
    not_preceded_by: tuple[str, ...] = ()
    not_after_place: bool = False
    priority: int = 0
    multi: bool = False
    line: int = 0
    start_only: bool = False  # an automatic boundary check asks only that the term start a word

    @property
    def needs_boundary(self) -> bool:
        if self.boundary is not None:
            return self.boundary
        return self.term is not None and len(self.term) <= 2


@dataclass(frozen=True)
class Entry:
    id: str
    name: str
    category: str
    lexicon: str
    terms: tuple[TermRule, ...]
    level: str | None = None
    parent: str | None = None
    group: str | None = None
    role: str | None = None
    expands: tuple[str, ...] = ()
    notes: str = ""
    line: int = 0


@dataclass(frozen=True)
class Lexicon:
    """A named, versioned set of entries of one category."""

    name: str
    version: str
    category: str
    path: Path
    entries: tuple[Entry, ...]
    exclude: tuple[str, ...] = ()
    org_suffixes: tuple[str, ...] = ()
    description: str = ""
    _by_id: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_yaml(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        data = load_yaml(path)
        return _build_lexicon(path, data)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._by_id

    def __getitem__(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def get(self, entry_id: str) -> Entry | None:
        return self._by_id.get(entry_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def terms(self) -> Iterator[tuple[str, Entry, TermRule]]:
        """Every plain term with its entry and rule."""
        for entry in self.entries:
            for rule in entry.terms:
                if rule.term is not None:
                    yield rule.term, entry, rule


def _where(line: int) -> str:
    return f"line {line}" if line else ""


def _strings(value: Any, path: Path, line: int, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, f"{what} must be a string or a list of strings; got {value!r}", _where(line))
    return tuple(value)


def _rule(raw: Any, entry: dict[str, Any], path: Path, kind: str, auto_start: bool = False) -> TermRule:
    line = entry.get(_LINE, 0)
    options: dict[str, Any] = {}
    if isinstance(raw, str):
        options[kind] = raw
    elif isinstance(raw, dict):
        line = raw.get(_LINE, line)
        unknown = set(raw) - _TERM_KEYS - {_LINE}
        if unknown:
            raise InputError(
                path, f"unknown key(s) {sorted(unknown)} in a term of entry {entry.get('id')!r}", _where(line)
            )
        options = {k: v for k, v in raw.items() if k != _LINE}
        if ("term" in options) == ("pattern" in options):
            raise InputError(
                path,
                f"a term mapping needs exactly one of 'term' or 'pattern' (entry {entry.get('id')!r})",
                _where(line),
            )
    else:
        raise InputError(
            path,
            f"a {kind} must be a string or a mapping; got {raw!r} (entry {entry.get('id')!r})",
            _where(line),
        )
    for key in ("term", "pattern"):
        value = options.get(key)
        if value is not None and (not isinstance(value, str)):
            raise InputError(
                path, f"{key} must be a string; got {value!r} (entry {entry.get('id')!r})", _where(line)
            )
    for ctx in (entry.get("context"), options.get("context")):
        if ctx is not None and not isinstance(ctx, dict):
            raise InputError(path, f"context must be a mapping (entry {entry.get('id')!r})", _where(line))
    context = {**(entry.get("context") or {}), **(options.get("context") or {})}
    unknown_ctx = set(context) - set(_CONTEXT_KEYS) - {"not_after_place", _LINE}
    if unknown_ctx:
        raise InputError(
            path, f"unknown context rule(s) {sorted(unknown_ctx)} (entry {entry.get('id')!r})", _where(line)
        )
    boundary = options.get("boundary", entry.get("boundary", "auto"))
    if boundary not in (True, False, "auto"):
        raise InputError(path, f"boundary must be true, false or auto; got {boundary!r}", _where(line))
    priority = options.get("priority", entry.get("priority", 0))
    if not isinstance(priority, int) or isinstance(priority, bool):
        raise InputError(path, f"priority must be an integer; got {priority!r}", _where(line))
    multi = options.get("multi", entry.get("multi", False))
    if not isinstance(multi, bool):
        raise InputError(path, f"multi must be true or false; got {multi!r}", _where(line))
    pattern = options.get("pattern")
    if pattern is not None and _matches_anything(pattern):
        raise InputError(
            path,
            f"pattern {pattern!r} matches almost any text (entry {entry.get('id')!r}); refused",
            _where(line),
        )
    return TermRule(
        term=options.get("term"),
        pattern=options.get("pattern"),
        boundary=None if boundary == "auto" else bool(boundary),
        **{k: _strings(context.get(k), path, line, f"context.{k}") for k in _CONTEXT_KEYS},
        not_after_place=bool(context.get("not_after_place", False)),
        priority=priority,
        multi=multi,
        line=line,
        start_only=auto_start and boundary == "auto",
    )


def _build_entry(raw: Any, lexicon: str, category: str, path: Path, auto_start: bool = False) -> Entry:
    if not isinstance(raw, dict):
        raise InputError(path, f"every entry must be a mapping; got {raw!r}")
    line = raw.get(_LINE, 0)
    unknown = set(raw) - _ENTRY_KEYS - {_LINE}
    if unknown:
        raise InputError(path, f"unknown key(s) {sorted(unknown)} in entry {raw.get('id')!r}", _where(line))
    entry_id = raw.get("id")
    if not isinstance(entry_id, str | int) or isinstance(entry_id, bool) or not str(entry_id).strip():
        raise InputError(path, f"entry without a valid 'id' (got {entry_id!r})", _where(line))
    terms = raw.get("terms") or []
    patterns = raw.get("patterns") or []
    if not isinstance(terms, list) or not isinstance(patterns, list):
        raise InputError(path, f"'terms' and 'patterns' must be lists (entry {entry_id!r})", _where(line))
    rules = tuple(
        [_rule(t, raw, path, "term", auto_start) for t in terms]
        + [_rule(p, raw, path, "pattern", auto_start) for p in patterns]
    )
    name = raw.get("name", entry_id)
    if not isinstance(name, str):
        raise InputError(path, f"name must be a string (entry {entry_id!r})", _where(line))
    for key in ("level", "group", "role"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            raise InputError(
                path,
                f"{key} must be a string; got a {type(raw[key]).__name__} (entry {entry_id!r})",
                _where(line),
            )
    return Entry(
        id=str(entry_id),
        name=name,
        category=category,
        lexicon=lexicon,
        terms=rules,
        level=raw.get("level"),
        parent=None if raw.get("parent") is None else str(raw["parent"]),
        group=raw.get("group"),
        role=raw.get("role"),
        expands=tuple(str(x) for x in _strings(raw.get("expands"), path, line, "expands")),
        notes=str(raw.get("notes") or ""),
        line=line,
    )


def _build_lexicon(path: Path, data: Any) -> Lexicon:
    if not isinstance(data, dict):
        raise InputError(
            path, "a lexicon file must be a mapping with 'lexicon', 'version', 'category' and 'entries'"
        )
    unknown = set(data) - _LEXICON_KEYS - {_LINE}
    if unknown:
        raise InputError(path, f"unknown top-level key(s) {sorted(unknown)}", _where(data.get(_LINE, 0)))
    for key in ("lexicon", "category"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise InputError(path, f"'{key}' must be a non-empty string", "line 1")
    if not isinstance(data.get("entries"), list):
        raise InputError(path, "'entries' must be a list", "line 1")
    name, category = data["lexicon"], data["category"]
    auto = data.get("auto_boundary", "both")
    if auto not in ("both", "start"):
        raise InputError(
            path, f"auto_boundary must be 'both' or 'start'; got {auto!r}", _where(data.get(_LINE, 0))
        )
    entries = tuple(_build_entry(raw, name, category, path, auto == "start") for raw in data["entries"])
    by_id: dict[str, Entry] = {}
    for entry in entries:
        by_id.setdefault(entry.id, entry)
    return Lexicon(
        name=name,
        version=str(data.get("version", "0")),
        category=category,
        path=path,
        entries=entries,
        exclude=_strings(data.get("exclude"), path, 0, "exclude"),
        org_suffixes=_strings(data.get("org_suffixes"), path, 0, "org_suffixes"),
        description=str(data.get("description") or ""),
        _by_id=by_id,
    )


def default_lexicon_paths() -> list[Path]:
    """The shipped lexicon files (frameworks live in a sub-folder and are not lexicons)."""
    from .resources import lexicon_dir

    return sorted(lexicon_dir().glob("*.yaml"))


def load_lexicons(extra: Iterable[str | Path] = (), *, shipped: bool = True) -> list[Lexicon]:
    """Shipped lexicons plus user files; a user file with the name of a shipped one replaces it."""
    paths = [*(default_lexicon_paths() if shipped else []), *map(Path, extra)]
    loaded: dict[str, Lexicon] = {}
    for path in paths:
        lex = Lexicon.from_yaml(path)
        loaded[lex.name] = lex
    return list(loaded.values())


def check_lexicons(lexicons: Iterable[Lexicon]) -> list[str]:
    """Problems a loader cannot see on its own: ``file:line: message`` strings, empty when clean."""
    problems: list[str] = []
    lexicons = list(lexicons)
    all_ids = {e.id for lex in lexicons for e in lex}
    for lex in lexicons:
        seen: dict[str, Entry] = {}
        claims: dict[str, list[tuple[Entry, TermRule]]] = {}
        for entry in lex:
            where = f"{lex.path}:{entry.line}"
            if entry.id in seen:
                problems.append(f"{where}: duplicate id {entry.id!r} (first at line {seen[entry.id].line})")
            seen.setdefault(entry.id, entry)
            if entry.parent is not None and entry.parent not in all_ids:
                problems.append(f"{where}: unknown parent {entry.parent!r} of entry {entry.id!r}")
            for target in entry.expands:
                if target not in all_ids:
                    problems.append(f"{where}: entry {entry.id!r} expands to unknown id {target!r}")
            if not entry.terms:
                problems.append(f"{where}: entry {entry.id!r} has no terms or patterns")
            for rule in entry.terms:
                rwhere = f"{lex.path}:{rule.line or entry.line}"
                if rule.term is not None:
                    if not rule.term.strip() or rule.term != rule.term.strip():
                        problems.append(
                            f"{rwhere}: empty or whitespace-padded term {rule.term!r} in entry {entry.id!r}"
                        )
                        continue
                    claims.setdefault(rule.term, []).append((entry, rule))
                else:
                    problems.extend(
                        f"{rwhere}: {p} (entry {entry.id!r})" for p in pattern_problems(rule.pattern or "")
                    )
                for key in ("followed_by", "not_followed_by", "preceded_by", "not_preceded_by"):
                    problems.extend(
                        f"{rwhere}: context.{key} string {ctx!r} is longer than the {CONTEXT_WINDOW}-character "
                        f"window rules look at (entry {entry.id!r})"
                        for ctx in getattr(rule, key)
                        if len(ctx) > CONTEXT_WINDOW
                    )
        for term, owners in claims.items():
            ids = {e.id for e, _ in owners}
            if len(ids) < 2:
                continue
            top = max(r.priority for _, r in owners)
            winners = [(e, r) for e, r in owners if r.priority == top]
            if len({e.id for e, _ in winners}) > 1 and not all(r.multi for _, r in winners):
                lines = ", ".join(f"{e.id} (line {r.line or e.line})" for e, r in winners)
                problems.append(
                    f"{lex.path}:{winners[1][1].line or winners[1][0].line}: term {term!r} is claimed by {lines} "
                    "without a higher priority or multi: true"
                )
        for term in lex.exclude:
            if not term.strip():
                problems.append(f"{lex.path}: empty exclude string")
    return problems


def pattern_problems(pattern: str) -> list[str]:
    """Why a lexicon regex is unusable: too long, not compiling, matching the empty string or any
    text, or backtracking catastrophically on repeats of its own characters."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        return [f"pattern longer than {MAX_PATTERN_LENGTH} characters"]
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        return [f"pattern {pattern!r} does not compile: {exc}"]
    for sample in _PATTERN_PROBES:
        if any(m.end() == m.start() for m in rx.finditer(sample)):
            return [f"pattern {pattern!r} matches the empty string"]
    if _matches_anything(pattern):
        return [f"pattern {pattern!r} matches almost any text"]
    if _backtracks(pattern):
        return [
            f"pattern {pattern!r} backtracks catastrophically (over {PROBE_TIMEOUT:g} s on a 40-character probe)"
        ]
    return []


def _matches_anything(pattern: str) -> bool:
    """``.+``, ``\\w+``, ``[^，]+``…: any character, or most of a mixed sentence, is a match."""
    try:
        rx = re.compile(pattern)
    except re.error:
        return False
    probe = _PATTERN_PROBES[-1]
    covered = sum(m.end() - m.start() for m in rx.finditer(probe))
    anything = all(any(m.end() > m.start() for m in rx.finditer(ch)) for ch in "的a1")
    return covered >= 0.8 * len(probe) or anything


def _backtracks(pattern: str) -> bool:
    """Run the pattern, with the tagger's engine and a timeout, on runs of its own characters."""
    import regex

    literal = "".join(dict.fromkeys(ch for ch in pattern if ch.isalnum()))
    probes = [ch * 40 + "！" for ch in literal[:8]]
    if len(literal) > 1:
        probes.append(literal * (40 // len(literal) + 1) + "！")
    rx = regex.compile(pattern)
    for probe in probes:
        try:
            for _ in rx.finditer(probe, timeout=PROBE_TIMEOUT):
                pass
        except TimeoutError:
            return True
    return False


PROBE_TIMEOUT = 0.25  # seconds a pattern may spend on one probe in ``pattern_problems``
_PATTERN_PROBES = ("", "北京", "浙江西部发展新质生产力，R&D 2.5%。")
