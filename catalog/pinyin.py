"""Finding a certificate as people type it: pinyin in full (wuliu), initials (wlgl), both mixed (wuliugl) and
mixed with the Latin letters of the name (webqd → Web前端开发)."""

from __future__ import annotations

import re
from functools import cache

from pypinyin import Style, lazy_pinyin, pinyin

TYPED = re.compile(r"[a-z0-9]+")


def _one_by_one(text: str) -> list[str]:
    """pypinyin's `errors` callback: characters without pinyin (Latin letters, digits, marks) one entry each."""
    return list(text)


@cache
def syllables(name: str) -> tuple[frozenset[str], ...]:
    """One entry per character of `name`: the pinyin readings of a Chinese character (the reading in context
    first, others of a 多音字 too), or the character itself for Latin letters and digits; other marks dropped."""
    readings = []
    # pypinyin's stub says the `errors` callback returns a str; it takes a list too (DefaultConverter.handle_nopinyin).
    readings_in_context = lazy_pinyin(name, errors=_one_by_one)  # type: ignore[arg-type]
    for char, reading in zip(name, readings_in_context, strict=False):
        if char.isascii():
            if char.isalnum():
                readings.append(frozenset({char.lower()}))
            continue
        others = pinyin(char, style=Style.NORMAL, heteronym=True)[0]
        readings.append(frozenset({reading, *others}))
    return tuple(readings)


def matches(query: str, name: str) -> bool:
    """Whether `query` (letters and digits) types a run of `name`'s characters, each by its whole reading or a
    beginning of it (an initial)."""
    query = query.lower()
    units = syllables(name)

    @cache
    def from_here(i: int, j: int) -> bool:
        if i == len(query):
            return True
        if j == len(units):
            return False
        rest = query[i:]
        return any(
            reading[:k] == rest[:k] and from_here(i + k, j + 1)
            for reading in units[j]
            for k in range(min(len(reading), len(rest)), 0, -1)
        )

    return any(from_here(0, j) for j in range(len(units)))


def is_typed(query: str) -> bool:
    return bool(TYPED.fullmatch(query.lower()))
