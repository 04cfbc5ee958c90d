"""The typosquat neighbour index: which popular name of the same ecosystem a name imitates, and by which trick.

Built whole by `slopguard.rules.similarity` for a scan; `slopguard.rules.similarity_direct` answers the same
tables on demand for the agent hook.
"""

from __future__ import annotations

from slopguard.models import Ecosystem
from slopguard.popular import popular_names, popular_rank, popular_set
from slopguard.rules.spellings import deletes, edit_trick, glyph_form, skeleton, within_one_edit

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from collections.abc import Iterable
    from dataclasses import dataclass
else:  # a frozen dataclass without `dataclasses` at import (see `slopguard._frozen`)
    from slopguard._frozen import dataclass

TRICKS = {
    "omission": "a letter left out",
    "addition": "a letter added",
    "substitution": "a letter swapped for another",
    "transposition": "two letters swapped",
    "edit": "a couple of letters changed",
    "separator": "separators changed or removed",
    "separator-edit": "separators changed and a letter changed",
    "case": "letter case changed",
    "prefix": "a prefix added or removed",
    "suffix": "a suffix added or removed",
    "homoglyph": "look-alike characters (0/o, 1/l/I, rn/m)",
    "scope": "a look-alike npm scope",
    "owner": "a look-alike Go module owner",
}
"""Every trick `nearest_popular` can name, with a phrase for messages."""

_AFFIXES = {
    Ecosystem.PYPI: (("python-", "-python", "py-", "-py", "py"), ("-python", "-py", "py", "2", "3", "-2", "-3")),
    Ecosystem.NPM: (("node-", "node", "js-"), ("-js", ".js", "js", "-node", "2", "3", "-2", "-3")),
}
_MIN_EDIT_LEN = 4
_SHORT_ENOUGH = 48
"""Names up to this long go through the edit tables without asking how long the longest popular name is."""
_LONG = 9
_MIN_SKELETON_EDIT = 8
"""Separators moved plus one letter changed (`koa-body-parse`, `logsymbles`) counts for skeletons this long."""
# Only the head of a popular list is worth imitating letter by letter; below it, near names are mostly
# unrelated real packages (measured by bench/eval_detection.py on names the shipped list leaves out).
# npm's list is ranked by dependents, and attackers go after its whole head (web3, bitcoin libraries), 4-letter
# names too (`wbe3`, `bs85`, `hulp` in TypoGard's set). A look-alike that is itself an established package is
# not a finding (`slopguard.rules.typosquat`), so a wide reach costs only fresh uploads near a popular name.
_CAPS = {  # (one-letter edits, two-letter edits, names of 4 letters, prefix/suffix games)
    Ecosystem.PYPI: (5000, 2000, 1000, 5000),
    Ecosystem.NPM: (1 << 30, 5000, 10000, 1 << 30),
    Ecosystem.GO: (1 << 30, 1 << 30, 1 << 30, 1 << 30),
}
_POOLS = 4096
"""Candidate pools of `_match_far` kept per index before the cache starts over (each a list of popular names)."""
_GIT_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})


@dataclass(frozen=True)
class Match:
    """The popular name a name imitates (`target`) and the trick used (a key of `TRICKS`)."""

    target: str
    trick: str


def _first(names: Iterable[str], rank: dict[str, int]) -> str | None:
    return min(names, key=lambda n: rank.get(n, 1 << 30), default=None)


