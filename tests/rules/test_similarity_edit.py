"""The pure-Python one-edit test the direct typosquat scan uses agrees with rapidfuzz's OSA distance."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from slopguard.rules.spellings import within_one_edit

NAMES = st.text(alphabet="abcde-_.1", max_size=8)


def _mutations(word: str) -> list[str]:
    """`word` with every single added, left-out, changed or swapped letter: the distance-1 neighbours."""
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}
    out |= {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in "ab-"}
    out |= {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in "ab-"}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return sorted(out)


@settings(max_examples=400, deadline=None)
@given(NAMES, NAMES)
def test_agrees_with_osa_on_any_pair(a: str, b: str) -> None:
    assert within_one_edit(a, b) == (OSA.distance(a, b, score_cutoff=1) <= 1)


@settings(max_examples=200, deadline=None)
@given(NAMES)
def test_agrees_with_osa_on_near_pairs(word: str) -> None:
    for other in _mutations(word):
        assert within_one_edit(word, other) == (OSA.distance(word, other, score_cutoff=1) <= 1), (word, other)
        assert within_one_edit(other, word) == within_one_edit(word, other)


def test_examples() -> None:
    assert within_one_edit("requests", "reqeusts")  # a swap
    assert within_one_edit("requests", "request")  # a letter left out
    assert within_one_edit("requests", "requestss")  # a letter added
    assert within_one_edit("requests", "requesta")  # a letter changed
    assert not within_one_edit("requests", "reqeustz")  # a swap and a change
    assert not within_one_edit("ab", "ba-")
