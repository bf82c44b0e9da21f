"""Charts as inline SVG with text left as text, so CJK labels stay legible, selectable and searchable.

Every label passes through ``html.escape``; numbers are formatted here, never taken as markup.
Output depends only on the input (no ids from counters or clocks), so reports are reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["bar_chart", "grouped_bars", "heatmap", "share_bars"]

FONT = (
    "'Noto Sans CJK SC','Source Han Sans SC','WenQuanYi Zen Hei','Microsoft YaHei','PingFang SC',sans-serif"
)
PALETTE = ("#3b6ea8", "#e07b39", "#5a9e6f", "#b5525c", "#8a6bb1", "#9c7a3c")
_ROW = 20


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _fmt(value: float) -> str:
    if value == int(value) and abs(value) >= 1:
        return f"{int(value):,}"
    return f"{value:.3g}" if abs(value) < 1 else f"{value:,.1f}"


def _short_number(value: float) -> str:
    """Two significant digits below 10, whole numbers above: fits a heatmap cell."""
    if value >= 10:
        return f"{value:,.0f}"
    return f"{value:.2g}"


def _open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(title)}" font-family="{_e(FONT)}" '
        'font-size="12">',
        f"<title>{_e(title)}</title>",
        f'<text x="0" y="14" font-size="13" font-weight="bold" fill="#222">{_e(title)}</text>',
    ]


def _label_width(labels: Sequence[str], floor: int = 60, ceiling: int = 340) -> int:
    """Room for the longest label: CJK characters are about one em wide, Latin about half."""
    longest = max((sum(12 if ord(ch) > 0x2E80 else 7 for ch in label) for label in labels), default=0)
    return max(floor, min(ceiling, longest + 10))


def _clip(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    *,
    width: int = 760,
    highlight: Sequence[str] = (),
    color: str = PALETTE[0],
    note: str = "",
) -> str:
    """Horizontal bars, one per (label, value), in the order given; ``highlight`` labels in orange."""
    labels = [_clip(str(label)) for label, _ in items]
    left = _label_width(labels)
    top = 26
    height = top + _ROW * max(1, len(items)) + (22 if note else 8)
    top_value = max((v for _, v in items), default=0) or 1
    span = width - left - 70
    out = _open(width, height, title)
    if not items:
        out.append(f'<text x="0" y="{top + 14}" fill="#666">(nothing to show)</text>')
    for i, ((label, value), shown) in enumerate(zip(items, labels, strict=True)):
        y = top + i * _ROW
        bar = max(0.0, value) / top_value * span
        fill = PALETTE[1] if label in highlight else color
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="#222">{_e(shown)}</text>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar:.1f}" height="{_ROW - 6}" fill="{fill}"/>')
        out.append(f'<text x="{left + bar + 4:.1f}" y="{y + 14}" fill="#444">{_e(_fmt(value))}</text>')
    if note:
        out.append(f'<text x="0" y="{height - 6}" font-size="11" fill="#666">{_e(note)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def grouped_bars(
    items: Sequence[tuple[str, float, float]], title: str, legend: tuple[str, str], *, width: int = 760
) -> str:
    """Two bars per label (e.g. text share beside entropy weight), on one common scale."""
    labels = [_clip(str(label)) for label, _, _ in items]
    left = _label_width(labels)
    top, row = 44, 26
    height = top + row * max(1, len(items)) + 8
    top_value = max((max(a, b) for _, a, b in items), default=0) or 1
    span = width - left - 70
    out = _open(width, height, title)
    for k, name in enumerate(legend):
        x = left + k * 200
        out.append(f'<rect x="{x}" y="22" width="12" height="12" fill="{PALETTE[k]}"/>')
        out.append(f'<text x="{x + 16}" y="33" fill="#222">{_e(name)}</text>')
    for i, ((_, a, b), shown) in enumerate(zip(items, labels, strict=True)):
        y = top + i * row
        out.append(f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" fill="#222">{_e(shown)}</text>')
        for k, value in enumerate((a, b)):
            bar = max(0.0, value) / top_value * span
            yy = y + 2 + k * 11
            out.append(f'<rect x="{left}" y="{yy}" width="{bar:.1f}" height="10" fill="{PALETTE[k]}"/>')
            out.append(
                f'<text x="{left + bar + 4:.1f}" y="{yy + 9}" font-size="10" fill="#444">{value:.3f}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def share_bars(
    rows: Sequence[tuple[str, Sequence[float]]], parts: Sequence[str], title: str, *, width: int = 760
) -> str:
    """100% stacked bars: one row per scope, one segment per part (shares summing to 1 or 0)."""
    labels = [_clip(str(label)) for label, _ in rows]
    left = _label_width(labels)
    top = 44
    height = top + _ROW * max(1, len(rows)) + 8
    span = width - left - 10
    out = _open(width, height, title)
    for k, name in enumerate(parts):
        x = left + k * 120
        out.append(f'<rect x="{x}" y="22" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 16}" y="33" fill="#222">{_e(name)}</text>')
    for i, ((_, shares), shown) in enumerate(zip(rows, labels, strict=True)):
        y = top + i * _ROW
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="#222">{_e(shown)}</text>')
        x = float(left)
        if sum(shares) <= 0:
            out.append(f'<text x="{left}" y="{y + 14}" font-size="11" fill="#888">no mentions</text>')
        for k, share in enumerate(shares):
            w = max(0.0, share) * span
            if w <= 0:
                continue
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{_ROW - 6}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{_e(parts[k])} {share:.0%}</title></rect>'
            )
            if w > 34:
                out.append(
                    f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="10" fill="#fff">{share:.0%}</text>'
                )
            x += w
    out.append("</svg>")
    return "\n".join(out)


def heatmap(
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    values: Sequence[Sequence[float]],
    title: str,
    *,
    cell: int = 30,
) -> str:
    """A grid shaded by value (darker = more), numbers written in the cells."""
    rows = [_clip(str(r), 40) for r in row_labels]
    cols = [_clip(str(c), 10) for c in col_labels]
    left = _label_width(rows)
    top = 40 + max((len(c) for c in cols), default=0) * 7
    width = left + cell * max(1, len(cols)) + 10
    height = top + cell * max(1, len(rows)) + 8
    peak = max((v for row in values for v in row), default=0) or 1
    out = _open(max(width, 360), height, title)
    for j, col in enumerate(cols):
        x = left + j * cell + cell / 2
        out.append(
            f'<text x="{x:.1f}" y="{top - 6}" transform="rotate(-60 {x:.1f} {top - 6})" fill="#222">{_e(col)}</text>'
        )
    for i, (row, cells) in enumerate(zip(rows, values, strict=True)):
        y = top + i * cell
        out.append(
            f'<text x="{left - 6}" y="{y + cell / 2 + 4:.1f}" text-anchor="end" fill="#222">{_e(row)}</text>'
        )
        for j, value in enumerate(cells):
            strength = max(0.0, value) / peak
            shade = int(245 - 180 * strength)
            fill = f"rgb({shade},{int(248 - 120 * strength)},{int(252 - 60 * strength)})"
            x = left + j * cell
            out.append(f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}"/>')
            if value:
                ink = "#fff" if strength > 0.55 else "#222"
                out.append(
                    f'<text x="{x + (cell - 2) / 2:.1f}" y="{y + cell / 2 + 3:.1f}" text-anchor="middle" '
                    f'font-size="10" fill="{ink}">{_e(_short_number(value))}</text>'
                )
    out.append("</svg>")
    return "\n".join(out)
