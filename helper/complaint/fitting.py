"""Fitting a complaint into a form's text box: whole sentences by priority, never cut mid-way.

A platform form allows 200–500 characters; a reviewer needs the order id and the demand
above all, then the dated facts. Dropping whole lower-priority sentences keeps what is
left readable, where cutting at the limit would end mid-sentence or lose the demand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Piece:
    """One sentence of the form text: where it goes and how much it matters (0 = always kept)."""

    section: int
    priority: float
    text: str


def fit(pieces: list[Piece], limit: int, joiner: str = "") -> str:
    """Keep pieces by priority while the text fits `limit`, then render in document order.
    Priority 0 pieces are kept even when they alone exceed the limit (the caller warns).
    Sentences of a section are joined by `joiner` ("" in Chinese, " " in English);
    sections are separated by a line break."""
    chosen: list[tuple[int, Piece]] = []
    size, sections = 0, set()
    for index, piece in sorted(enumerate(pieces), key=lambda p: (p[1].priority, p[0])):
        glue = len(joiner) if piece.section in sections else (1 if sections else 0)
        if piece.priority == 0 or size + glue + len(piece.text) <= limit:
            chosen.append((index, piece))
            size += glue + len(piece.text)
            sections.add(piece.section)
    lines: dict[int, list[str]] = {}
    for _, piece in sorted(chosen, key=lambda p: p[0]):
        lines.setdefault(piece.section, []).append(piece.text)
    return "\n".join(joiner.join(parts) for _, parts in sorted(lines.items()))
