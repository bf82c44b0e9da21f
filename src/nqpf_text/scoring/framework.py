"""Indicator directions and dimension tree, read from a framework YAML or a short option string.

Scoring needs only three things from a framework: each leaf's direction, its parent (second level)
and the first/second-level nodes. Reading them here keeps scoring independent of the text linker.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = [
    "Dimension",
    "Framework",
    "framework_path",
    "load_directions",
    "load_framework",
    "parse_direction",
    "parse_directions",
]

_PLUS = {"+", "positive", "benefit", "正", "正向"}
_MINUS = {"-", "−", "–", "negative", "cost", "负", "逆", "负向", "逆向"}


@dataclass(frozen=True)
class Dimension:
    """A first- or second-level node and the leaf ids under it (in framework order)."""

    id: str
    name: str
    level: int
    parent: str | None
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class Framework:
    """What scoring reads from a framework file: directions and the dimension tree."""

    name: str
    directions: dict[str, str]
    dimensions: tuple[Dimension, ...]
    source: str = ""


def parse_direction(value: object, where: str = "direction") -> str:
    """Map the spellings people use ("+", "positive", "正向", "−") to "+" or "-"."""
    text = str(value).strip().lower()
    if text in _PLUS:
        return "+"
    if text in _MINUS:
        return "-"
    raise InputError(where, f'direction must be "+" or "-"; got {value!r}')


def framework_path(framework: str | Path) -> Path:
    """A shipped framework by name (``hqe21``) or a user's YAML path."""
    from ..resources import lexicon_dir

    text = str(framework)
    if text.endswith((".yaml", ".yml", ".json")) or "/" in text or "\\" in text:
        return Path(text)
    return lexicon_dir() / "frameworks" / f"{text}.yaml"


def _read_mapping(path: Path) -> dict:
    import yaml

    if not path.is_file():
        raise InputError(path, "framework file not found")
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise InputError(path, f"cannot read framework: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(path, "framework must be a mapping")
    return data


def _directions_from(data: dict, path: Path) -> dict[str, str]:
    """Either a framework (``indicators: [{id, direction}]``) or a plain ``{id: "+"}`` mapping."""
    items = data.get("indicators")
    if items is None:
        return {str(k): parse_direction(v, f"{path}:{k}") for k, v in data.items()}
    if not isinstance(items, list):
        raise InputError(path, "'indicators' must be a list")
    out: dict[str, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, dict) or "id" not in item:
            raise InputError(path, "each indicator needs an 'id'", f"indicators[{i}]")
        ident = str(item["id"])
        if ident in out:
            raise InputError(path, f"indicator id {ident!r} appears twice", f"indicators[{i}]")
        out[ident] = parse_direction(item.get("direction", "+"), f"{path}:indicators[{i}]")
    return out


def _dimensions_from(data: dict, directions: dict[str, str]) -> tuple[Dimension, ...]:
    parents = {str(i["id"]): str(i.get("parent", "")) for i in data.get("indicators") or []}
    dims: list[Dimension] = []
    for top in data.get("levels") or []:
        top_id = str(top["id"])
        children = top.get("children") or []
        child_ids = [str(c["id"]) for c in children]
        leaves_top = tuple(i for i in directions if parents.get(i) in child_ids or parents.get(i) == top_id)
        dims.append(Dimension(top_id, str(top.get("name", top_id)), 1, None, leaves_top))
        for child in children:
            cid = str(child["id"])
            leaves = tuple(i for i in directions if parents.get(i) == cid)
            dims.append(Dimension(cid, str(child.get("name", cid)), 2, top_id, leaves))
    return tuple(dims)


def load_framework(framework: str | Path) -> Framework:
    """Read directions and the dimension tree of a framework (name or path)."""
    path = framework_path(framework)
    data = _read_mapping(path)
    directions = _directions_from(data, path)
    if not directions:
        raise InputError(path, "framework lists no indicators")
    name = str(data.get("framework", Path(path).stem))
    return Framework(name, directions, _dimensions_from(data, directions), str(path))


def load_directions(framework: str | Path) -> dict[str, str]:
    """Indicator id → "+" (benefit) or "-" (cost), in framework order."""
    return dict(load_framework(framework).directions)


def parse_directions(spec: str) -> dict[str, str]:
    """``--directions``: ``"a=+,b=-"`` inline, or a YAML/JSON file (mapping or framework)."""
    text = spec.strip()
    path = Path(text)
    if "=" not in text or path.suffix in {".yaml", ".yml", ".json"}:
        return _directions_from(_read_mapping(path), path)
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.replace("，", ",").split(","))):
        key, sep, value = part.rpartition("=")
        if not sep or not key.strip():
            raise InputError("--directions", f"expected id=+ or id=-; got {part!r}")
        out[key.strip()] = parse_direction(value, f"--directions {key.strip()}")
    if not out:
        raise InputError("--directions", "no directions given")
    return out
