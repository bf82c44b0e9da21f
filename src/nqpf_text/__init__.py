"""nqpf_text: turn Chinese policy text on 新质生产力 into countable, citable evidence.

The stages are modules named after what they do: ``ingest``, ``normalize``, ``segment``,
``lexicon``, ``tag``, ``link``, ``scoring``, ``store``, ``report``; ``pipeline.run`` strings them
together. Names below are imported lazily so that ``nqpf --help`` starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY = {
    "MappedText": "offsets",
    "InputError": "errors",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'nqpf_text' has no attribute {name!r}")
    return getattr(importlib.import_module(f".{module}", __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
