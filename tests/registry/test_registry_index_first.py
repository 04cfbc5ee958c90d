"""uv's `--index`: the given index (one the settings configure) is asked first and PyPI after it, as uv does
(the first index that has it wins)."""

from __future__ import annotations

from fakeregistry import FakeRegistry

from slopguard.check import check_refs
from slopguard.config import Settings
from slopguard.extract import extract
from slopguard.models import Ecosystem, LookupKey, Source, SourceKind, Status, Verdict
from slopguard.registry import resolve
from slopguard.registry.cache import cache_key


def test_a_private_name_on_the_index_and_a_public_one_on_pypi_are_both_fine(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    fake_registry.add_pypi("requests")
    with FakeRegistry() as corp:
        corp.add_pypi("mycorp-utils")
        command = f"uv add --index {corp.url}/simple mycorp-utils requests reqeusts"
        refs = extract(Source(command, SourceKind.SHELL, "<command>")).refs
        report = check_refs(refs, registry_settings.replace(pypi_indexes=(f"{corp.url}/simple",)))
        verdicts = {f.name: f.verdict for f in report.findings}
        records = {f.name: f.record for f in report.findings}
        assert records["mycorp-utils"] is not None and records["mycorp-utils"].status is Status.EXISTS
        assert records["requests"] is not None and records["requests"].status is Status.EXISTS
        assert verdicts["mycorp-utils"] is not Verdict.BLOCK and verdicts["requests"] is not Verdict.BLOCK
        assert verdicts["reqeusts"] is Verdict.BLOCK  # on neither: not found, with the suggestion
        assert records["mycorp-utils"] is not None and records["mycorp-utils"].source_url.startswith(corp.url)
        assert records["requests"] is not None and records["requests"].source_url.startswith(fake_registry.url)
        assert corp.paths("/simple/requests/") and corp.paths("/simple/reqeusts/")  # the index was asked first


def test_index_first_keys_are_cached_apart_from_plain_index_keys(registry_settings: Settings) -> None:
    index = "https://pypi.corp.example/simple"
    first = LookupKey(Ecosystem.PYPI, "x", index, then_default=True)
    only = LookupKey(Ecosystem.PYPI, "x", index)
    assert cache_key(first, registry_settings) != cache_key(only, registry_settings)


def test_a_name_on_neither_is_not_found_and_cached_as_such(
    fake_registry: FakeRegistry, registry_settings: Settings
) -> None:
    with FakeRegistry() as corp:
        key = LookupKey(Ecosystem.PYPI, "ghost-pkg", f"{corp.url}/simple", then_default=True)
        settings = registry_settings.replace(pypi_indexes=(f"{corp.url}/simple",))  # an index of the user's own
        record = resolve([key], settings)[key]
        assert record.status is Status.NOT_FOUND and record.first_missing_at is not None
        again = resolve([key], settings)[key]
        assert again.from_cache and again.status is Status.NOT_FOUND
