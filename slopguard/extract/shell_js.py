"""JavaScript package commands: npm, npx, yarn, pnpm, pnpx, bun, bunx, deno (installs, runs and `create`)."""

from __future__ import annotations

from slopguard.extract.shell_common import Arg, Options, Sink, split_options
from slopguard.extract.specs import npm_create_package, npm_registry_spec
from slopguard.models import Ecosystem, RefKind

JS_TOOLS = frozenset({"npm", "npx", "yarn", "pnpm", "pnpx", "bun", "bunx", "deno"})

_NPM_INSTALL = frozenset(
    {
        "install",
        "i",
        "in",
        "ins",
        "inst",
        "insta",
        "instal",
        "isnt",
        "isnta",
        "isntal",
        "isntall",
        "add",
        "install-test",
        "it",
    }
)
_NPM_VALUE = frozenset(
    {
        "--registry",
        "--prefix",
        "-C",
        "--workspace",
        "-w",
        "--tag",
        "--omit",
        "--include",
        "--install-strategy",
        "--cache",
        "--userconfig",
        "--globalconfig",
        "--loglevel",
        "--before",
        "--cpu",
        "--os",
        "--libc",
        "--save-prefix",
        "--otp",
        "--scope",
        "--package",
        "-p",
        "--call",
        "-c",
        "--node-options",
        "--script-shell",
        "--location",
        "--init-module",
        "--init-author-name",
        "--init-author-email",
        "--init-author-url",
        "--init-license",
        "--init-version",
        "--cwd",
        "--dir",
        "--filter",
        "-F",
        "--modules-folder",
        "--network-timeout",
        "--mutex",
        "--cache-folder",
        "--global-folder",
        "--link-folder",
        "--reporter",
        "--config",
        "--backend",
        "--trust",
    }
)

_OTHER_VALUE = _NPM_VALUE - {"-w"}  # pnpm/yarn/bun `-w` is a flag (workspace root)


def handle_js(cmd: str, args: list[Arg], env: dict[str, str | None], sink: Sink) -> list[Arg] | None:
    """Refs of one JavaScript package-manager command."""
    registry = env.get("npm_config_registry") or env.get("NPM_CONFIG_REGISTRY")
    if cmd == "deno":
        _deno(args, sink, registry)
        return None
    if cmd in ("npx", "pnpx", "bunx"):
        _exec(args, sink, registry, local_first=cmd != "pnpx")  # pnpx is `pnpm dlx`: it always fetches
        return None
    table = _NPM_VALUE if cmd == "npm" else _OTHER_VALUE
    parsed = split_options(args, table, stop_at_positional=True)
    registry = _registry(parsed, registry)
    if not parsed.positionals:
        return None
    sub = parsed.positionals[0].value
    rest = parsed.rest
    if cmd == "yarn" and sub == "workspace" and rest:  # `yarn workspace NAME add x`
        return [Arg("yarn", *_pos(rest[0])), *rest[1:]]
    if cmd == "yarn" and sub == "global" and rest:
        sub, rest = rest[0].value, rest[1:]
    if sub in ("exec", "x", "dlx") and (cmd != "yarn" or sub == "dlx") and (cmd != "bun" or sub == "x"):
        _exec(rest, sink, registry, local_first=sub != "dlx")
    elif sub in ("init", "create", "innit") and (cmd == "npm" or sub == "create"):
        _create(cmd, rest, sink, registry)
    elif _is_install(cmd, sub):
        tail = split_options(rest, table)
        registry = _registry(tail, registry)
        for arg in tail.positionals:
            sink.npm(arg, RefKind.INSTALL, registry=registry)
    return None


def _deno(args: list[Arg], sink: Sink, registry: str | None) -> None:
    """`deno add|install|i npm:a npm:b@1`, `deno run|x npm:cli ARGS`: the `npm:` specifiers (JSR and URL
    imports are other registries). Options are skipped by their dash; a run stops at its first other word."""
    if not args or args[0].value not in ("add", "install", "i", "run", "x"):
        return
    installs = args[0].value in ("add", "install", "i")
    for arg in args[1:]:
        value = arg.value
        if value is None:
            continue
        if value.startswith("npm:") and len(value) > 4:
            spec = Arg(value[4:], arg.text, arg.line, arg.column)
            sink.npm(spec, RefKind.INSTALL if installs else RefKind.RUN, registry=registry)
            if not installs:
                return
        elif not installs and not value.startswith("-"):
            return  # `deno run main.ts`: a script, and what follows are its arguments


def _is_install(cmd: str, sub: str | None) -> bool:
    if cmd == "npm":
        return sub in _NPM_INSTALL
    if cmd == "yarn":
        return sub == "add"
    if cmd == "pnpm":
        return sub in ("add", "install", "i")
    return sub in ("add", "a", "install", "i")  # bun


def _registry(parsed: Options, default: str | None) -> str | None:
    urls = [a.value for a in parsed.values("--registry") if a.value]
    return urls[-1] if urls else default


def _pos(arg: Arg) -> tuple[str, int, int]:
    return arg.text, arg.line, arg.column


def _exec(args: list[Arg], sink: Sink, registry: str | None, *, local_first: bool) -> None:
    """`npx [opts] PKG ARGS` / `npm exec` / `pnpm dlx` / `yarn dlx` / `bunx`: `--package`s, else the first word,
    which may be a binary (`slopguard.extract.shell_bins`): the project's own (`local_first` tools run it
    without fetching anything) or a well-known one, looked up as the package that provides it."""
    parsed = split_options(args, _NPM_VALUE, stop_at_positional=True)
    registry = _registry(parsed, registry)
    packages = parsed.values("--package", "-p")
    if packages or parsed.has("--call", "-c"):
        for arg in packages:
            sink.npm(arg, RefKind.RUN, registry=registry)
        return
    for arg in parsed.positionals[:1]:
        from slopguard.extract import shell_bins

        if shell_bins.is_bare(arg.value) and arg.value is not None:
            if local_first and shell_bins.provides(arg.value, sink.folder(), sink.root):
                continue  # the project's own binary: npx runs it without fetching a package
            owner = shell_bins.binary_package(arg.value)
            if owner is not None:
                sink.add(Ecosystem.NPM, arg, npm_registry_spec(owner, None), RefKind.RUN, index_url=registry)
                continue
        sink.npm(arg, RefKind.RUN, registry=registry)


def _create(cmd: str, args: list[Arg], sink: Sink, registry: str | None) -> None:
    """`npm init X` / `npm create X` / `yarn create X` / `pnpm create X` / `bun create X` run `create-X`."""
    parsed = split_options(args, _NPM_VALUE, stop_at_positional=True)
    registry = _registry(parsed, registry)
    for arg in parsed.positionals[:1]:
        if arg.value is None or not arg.value.strip():
            continue
        sink.add(Ecosystem.NPM, arg, npm_create_package(arg.value), RefKind.RUN, index_url=registry)
