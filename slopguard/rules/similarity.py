"""Which popular name a name imitates: `nearest_popular`, answered by the built index or the direct scanner."""

from __future__ import annotations

import functools

from slopguard.models import Ecosystem
from slopguard.popular import popular_set
from slopguard.rules.similarity_index import TRICKS, Match, _Index


@functools.cache
def _index(ecosystem: Ecosystem) -> _Index:
    return _Index(ecosystem)


DIRECT_LIMIT = 24
"""Names per ecosystem and process answered by `_Direct` before the index is built: building it costs
0.3-0.6 s (PyPI, npm), a direct answer a few milliseconds, so an agent hook asking about one new name
never pays for the index while a scan of a whole project does once."""

_asked: dict[Ecosystem, int] = {}
_direct: dict[Ecosystem, _Index] = {}
_built: set[Ecosystem] = set()


def _matcher(ecosystem: Ecosystem) -> _Index:
    """The built index once built or once `DIRECT_LIMIT` names were asked about, else the direct scanner."""
    if ecosystem in _built:
        return _index(ecosystem)
    _asked[ecosystem] = _asked.get(ecosystem, 0) + 1
    if _asked[ecosystem] > DIRECT_LIMIT:
        index = _index(ecosystem)
        _built.add(ecosystem)
        _direct.pop(ecosystem, None)
        return index
    if ecosystem not in _direct:
        from slopguard.rules.similarity_direct import Direct

        _direct[ecosystem] = Direct(ecosystem)
    return _direct[ecosystem]


def expect(ecosystem: Ecosystem, count: int) -> None:
    """Say that about `count` names of `ecosystem` are coming: past `DIRECT_LIMIT`, the index is built now
    rather than after the direct scanner has answered the first ones the slow way."""
    if count > DIRECT_LIMIT and ecosystem not in _built:
        _asked[ecosystem] = max(_asked.get(ecosystem, 0), DIRECT_LIMIT)


MAX_NAME = 256
"""Longest name compared with the popular names (the longest popular name has under 100 characters, npm allows
214). A longer one imitates nothing a reader would take for a popular name, and the edit tables cost its length
squared."""


def nearest_popular(ecosystem: Ecosystem, name: str) -> Match | None:
    """The popular name `name` (canonical) most likely imitates, or `None`; a popular name never matches."""
    if not name or len(name) > MAX_NAME or name in popular_set(ecosystem):
        return None
    return _matcher(ecosystem).match(name)


def describe(match: Match) -> str:
    """A short phrase for `match.trick`, for messages."""
    return TRICKS.get(match.trick, match.trick)


__all__ = ["DIRECT_LIMIT", "TRICKS", "Match", "describe", "expect", "nearest_popular"]