class _Index:
    """Lookup tables for one ecosystem, built once from its popular list."""

    def __init__(self, ecosystem: Ecosystem) -> None:
        self.ecosystem = ecosystem
        self.names = popular_names(ecosystem)
        self.popular = popular_set(ecosystem)
        self.rank = popular_rank(ecosystem)
        self.edit_top, self.far_top, self.short_top, self.affix_top = _CAPS[ecosystem]
        self.lower: dict[str, str] = {}
        self.skeletons: dict[str, str] = {}
        self.glyphs: dict[str, str] = {}
        self.stripped: dict[str, tuple[str, str]] = {}
        self.deletes: dict[str, str] = {}
        self.skeleton_deletes: dict[str, str] = {}
        self.by_length: dict[tuple[int, str], list[str]] = {}
        for name in self.names:  # most popular first: setdefault keeps the most popular target
            self.lower.setdefault(name.lower(), name)
            self.skeletons.setdefault(skeleton(name), name)
            self.glyphs.setdefault(glyph_form(name), name)
        if ecosystem is not Ecosystem.GO:
            for name in self.names:
                if self.rank[name] >= self.affix_top:
                    continue
                for short, trick in self._strip(name):
                    if short not in self.popular:
                        self.stripped.setdefault(short, (name, trick))
            # one entry per deletion, written least popular first so the most popular name wins
            editable = [n for n in reversed(self.names[: self.edit_top]) if len(n) >= _MIN_EDIT_LEN]
            self.deletes = {n[:i] + n[i + 1 :]: n for n in editable for i in range(len(n))}
            skeletal = [(skeleton(n), n) for n in reversed(self.names[: self.edit_top])]
            self.skeleton_deletes = {
                k[:i] + k[i + 1 :]: n for k, n in skeletal if len(k) >= _MIN_SKELETON_EDIT for i in range(len(k))
            }
            for name in self.names[: self.far_top]:
                if len(name) >= _LONG - 2:
                    self.by_length.setdefault((len(name), name[0]), []).append(name)
                    self.by_length.setdefault((len(name), "$" + name[-1]), []).append(name)
        if ecosystem is Ecosystem.GO:
            self._build_go()

    def _strip(self, name: str) -> Iterable[tuple[str, str]]:
        prefixes, suffixes = _AFFIXES.get(self.ecosystem, ((), ()))
        for prefix in prefixes:
            if name.startswith(prefix) and len(name) - len(prefix) >= 3:
                yield name[len(prefix) :], "prefix"
        for suffix in suffixes:
            if name.endswith(suffix) and len(name) - len(suffix) >= 3:
                yield name[: -len(suffix)], "suffix"

    # --- PyPI and npm -------------------------------------------------------------------------------

    def match(self, name: str) -> Match | None:
        if name in self.popular:
            return None
        if self.ecosystem is Ecosystem.GO:
            return self._match_go(name)
        target = self.lower.get(name.lower())
        if target:
            return Match(target, "case")
        key = skeleton(name)
        target = self.skeletons.get(key)
        if target:
            return Match(target, "separator")
        target = self.glyphs.get(glyph_form(name))
        if target:
            return Match(target, "homoglyph")
        found = self._match_scope(name) or self._match_affix(name) or self._match_edit(name)
        found = found or self._match_skeleton_edit(name, key)
        if found and found.trick != "scope" and name.startswith("@") and found.target.startswith("@"):
            if name.partition("/")[2] == found.target.partition("/")[2]:
                return Match(found.target, "scope")
        return found

    def _match_scope(self, name: str) -> Match | None:
        if self.ecosystem is not Ecosystem.NPM:
            return None
        bare = name[1:] if name.startswith("@") else name
        if "/" in bare:
            return None
        for sep in ("-", "_", "."):  # `@types-node`, `types-node` -> `@types/node`
            if sep in bare:
                scoped = "@" + bare.replace(sep, "/", 1)
                if scoped in self.popular:
                    return Match(scoped, "scope")
        return None

    def _match_affix(self, name: str) -> Match | None:
        hit = self.stripped.get(name)  # `dateutil` vs `python-dateutil`
        if hit:
            return Match(*hit)
        best: Match | None = None
        for short, trick in self._strip(name):  # `python-requests`, `requests2`, `lodash-js`
            if short in self.popular and self.rank[short] < self.affix_top:
                if best is not None and self.rank[short] >= self.rank[best.target]:
                    continue
                best = Match(short, trick)
        return best

    def _longest(self) -> int:
        """The length of the longest popular name (computed once, on the first long name asked about)."""
        longest: int | None = self.__dict__.get("_longest_name")
        if longest is None:
            longest = self.__dict__["_longest_name"] = max(map(len, self.names), default=0)
        return longest

    def _longest_skeleton(self) -> int:
        """The length of the longest popular skeleton (computed once, on the first long skeleton asked about)."""
        longest: int | None = self.__dict__.get("_longest_skeleton_length")
        if longest is None:
            longest = max((len(skeleton(n)) for n in self.names), default=0)
            self.__dict__["_longest_skeleton_length"] = longest
        return longest

    def _worth(self, target: str) -> bool:
        """Whether `target` is popular enough to be imitated by a one-letter edit."""
        rank = self.rank.get(target, 1 << 30)
        return len(target) >= _MIN_EDIT_LEN and rank < (self.short_top if len(target) <= 4 else self.edit_top)

    def _found(self, table: dict[str, str], keys: set[str]) -> set[str]:
        """The values `table` holds for any of `keys` (one C-level intersection; `Direct` asks key by key)."""
        return {table[key] for key in keys & table.keys()}

    def _match_edit(self, name: str) -> Match | None:
        if len(name) < _MIN_EDIT_LEN or (len(name) > _SHORT_ENOUGH and len(name) > self._longest() + 2):
            return None  # more than two edits away from every popular name: no table can hold it

        keys = deletes(name)
        candidates = keys & self.popular  # a letter added
        candidates |= self._found(self.deletes, keys)  # a letter substituted, or two swapped
        hit = self.deletes.get(name)  # `name` is a popular name with a letter left out
        if hit:
            candidates.add(hit)
        hits = [c for c in candidates if self._worth(c) and within_one_edit(name, c)]
        best = _first(hits, self.rank)
        if best is not None:
            return Match(best, edit_trick(name, best))
        if len(name) >= _LONG:
            return self._match_far(name)
        return None

    def _match_skeleton_edit(self, name: str, key: str | None = None) -> Match | None:
        """One letter changed once separators are ignored: `uglyfi.js` for `uglify-js`, `ember_cli_babe`."""
        key = skeleton(name) if key is None else key
        if len(key) < _MIN_SKELETON_EDIT or (len(key) > _SHORT_ENOUGH and len(key) > self._longest_skeleton() + 1):
            return None  # more than one edit away from every popular skeleton: no table can hold it
        shorts = deletes(key)
        candidates = self._found(self.skeleton_deletes, shorts)  # a letter changed, or two swapped
        if len(key) > _MIN_SKELETON_EDIT:  # a letter added (to a skeleton of `_MIN_SKELETON_EDIT` letters or more)
            candidates |= self._found(self.skeletons, shorts)
        hit = self.skeleton_deletes.get(key)  # a letter left out
        if hit:
            candidates.add(hit)
        hits = [c for c in candidates if self.rank[c] < self.edit_top and within_one_edit(key, skeleton(c))]
        best = _first(hits, self.rank)
        return Match(best, "separator-edit") if best else None

    def _far_pool(self, length: int, first: str, last: str) -> list[str]:
        """Popular names of `length` +/- 2 that start with `first` or end with `last`, kept for the next name
        of the same shape (a bounded number of pools: the cache is emptied when it grows large)."""
        pools: dict[tuple[int, str, str], list[str]] = self.__dict__.setdefault("_pools", {})
        pool = pools.get((length, first, last))
        if pool is None:
            found: set[str] = set()
            for size in range(length - 2, length + 3):
                found.update(self.by_length.get((size, first), ()))
                found.update(self.by_length.get((size, "$" + last), ()))
            if len(pools) >= _POOLS:
                pools.clear()
            pool = pools[(length, first, last)] = sorted(found, key=self.rank.__getitem__)
        return pool

    def _match_far(self, name: str) -> Match | None:
        """Damerau-Levenshtein 2 for long names, among popular names of similar length sharing an end."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        pool = self._far_pool(len(name), name[0], name[-1])
        found = process.extract(name, pool, scorer=OSA.distance, score_cutoff=2, limit=None)
        hits = [p for p, _, _ in found if p != name and min(_edited_length(p, name), _edited_length(name, p)) >= _LONG]
        best = _first(hits, self.rank)
        return Match(best, edit_trick(name, best)) if best else None

    # --- Go -----------------------------------------------------------------------------------------

    def _build_go(self) -> None:
        self.go_children: dict[str, list[str]] = {}
        self.go_repos: dict[tuple[str, str], list[str]] = {}
        for path in self.names:
            head, _, last = path.rpartition("/")
            if not head:
                continue
            self.go_children.setdefault(head, []).append(path)
            host = path.split("/", 1)[0]
            self.go_repos.setdefault((host, skeleton(last)), []).append(path)

    def _match_go(self, path: str) -> Match | None:
        parts = path.split("/")
        for end in range(len(parts) - 1, 1, -1):  # a package inside a popular module is that module
            if "/".join(parts[:end]) in self.popular:
                return None
        if parts[0] in _GIT_HOSTS and len(parts) >= 3:
            modules = ["/".join(parts[:3])]
        else:  # `k8s.io/clientgo/kubernetes`: any prefix may be the module
            modules = ["/".join(parts[:end]) for end in range(len(parts), 1, -1)]
        for module in modules:
            found = self._match_go_module(module)
            if found:
                return found
        return None

    def _match_go_module(self, module: str) -> Match | None:
        from rapidfuzz.distance import OSA

        if module in self.popular:
            return None
        target = self.lower.get(module.lower())
        if target:
            return Match(target, "case")
        head, _, last = module.rpartition("/")
        siblings = [p for p in self.go_children.get(head, ()) if p != module]
        same = [p for p in siblings if skeleton(p.rpartition("/")[2]) == skeleton(last)]
        if same:
            return Match(same[0], "separator")
        limit = 2 if len(last) >= _LONG else 1
        close = [p for p in siblings if OSA.distance(last, p.rpartition("/")[2], score_cutoff=limit) <= limit]
        if len(last) >= _MIN_EDIT_LEN and close:
            best = _first(close, self.rank) or close[0]
            return Match(best, edit_trick(last, best.rpartition("/")[2]))
        host, _, owner = head.partition("/")
        if host not in _GIT_HOSTS or not owner or "/" in owner:
            return None
        for other in self.go_repos.get((host, skeleton(last)), ()):
            other_owner = other.split("/")[1]
            if other_owner != owner and _owner_game(owner, other_owner):
                return Match(other, "owner")
        return None


def _edited_length(name: str, other: str) -> int:
    """The length of `name` that counts for a two-letter edit: only the bare name when both share an npm scope
    (`@types/convict` and `@types/connect` are two edits apart in 7 letters, not in 14)."""
    if name.startswith("@") and other.startswith("@") and name.partition("/")[0] == other.partition("/")[0]:
        return len(name.partition("/")[2])
    return len(name)


def _owner_game(owner: str, real: str) -> bool:
    a, b = owner.lower(), real.lower()
    if len(b) < 3:
        return False
    if a.startswith(b) or a.endswith(b) or (b.startswith(a) and len(a) >= 4):
        return True
    from rapidfuzz.distance import OSA

    return skeleton(a) == skeleton(b) or (min(len(a), len(b)) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1)
