"""What each reason code means, for people: titles, descriptions and help used by SARIF rules and summaries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CodeInfo:
    """The documentation of one reason code: a title, a default level, what it means and what to do."""

    title: str
    level: str
    """SARIF `defaultConfiguration.level`: `error` for codes that block on their own, `warning` otherwise."""
    description: str
    help: str


_ALLOW = (
    "If the package is private or you trust it, add it to `allow` in `[tool.slopguard]` of pyproject.toml "
    "or `.slopguard.toml`."
)

CODES: dict[str, CodeInfo] = {
    "not-found": CodeInfo(
        "Package does not exist",
        "error",
        "The registry has no package of this name. Coding agents often invent plausible package names; "
        "attackers register such names ('slopsquatting'), so installing it later could run their code.",
        "Check the name: use the suggested popular package if one is given, or remove the dependency. " + _ALLOW,
    ),
    "invalid-name": CodeInfo(
        "Not a valid package name",
        "error",
        "The name breaks the naming rules of its ecosystem (PEP 508, npm's rules, Go module paths), so no "
        "registry can serve it and no request was sent.",
        "Fix the spelling of the dependency or import.",
    ),
    "typosquat": CodeInfo(
        "Imitates a popular package",
        "warning",
        "The name is a small edit, separator/case game, prefix/suffix game, homoglyph or scope confusion of a "
        "popular package of the same ecosystem, and is not itself popular.",
        "Use the popular package the finding names, unless you really mean this one. " + _ALLOW,
    ),
    "look-alike": CodeInfo(
        "Resembles a popular package (not a typosquat)",
        "note",
        "The name is close to a popular package, but it is itself established (years old, releases over time, "
        "a source repository) or published under the same npm scope or Go owner, so it is not judged a typosquat.",
        "Nothing to do, unless you meant the popular package the note names.",
    ),
    "new-package": CodeInfo(
        "Package is brand new",
        "warning",
        "The first release of the package is very recent. Squatted names are usually registered shortly "
        "before they are used in an attack.",
        "Review the package's source and publisher before installing it.",
    ),
    "few-releases": CodeInfo(
        "Package has very few releases",
        "warning",
        "The package has only a handful of releases, as freshly squatted names do.",
        "Review the package's source and publisher before installing it.",
    ),
    "no-repository": CodeInfo(
        "Package names no source repository",
        "warning",
        "The registry metadata links no source repository, so its code cannot easily be reviewed.",
        "Review the published files before installing the package.",
    ),
    "deprecated": CodeInfo(
        "Package is deprecated",
        "warning",
        "The latest version of the package is marked deprecated by its publisher.",
        "Use the replacement the deprecation message names, or pin a maintained alternative.",
    ),
    "yanked": CodeInfo(
        "Every release is yanked",
        "warning",
        "Every release of the package has been yanked from PyPI.",
        "Use another package or another version.",
    ),
    "quarantined": CodeInfo(
        "Package is quarantined",
        "error",
        "The registry has quarantined the package (PEP 792) or replaced it with a security holder, "
        "usually because it was malware.",
        "Remove the dependency and check the machines that installed it.",
    ),
    "archived": CodeInfo(
        "Package is archived",
        "warning",
        "The package is archived (PEP 792): it receives no more updates.",
        "Use a maintained alternative.",
    ),
    "unpublished": CodeInfo(
        "Package was unpublished",
        "error",
        "Every version of the package was unpublished from the registry; the name may be taken by someone else later.",
        "Remove the dependency or use another package.",
    ),
    "registered-after-missing": CodeInfo(
        "Registered after it was seen missing",
        "error",
        "slopguard saw this name missing from the registry earlier, and it now exists with a first release "
        "after that moment: the slopsquatting pattern itself.",
        "Do not install it. Check where the name came from; it was most likely hallucinated. " + _ALLOW,
    ),
    "known-hallucination": CodeInfo(
        "Name code LLMs are known to hallucinate",
        "warning",
        "Public studies list this name among the package names code LLMs invent again and again.",
        "Check that the package is the one you want, and who publishes it.",
    ),
    "known-malicious": CodeInfo(
        "Known malicious package",
        "error",
        "The name is listed in the OSV malicious-packages data.",
        "Remove the dependency at once and check the machines that installed it.",
    ),
    "compromised-version": CodeInfo(
        "Pinned to a hijacked version",
        "error",
        "An OSV malicious-packages advisory lists this version of an otherwise established package as hijacked.",
        "Pin a version outside the affected ones and check the machines that installed it.",
    ),
    "compromised-versions": CodeInfo(
        "Package with hijacked versions",
        "warning",
        "An OSV malicious-packages advisory lists some versions of this established package as hijacked; the "
        "reference does not pin a version, so which one is installed depends on the lockfile.",
        "Pin a version outside the affected ones (named in the message), and check the lockfile.",
    ),
    "unresolvable-import": CodeInfo(
        "Import of a package that does not exist",
        "error",
        "The code imports a module that is not first-party, not in the standard library and not provided by "
        "any existing package.",
        "Add the real package that provides the module, fix the import, or declare a private package. " + _ALLOW,
    ),
    "non-registry-source": CodeInfo(
        "Installed from outside the registry",
        "warning",
        "The package comes from a git URL, a local path, a tarball or another source the registry does not vouch for.",
        "Check the source URL and pin it to a commit or a hash.",
    ),
    "extra-index-url": CodeInfo(
        "Extra package index",
        "warning",
        "An extra index URL lets a public package of the same name win over a private one (dependency confusion).",
        "Use `--index-url` with a single index, or a proxy that serves both.",
    ),
    "unverified-index": CodeInfo(
        "Index your settings do not configure",
        "warning",
        "The command or manifest names a package index or registry URL that is not one of your configured "
        "registries. slopguard never contacts such a URL (it came from agent output or a pull request), so "
        "nothing vouches for what it serves.",
        "Install from your configured registry, or add your own index to `pypi-indexes` / `npm-registries` "
        "in `[tool.slopguard.registries]`.",
    ),
    "config-changed": CodeInfo(
        "Change to slopguard's settings",
        "warning",
        "The change adds or removes a line of slopguard's own settings (`.slopguard.toml`, `[tool.slopguard]`). "
        "slopguard never takes its settings from a change under review: the Action and `scan --git` read them from "
        "the base commit, so a pull request cannot widen the allow list, turn lookups off or move the registries "
        "for its own check. The change applies once it is merged.",
        "Review the changed setting before merging; ask why an allow list or registry has to change.",
    ),
    "index-changed": CodeInfo(
        "Change to a package index or registry",
        "warning",
        "The change adds or removes a registry or index setting (`.npmrc` `registry` / `@scope:registry`, "
        "`--index-url` / `--extra-index-url` / `-i` lines, `pip.conf`, `[[tool.uv.index]]`, poetry sources). "
        "Installs would fetch packages from there once it is merged; slopguard never sends lookups to an index a "
        "change under review names.",
        "Check that the index is one your organisation runs, over https, and that it is needed.",
    ),
    "version-not-found": CodeInfo(
        "Version does not exist",
        "warning",
        "The reference pins a version the registry does not list, or a range that no listed version satisfies. "
        "Coding agents invent versions as well as names; the install would fail, or pick something else.",
        "Use a version the registry lists; the finding names the newest one.",
    ),
    "registry-unavailable": CodeInfo(
        "Registry could not be asked",
        "warning",
        "The registry did not answer in time or gave no usable answer, so slopguard could not tell whether "
        "the package exists. This is never an 'ok'.",
        "Run slopguard again when the registry is reachable.",
    ),
    "denied": CodeInfo(
        "On the deny list",
        "error",
        "The package matches a `deny` entry of your slopguard config, which overrides every other signal.",
        "Remove the dependency, or change the `deny` list in `[tool.slopguard]` / `.slopguard.toml`.",
    ),
    "allowed": CodeInfo(
        "On the allow list",
        "note",
        "The package matches an `allow` entry of your slopguard config, which overrides every other signal.",
        "Nothing to do; keep the allow list short and specific.",
    ),
    "private": CodeInfo(
        "Private module, not looked up",
        "note",
        "The module path matches GOPRIVATE / GONOPROXY, so slopguard deliberately did not send it to the proxy.",
        "Nothing to do.",
    ),
    "skipped": CodeInfo(
        "Not looked up",
        "note",
        "slopguard deliberately did not ask the registry about this reference.",
        "Nothing to do.",
    ),
    "known-popular": CodeInfo(
        "Popular package (offline)",
        "note",
        "In offline mode slopguard could not ask the registry, but the name is on its shipped list of popular "
        "packages.",
        "Nothing to do; run online for the full checks.",
    ),
}


def code_info(code: str) -> CodeInfo:
    """The documentation of `code`; a code slopguard does not know gets a generic entry."""
    known = CODES.get(code)
    if known is not None:
        return known
    return CodeInfo(
        f"slopguard finding ({code})",
        "warning",
        f"slopguard flagged the package with reason code '{code}'.",
        "Read the message of the finding.",
    )
