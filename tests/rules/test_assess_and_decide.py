"""Every signal `assess` emits and every policy rule `decide` applies, with the false-positive traps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from slopguard.config import Settings
from slopguard.models import Ecosystem, Location, PackageRef, RefKind, RegistryRecord, Status, Verdict
from slopguard.names import canonicalize
from slopguard.policy import decide
from slopguard.rules import CODES, Assessment, assess

P, N, G = Ecosystem.PYPI, Ecosystem.NPM, Ecosystem.GO
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
SETTINGS = Settings()


def ref(eco: Ecosystem, name: str, kind: RefKind = RefKind.INSTALL, **kw: Any) -> PackageRef:
    return PackageRef(eco, name, canonicalize(eco, name), kind, Location("snippet.sh", 1), **kw)


def established(eco: Ecosystem, name: str, **kw: Any) -> RegistryRecord:
    """An old package with history and a repository: what the top of a popular list looks like."""
    base: dict[str, Any] = {
        "first_release": NOW - timedelta(days=3000),
        "latest_release": NOW - timedelta(days=20),
        "version_count": 40,
        "repository": f"https://github.com/example/{name}",
        "latest_version": "2.0.0",
    }
    base.update(kw)
    return RegistryRecord(eco, canonicalize(eco, name), Status.EXISTS, **base)


def young(eco: Ecosystem, name: str, days: float = 10, versions: int = 1, **kw: Any) -> RegistryRecord:
    return established(eco, name, first_release=NOW - timedelta(days=days), version_count=versions, **kw)


def run(
    eco: Ecosystem,
    name: str,
    record: RegistryRecord | None,
    refs: Sequence[PackageRef] | None = None,
    settings: Settings = SETTINGS,
) -> tuple[Assessment, Verdict]:
    name = canonicalize(eco, name)
    refs = refs if refs is not None else [ref(eco, name)]
    assessment = assess(eco, name, refs, record, settings, NOW)
    for reason in assessment.reasons:
        assert reason.code in CODES, reason
        assert name in reason.message or reason.code == "invalid-name", reason
    return assessment, decide(eco, name, assessment, settings)


def test_reqeusts_ten_days_old_is_blocked_with_did_you_mean() -> None:
    assessment, verdict = run(P, "reqeusts", young(P, "reqeusts", days=10))
    assert verdict is Verdict.BLOCK
    assert assessment.suggestion == "requests"
    assert {"typosquat", "new-package"} <= assessment.codes
    typo = next(r for r in assessment.reasons if r.code == "typosquat")
    assert "did you mean requests?" in typo.message and "two letters swapped" in typo.message


@pytest.mark.parametrize(
    ("eco", "name"),
    [(P, "scipy"), (P, "scapy"), (P, "pyyaml"), (P, "pyaml"), (P, "boto"), (P, "boto3"), (N, "react"), (N, "preact")],
)
def test_false_positive_traps_are_ok(eco: Ecosystem, name: str) -> None:
    assessment, verdict = run(eco, name, established(eco, name))
    assert verdict is Verdict.OK
    assert assessment.codes == frozenset()


def test_established_look_alike_is_information_not_a_typosquat() -> None:
    assessment, verdict = run(P, "reqursts", established(P, "reqursts"))
    assert assessment.codes == {"look-alike"} and verdict is Verdict.OK and assessment.suggestion is None
    assert "requests" in assessment.reasons[0].message and "established" in assessment.reasons[0].message


def test_look_alike_whose_registry_could_not_tell_warns_as_typosquat() -> None:
    record = RegistryRecord(P, "reqursts", Status.UNKNOWN, error="timeout")
    assessment, verdict = run(P, "reqursts", record)
    assert "typosquat" in assessment.codes and assessment.suggestion == "requests" and verdict is Verdict.WARN


def test_typosquat_with_few_releases_blocks() -> None:
    assessment, verdict = run(N, "expresss", established(N, "expresss", version_count=2))
    assert {"typosquat", "few-releases"} <= assessment.codes and verdict is Verdict.BLOCK


def test_not_found_blocks_with_suggestion() -> None:
    record = RegistryRecord(P, "reqeusts", Status.NOT_FOUND)
    assessment, verdict = run(P, "reqeusts", record)
    assert verdict is Verdict.BLOCK and assessment.codes == {"not-found"}
    assert "did you mean requests?" in assessment.reasons[0].message.lower()


def test_unresolvable_import_says_how_to_allow() -> None:
    record = RegistryRecord(P, "mycorp-utils", Status.NOT_FOUND)
    refs = [ref(P, "mycorp_utils", RefKind.IMPORT)]
    assessment, verdict = run(P, "mycorp-utils", record, refs)
    assert assessment.codes == {"unresolvable-import"} and verdict is Verdict.BLOCK
    message = assessment.reasons[0].message
    assert "import mycorp_utils" in message and "[tool.slopguard.allow]" in message


@pytest.mark.parametrize("eco", [N, G])
def test_unresolvable_import_npm_and_go(eco: Ecosystem) -> None:
    name = "left-padd" if eco is N else "github.com/nobody/nothing"
    record = RegistryRecord(eco, name, Status.NOT_FOUND)
    assessment, verdict = run(eco, name, record, [ref(eco, name, RefKind.IMPORT)])
    assert assessment.codes == {"unresolvable-import"} and verdict is Verdict.BLOCK


def test_invalid_name_blocks_and_suggests() -> None:
    assessment, verdict = run(N, "@types-node", None)
    assert "invalid-name" in assessment.codes and verdict is Verdict.BLOCK
    assert assessment.suggestion == "@types/node"


def test_non_registry_source_warns() -> None:
    refs = [ref(P, "mylib", source="git+https://github.com/me/mylib", notes=("non-registry-source",))]
    assessment, verdict = run(P, "mylib", None, refs)
    assert assessment.codes == {"non-registry-source"} and verdict is Verdict.WARN
    assert "git+https://github.com/me/mylib" in assessment.reasons[0].message


def test_extra_index_url_warns() -> None:
    refs = [ref(P, "requests", index_url="https://pypi.mycorp.example/simple", notes=("extra-index-url",))]
    mine = Settings(pypi_indexes=("https://pypi.mycorp.example/simple",))  # a configured index was asked
    assessment, verdict = run(P, "requests", established(P, "requests"), refs, settings=mine)
    assert assessment.codes == {"extra-index-url"} and verdict is Verdict.WARN
    assert "dependency confusion" in assessment.reasons[0].message


@pytest.mark.parametrize(
    ("on_unknown", "expected"), [("warn", Verdict.WARN), ("block", Verdict.BLOCK), ("allow", Verdict.OK)]
)
def test_registry_unavailable_follows_on_unknown(on_unknown: str, expected: Verdict) -> None:
    record = RegistryRecord(P, "somepkg", Status.UNKNOWN, error="timed out")
    assessment, verdict = run(P, "somepkg", record, settings=Settings(on_unknown=on_unknown))
    assert assessment.codes == {"registry-unavailable"} and verdict is expected
    assert "timed out" in assessment.reasons[0].message


def test_offline_unknown_still_uses_shipped_data() -> None:
    record = RegistryRecord(P, "reqeusts", Status.UNKNOWN, error="offline")
    assessment, verdict = run(P, "reqeusts", record, settings=Settings(offline=True))
    assert {"registry-unavailable", "typosquat"} <= assessment.codes and verdict is Verdict.WARN
    assert "offline" in assessment.reasons[0].message


def test_private_go_module_is_ok() -> None:
    record = RegistryRecord(G, "github.com/mycorp/x", Status.SKIPPED, error="matches GOPRIVATE github.com/mycorp/*")
    assessment, verdict = run(G, "github.com/mycorp/x", record)
    assert assessment.codes == {"private"} and verdict is Verdict.OK


def test_skipped_stdlib_has_no_reason_and_other_skips_are_info() -> None:
    assessment, verdict = run(
        G, "net/http", RegistryRecord(G, "net/http", Status.SKIPPED, error="standard library package")
    )
    assert assessment.codes == frozenset() and verdict is Verdict.OK
    record = RegistryRecord(P, "somepkg", Status.SKIPPED, error="not asked on purpose")
    assessment, verdict = run(P, "somepkg", record)
    assert assessment.codes == {"skipped"} and verdict is Verdict.OK


def test_new_package_alone_warns_and_threshold_is_configurable() -> None:
    assessment, verdict = run(P, "mycorp-fresh-thing", young(P, "mycorp-fresh-thing", days=5, versions=8))
    assert assessment.codes == {"new-package"} and verdict is Verdict.WARN
    assessment, verdict = run(
        P,
        "mycorp-fresh-thing",
        young(P, "mycorp-fresh-thing", days=5, versions=8),
        settings=Settings(new_package_days=2),
    )
    assert verdict is Verdict.OK


def test_few_releases_and_no_repository_alone_are_info() -> None:
    assessment, verdict = run(P, "quiet-old-lib", established(P, "quiet-old-lib", version_count=1, repository=None))
    assert assessment.codes == {"few-releases", "no-repository"} and verdict is Verdict.OK


@pytest.mark.parametrize(
    ("field", "value", "code", "expected"),
    [
        ("deprecated", "use other-lib instead", "deprecated", Verdict.WARN),
        ("yanked", True, "yanked", Verdict.WARN),
        ("archived", True, "archived", Verdict.WARN),
        ("quarantined", True, "quarantined", Verdict.BLOCK),
        ("unpublished", True, "unpublished", Verdict.BLOCK),
        ("security_holder", True, "unpublished", Verdict.BLOCK),
    ],
)
def test_record_flags(field: str, value: object, code: str, expected: Verdict) -> None:
    assessment, verdict = run(N, "some-old-lib", established(N, "some-old-lib", **{field: value}))
    assert assessment.codes == {code} and verdict is expected


def test_registered_after_missing_blocks() -> None:
    record = established(
        P, "huggingface-hubx", first_missing_at=NOW - timedelta(days=200), first_release=NOW - timedelta(days=100)
    )
    assessment, verdict = run(P, "huggingface-hubx", record)
    assert "registered-after-missing" in assessment.codes and verdict is Verdict.BLOCK


def test_first_release_before_missing_is_not_the_pattern() -> None:
    record = established(P, "old-lib-xyz", first_missing_at=NOW - timedelta(days=10))
    assessment, _ = run(P, "old-lib-xyz", record)
    assert "registered-after-missing" not in assessment.codes


def test_known_malicious_blocks() -> None:
    assessment, verdict = run(P, "reequests", established(P, "reequests"))
    assert "known-malicious" in assessment.codes and verdict is Verdict.BLOCK


def test_known_hallucination_registered_old_warns_young_blocks() -> None:
    assessment, verdict = run(N, "csvtool", established(N, "csvtool"))
    assert assessment.codes == {"known-hallucination"} and verdict is Verdict.WARN
    _, verdict = run(N, "csvtool", young(N, "csvtool", days=3))
    assert verdict is Verdict.BLOCK


def test_known_hallucination_unregistered_blocks() -> None:
    assessment, verdict = run(P, "huggingface-cli", RegistryRecord(P, "huggingface-cli", Status.NOT_FOUND))
    assert {"not-found", "known-hallucination"} <= assessment.codes and verdict is Verdict.BLOCK


def test_import_of_real_module_does_not_trip_hallucination_list() -> None:
    # `rospy` is hallucinated as a *package* name, but `import rospy` is a real (ROS) module
    refs = [ref(P, "rospy", RefKind.IMPORT)]
    assessment, verdict = run(P, "rospy", established(P, "rospy"), refs)
    assert assessment.codes == frozenset() and verdict is Verdict.OK
    assessment, _ = run(P, "rospy", established(P, "rospy"))
    assert "known-hallucination" in assessment.codes


def test_allow_list_overrides_everything() -> None:
    settings = Settings(allow=(("pypi", "mycorp-*"),))
    record = RegistryRecord(P, "mycorp-utils", Status.NOT_FOUND)
    assessment, verdict = run(P, "mycorp_utils", record, settings=settings)
    assert assessment.codes == {"allowed"} and verdict is Verdict.OK


def test_deny_list_overrides_everything() -> None:
    settings = Settings(deny=(("npm", "left-pad"),), allow=(("npm", "*"),))
    assessment, verdict = run(N, "left-pad", established(N, "left-pad"), settings=settings)
    assert "denied" in assessment.codes and verdict is Verdict.BLOCK


def test_go_allow_glob_covers_subpackages() -> None:
    settings = Settings(allow=(("go", "github.com/mycorp/*"),))
    record = RegistryRecord(G, "github.com/mycorp/tools/cmd/x", Status.NOT_FOUND)
    _, verdict = run(G, "github.com/mycorp/tools/cmd/x", record, settings=settings)
    assert verdict is Verdict.OK


def test_unknown_code_is_never_silently_ok() -> None:
    from slopguard.models import Reason

    assessment = Assessment((Reason("some-future-signal", "pypi:x: new signal"),))
    assert decide(P, "x", assessment, SETTINGS) is Verdict.WARN


def test_not_looked_up_without_reason_is_unavailable() -> None:
    assessment, verdict = run(P, "somepkg", None)
    assert assessment.codes == {"registry-unavailable"} and verdict is Verdict.WARN


def test_unknown_popular_name_is_vouched_for_by_shipped_data_offline() -> None:
    record = RegistryRecord(P, "requests", Status.UNKNOWN, error="offline")
    settings = Settings(offline=True, on_unknown="block")
    assessment, verdict = run(P, "requests", record, settings=settings)
    assert assessment.codes == {"known-popular"} and verdict is Verdict.OK


def test_registry_fault_on_a_popular_name_is_still_not_ok() -> None:
    """A failed request is never a verdict, even for a famous name (only --offline decides from shipped data)."""
    record = RegistryRecord(P, "requests", Status.UNKNOWN, error="HTTP 503 after 3 tries")
    assessment, verdict = run(P, "requests", record)
    assert assessment.codes == {"registry-unavailable"} and verdict is Verdict.WARN
