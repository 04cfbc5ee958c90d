"""The typosquat check for a process that asks about a few names: the index's answers, found by scanning.

`slopguard.rules.similarity` builds a neighbour index of every popular name once per process (0.1-0.6 s), worth
it for a scan but not for the agent hook, which asks about one or two new names per call. `Direct` is
that index with every table answered on demand by scanning the popular list for the one key asked, so
the answers are exactly the built index's (tests compare them on thousands of names).
"""

from __future__ import annotations

from slopguard.models import Ecosystem
from slopguard.popular import popular_names, popular_rank, popular_set
from slopguard.rules.similarity_index import _AFFIXES, _CAPS, _LONG, _MIN_EDIT_LEN, _MIN_SKELETON_EDIT, _Index
from slopguard.rules.spellings import GLYPHS, glyph_form, skeleton

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on the hook's cold path
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class _Scan(dict):  # type: ignore[type-arg]
    """A lazily answered lookup table: `get(key)` computes and remembers what the built dict would hold."""

    def __init__(self, find: Callable[[Any], Any]) -> None:
        super().__init__()
        self.find = find

    def get(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = self.find(key)
        found = self[key]
        return default if found is None else found


class Direct(_Index):
    """`_Index` whose tables are answered by scanning the popular list per name instead of being built
    whole; every lookup returns exactly what the built table holds (checked by tests)."""

    def __init__(self, ecosystem: Ecosystem) -> None:  # noqa: D107 - no super().__init__: nothing is built
        self.ecosystem = ecosystem
        self.names = popular_names(ecosystem)
        self.popular = popular_set(ecosystem)
        self.rank = popular_rank(ecosystem)
        self.edit_top, self.far_top, self.short_top, self.affix_top = _CAPS[ecosystem]
        self.lower = _Scan(lambda k: self._first_with(self._forms("lower"), k))
        self.skeletons = _Scan(self._find_skeleton)
        self.glyphs = _Scan(lambda k: self._first_with(self._forms("glyph"), k))
        self.stripped = _Scan(self._find_stripped)
        self.deletes = _Scan(self._find_deleted)
        self.skeleton_deletes = _Scan(self._find_skeleton_deleted)
        self.by_length = _Scan(self._find_bucket)
        self._form_lists: dict[str, list[str]] = {}
        self._alphabet: list[str] | None = None
        self._skeleton_first: dict[str, str] = {}
        self._skeleton_letters = ""
        if ecosystem is Ecosystem.GO:
            self._build_go()

    def _found(self, table: dict[str, str], keys: set[str]) -> set[str]:
        """What each lazily answered table holds for `keys`, asked key by key (an intersection would see
        only the keys asked before)."""
        return {found for key in keys if (found := table.get(key))}

    def _first_with(self, forms: list[str], key: str) -> str | None:
        """The most popular name whose form (in `forms`, aligned with `names`) is `key`."""
        try:
            return self.names[forms.index(key)]
        except ValueError:
            return None

    def _forms(self, kind: str) -> list[str]:
        """`n.lower()`, `skeleton(n)` or `glyph_form(n)` of every popular name, in order.

        An ASCII list without blanks in names is transformed as one text (each step is a C-level pass over
        ~200 KB, ~1 ms for all three lists; a call per name took ~15 ms): no step can reach across the line
        breaks between names, so the lines come out exactly as the per-name functions give them.
        """
        if kind not in self._form_lists:
            text = "\n".join(self.names)
            if text.isascii() and not any(c in text for c in " \t\r\x0b\x0c\x1c\x1d\x1e\x1f"):
                if kind == "glyph":
                    text = text.replace("I", "l")
                text = text.lower()
                if kind != "lower":
                    text = text.replace("-", "").replace("_", "").replace(".", "")
                if kind == "glyph":
                    for old, new in GLYPHS:
                        text = text.replace(old, new)
                self._form_lists[kind] = text.split("\n")
            else:
                form = {"lower": str.lower, "skeleton": skeleton, "glyph": glyph_form}[kind]
                self._form_lists[kind] = [form(n) for n in self.names]
        return self._form_lists[kind]

    def _find_stripped(self, short: str) -> tuple[str, str] | None:
        if self.ecosystem is Ecosystem.GO or short in self.popular:
            return None
        prefixes, suffixes = _AFFIXES.get(self.ecosystem, ((), ()))
        longer = [p + short for p in prefixes] + [short + x for x in suffixes]
        owners = sorted((self.rank[n], n) for n in set(longer) if n in self.popular and self.rank[n] < self.affix_top)
        for _, name in owners:  # most popular first; within a name, `_strip`'s order
            for stripped, trick in self._strip(name):
                if stripped == short:
                    return name, trick
        return None

    def _find_deleted(self, key: str) -> str | None:
        """The most popular editable name that is `key` with one letter added: every such spelling is made and
        looked up (a few hundred hash lookups; scanning the names of that length took ~1 ms per key)."""
        if self.ecosystem is Ecosystem.GO:
            return None
        if self._alphabet is None:
            self._alphabet = sorted(set("".join(self.names[: self.edit_top])))
        best, best_rank = None, self.edit_top
        for i in range(len(key) + 1):
            head, tail = key[:i], key[i:]
            for letter in self._alphabet:
                rank = self.rank.get(head + letter + tail)
                if rank is not None and rank < best_rank and len(key) + 1 >= _MIN_EDIT_LEN:
                    best, best_rank = head + letter + tail, rank
        return best

    def _find_skeleton(self, key: str) -> str | None:
        if self._skeleton_first:
            return self._skeleton_first.get(key)
        return self._first_with(self._forms("skeleton"), key)

    def _find_skeleton_deleted(self, key: str) -> str | None:
        """The most popular editable name whose skeleton (of `_MIN_SKELETON_EDIT` letters or more) is `key` with
        one letter added, by making every such spelling and looking it up among the skeletons."""
        if self.ecosystem is Ecosystem.GO or len(key) + 1 < _MIN_SKELETON_EDIT:
            return None
        if not self._skeleton_first:  # every skeleton and its most popular name (written last, so it wins)
            forms = self._forms("skeleton")
            self._skeleton_first = dict(zip(reversed(forms), reversed(self.names), strict=True))
            self._skeleton_letters = "".join(sorted(set("".join(forms))))
        best: str | None = None
        best_rank = self.edit_top
        for i in range(len(key) + 1):
            head, tail = key[:i], key[i:]
            for letter in self._skeleton_letters:
                found = self._skeleton_first.get(head + letter + tail)
                if found is not None and self.rank[found] < best_rank:
                    best, best_rank = found, self.rank[found]
        return best

    def _find_bucket(self, key: tuple[int, str]) -> list[str] | None:
        if self.ecosystem is Ecosystem.GO:
            return None
        length, mark = key
        end = mark[1:] if mark.startswith("$") and len(mark) > 1 else None
        out = [
            n
            for n in self.names[: self.far_top]
            if len(n) == length and len(n) >= _LONG - 2 and (n[-1] == end if end is not None else n[0] == mark)
        ]
        return out or None
