"""The typosquat neighbour index: every trick it names, the false-positive traps, and popular names never match."""

from __future__ import annotations

import pytest

from slopguard.models import Ecosystem
from slopguard.popular import popular_names
from slopguard.rules.similarity import TRICKS, Match, describe, nearest_popular
from slopguard.rules.spellings import glyph_form, skeleton

P, N, G = Ecosystem.PYPI, Ecosystem.NPM, Ecosystem.GO


@pytest.mark.parametrize(
    ("eco", "name", "target", "trick"),
    [
        (P, "requets", "requests", "omission"),
        (P, "requestss", "requests", "addition"),
        (P, "reqursts", "requests", "substitution"),
        (P, "reqeusts", "requests", "transposition"),
        (P, "mstplotlib", "matplotlib", "substitution"),
        (P, "beautifulsop4", "beautifulsoup4", "omission"),
        (P, "urlib3", "urllib3", "omission"),
        (P, "pythondateutil", "python-dateutil", "separator"),
        (P, "setup-tools", "setuptools", "separator"),
        (P, "dateutil", "python-dateutil", "prefix"),
        (P, "python-requests", "requests", "prefix"),
        (P, "pyrequests", "requests", "prefix"),
        (P, "requests-py", "requests", "suffix"),
        (P, "requests2", "requests", "suffix"),
        (P, "djang0", "django", "homoglyph"),
        (P, "fIask", "flask", "homoglyph"),
        (N, "reactdom", "react-dom", "separator"),
        (N, "raect", "react", "transposition"),
        (N, "expresss", "express", "addition"),
        (N, "lodash-js", "lodash", "suffix"),
        (N, "node-lodash", "lodash", "prefix"),
        (N, "rnoment", "moment", "homoglyph"),
        (N, "@typs/node", "@types/node", "scope"),
        (N, "@types-node", "@types/node", "scope"),
        (N, "types-node", "@types/node", "scope"),
        (G, "github.com/boltdb-go/bolt", "github.com/boltdb/bolt", "owner"),
        (G, "github.com/stretchr/testfy", "github.com/stretchr/testify", "omission"),
        (G, "github.com/Stretchr/testify", "github.com/stretchr/testify", "case"),
        (G, "k8s.io/clientgo/kubernetes", "k8s.io/client-go", "separator"),
        (G, "gopkg.in/yml.v3", "gopkg.in/yaml.v3", "omission"),
        (G, "go.uber.org/zapp", "go.uber.org/zap", "addition"),
        (G, "github.com/sirupsen/logruss/hooks", "github.com/sirupsen/logrus", "addition"),
    ],
)
def test_trick_is_named(eco: Ecosystem, name: str, target: str, trick: str) -> None:
    assert nearest_popular(eco, name) == Match(target, trick)
    assert trick in TRICKS and describe(Match(target, trick))


@pytest.mark.parametrize(
    ("eco", "name"),
    [
        (P, "scipy"), (P, "scapy"), (P, "pyyaml"), (P, "pyaml"), (P, "boto"), (P, "boto3"),
        (N, "react"), (N, "preact"),
        (G, "github.com/stretchr/testify/assert"), (G, "golang.org/x/sys/unix"),
        (G, "k8s.io/client-go/kubernetes"), (G, "gopkg.in/yaml.v3"),
    ],
)  # fmt: skip
def test_false_positive_traps_are_not_flagged(eco: Ecosystem, name: str) -> None:
    assert nearest_popular(eco, name) is None


@pytest.mark.parametrize(
    ("eco", "name"),
    [(P, "mycorp-internal-billing"), (P, "zzqxw"), (N, "@mycorp/widgets"), (G, "github.com/acme-corp/private-thing")],
)
def test_unrelated_names_have_no_neighbour(eco: Ecosystem, name: str) -> None:
    assert nearest_popular(eco, name) is None


@pytest.mark.parametrize("eco", list(Ecosystem))
def test_popular_names_never_match(eco: Ecosystem) -> None:
    names = popular_names(eco)
    assert len(names) > 1000
    flagged = [n for n in names[::7] if nearest_popular(eco, n) is not None]
    assert flagged == []


def test_short_names_need_more_than_one_edit() -> None:
    # two- and three-letter names are too dense for edit distance: `siz` is not taken for `six`
    assert nearest_popular(P, "siz") is None
    assert nearest_popular(N, "mss") is None
    assert nearest_popular(P, "numpyy") == Match("numpy", "addition")


def test_forms() -> None:
    assert skeleton("Python_Date.Util") == "pythondateutil"
    assert glyph_form("rnoment") == glyph_form("moment")
    assert glyph_form("dj4ng0") != glyph_form("django")
    assert glyph_form("l0dash") == glyph_form("lodash")
