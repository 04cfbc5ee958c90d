"""The direct scanner answers exactly as the built typosquat index, and a few names never build the index."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from slopguard.models import Ecosystem
from slopguard.popular import data_dir, popular_names, popular_set
from slopguard.rules import similarity, spellings
from slopguard.rules.similarity_direct import Direct

REPO = Path(__file__).resolve().parents[2]
EXTRA = "abcdefghijklmnopqrstuvwxyz0123456789-_."


def _mutations(ecosystem: Ecosystem, count: int) -> list[str]:
    """Deterministic near-misses of popular names: every edit, separator, case, affix and look-alike game."""
    rng = random.Random(f"direct-{ecosystem.value}")
    head = popular_names(ecosystem)[:6000]
    out: list[str] = []
    for _ in range(count):
        name = rng.choice(head)
        i, c = rng.randrange(len(name)), rng.choice(EXTRA)
        out += [
            name[:i] + name[i + 1 :],
            name[:i] + c + name[i:],
            name[:i] + c + name[i + 1 :],
            name[:i] + name[i + 1 : i + 2] + name[i : i + 1] + name[i + 2 :],
            name.replace("-", "_").replace(".", "").upper(),
            rng.choice(["python-", "py", "node-", "js-", "py-"]) + name,
            name + rng.choice(["-py", "js", "2", "-3", ".js", "-python", "-node"]),
            name.replace("l", "1").replace("o", "0").replace("m", "rn").replace("w", "vv"),
            name[:i] + c + c + name[i + 2 :],
            name.replace("/", "-", 1).lstrip("@"),
        ]
    popular = popular_set(ecosystem)
    return [n for n in dict.fromkeys(out) if n and n not in popular]


def _eval_typosquats(ecosystem: Ecosystem) -> list[str]:
    path = data_dir().parent / "registries" / "eval" / "typosquat-pairs.tsv"
    if not path.is_file():
        path = REPO / "registries" / "eval" / "typosquat-pairs.tsv"
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return [r[1] for r in rows if len(r) > 2 and r[0] == ecosystem.value]


@pytest.mark.parametrize("ecosystem", list(Ecosystem), ids=lambda e: e.value)
def test_direct_answers_equal_the_index(ecosystem: Ecosystem) -> None:
    index = similarity._index(ecosystem)
    direct = Direct(ecosystem)
    names = _mutations(ecosystem, 60) + _eval_typosquats(ecosystem) + ["a", "ab", "zzzzzzzzzzzzzz", "@x/y"]
    matched = 0
    for name in names:
        expected = index.match(name)
        assert direct.match(name) == expected, name
        matched += expected is not None
    assert matched > len(names) // 10  # the sample exercises the tricks, not only misses


@pytest.fixture
def fresh_matchers(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(similarity, "_asked", {})
    monkeypatch.setattr(similarity, "_direct", {})
    monkeypatch.setattr(similarity, "_built", set())
    similarity._index.cache_clear()
    yield
    similarity._index.cache_clear()


@pytest.mark.usefixtures("fresh_matchers")
def test_a_few_names_never_build_the_index_and_many_do() -> None:
    assert similarity.nearest_popular(Ecosystem.PYPI, "requests") is None  # popular: nothing built or scanned
    assert similarity._asked == {} and similarity._direct == {}
    match = similarity.nearest_popular(Ecosystem.PYPI, "reqeusts")
    assert match is not None and match.target == "requests"
    assert similarity._index.cache_info().currsize == 0 and Ecosystem.PYPI in similarity._direct
    for i in range(similarity.DIRECT_LIMIT):
        similarity.nearest_popular(Ecosystem.PYPI, f"no-such-package-{i}")
    assert similarity._index.cache_info().currsize == 1 and Ecosystem.PYPI in similarity._built
    assert similarity.nearest_popular(Ecosystem.PYPI, "reqeusts") == match


@pytest.mark.parametrize("ecosystem", list(Ecosystem), ids=lambda e: e.value)
def test_whole_text_forms_equal_the_per_name_functions(ecosystem: Ecosystem) -> None:
    direct = Direct(ecosystem)
    names = list(direct.names)
    assert direct._forms("lower") == [n.lower() for n in names]
    assert direct._forms("skeleton") == [spellings.skeleton(n) for n in names]
    assert direct._forms("glyph") == [spellings.glyph_form(n) for n in names]


def test_forms_of_names_with_blanks_or_non_ascii_take_the_per_name_way(monkeypatch: pytest.MonkeyPatch) -> None:
    odd = ("Foo Bar", "ВАСЯ-Pkg", "rn_vv.I0")
    from slopguard.rules import similarity_direct

    monkeypatch.setattr(similarity_direct, "popular_names", lambda ecosystem: odd)
    direct = Direct(Ecosystem.NPM)
    assert direct._forms("skeleton") == [spellings.skeleton(n) for n in odd]
    assert direct._forms("glyph") == [spellings.glyph_form(n) for n in odd]
    assert direct.skeletons.get("foobar") == "Foo Bar"
