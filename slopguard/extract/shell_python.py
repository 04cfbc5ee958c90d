"""Python package commands: pip, `python -m pip`, uv, uvx, pipx, poetry, pdm, rye, pipenv (and conda, unsupported)."""

from __future__ import annotations

import os

from slopguard.extract.shell_common import EXTRA_INDEX, Arg, Options, Sink, split_options
from slopguard.extract.specs import Spec, SpecError, poetry_spec, python_spec
from slopguard.models import INDEX_FIRST, Ecosystem, RefKind

PYTHON_TOOLS = frozenset("pip uv uvx pipx poetry pdm rye pipenv conda mamba micromamba".split())


def _opts(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PIP_GLOBAL = _opts(
    "--python --log --proxy --retries --timeout --exists-action --trusted-host --cert "
    "--client-cert --cache-dir --use-feature --use-deprecated --keyring-provider "
    "--root-user-action"
)
_PIP_INSTALL = _PIP_GLOBAL | _opts(
    "-r --requirement -c --constraint -e --editable -t --target --platform --python-version "
    "--implementation --abi --root --prefix --src --upgrade-strategy -C --config-settings "
    "--global-option --no-binary --only-binary --progress-bar --report -i --index-url "
    "--extra-index-url -f --find-links -d --dest -w --wheel-dir --group --build-option "
    "--install-option"
)
_UV_COMMON = _opts(
    "--directory --project --config-file --cache-dir --color -p --python --index "
    "--default-index -i --index-url --extra-index-url -f --find-links --index-strategy "
    "--keyring-provider --resolution --prerelease --exclude-newer --link-mode -C "
    "--config-setting --no-build-package --no-binary-package -P --upgrade-package "
    "--reinstall-package --refresh-package --python-platform --env-file --allow-insecure-host"
)
_UV_INSTALL = _UV_COMMON | _opts(
    "-r --requirement --requirements -c --constraint --constraints --override --overrides -e "
    "--editable -t --target --prefix --only-binary --no-binary --python-version --group "
    "--extra --optional --rev --tag --branch --package --script -b --build-constraint "
    "--build-constraints --with --with-requirements --with-editable --from --torch-backend "
    "--marker --bounds"
)
_UV_RUN = _UV_INSTALL | _opts("--only-group --no-group --no-extra")
_PIPX = _opts("--python --suffix --pip-args -i --index-url --spec --preinstall --backend")
_POETRY = _opts("-G --group -E --extras --python --platform --source --markers -C --directory -P --project")
_PDM = _opts("-G --group -e --editable -p --project -L --lockfile --venv -S")
_RYE = _opts("--git --url --path --features --optional --pin --pyproject --tag --rev --branch")
_PIPENV = _opts("--python -r --requirements --categories --index --extra-pip-args -e --editable")
_CONDA = _opts("-c --channel -n --name -p --prefix --file --cwd")
_INDEX_ENV = ("PIP_INDEX_URL", "UV_INDEX_URL", "UV_DEFAULT_INDEX")
_EXTRA_ENV = ("PIP_EXTRA_INDEX_URL", "UV_EXTRA_INDEX_URL")


def handle_python(cmd: str, args: list[Arg], env: dict[str, str | None], sink: Sink) -> list[Arg] | None:
    """Refs of one Python-tool command; returns the words of a command it runs (`poetry run X`), if any."""
    if cmd == "pip":
        parsed = split_options(args, _PIP_INSTALL)
        head = parsed.positionals[:1]
        if head and head[0].value in ("install", "download", "wheel"):
            _install(_after(args, head[0], _PIP_INSTALL), sink, env, RefKind.INSTALL)
        return None
    if cmd == "uv":
        return _uv(args, env, sink)
    if cmd == "uvx":
        _tool_run(args, env, sink)
        return None
    if cmd in ("conda", "mamba", "micromamba"):
        return _conda(cmd, args, sink)
    table = {"pipx": _PIPX, "poetry": _POETRY, "pdm": _PDM, "rye": _RYE, "pipenv": _PIPENV}[cmd]
    parsed = split_options(args, table, stop_at_positional=True)
    if not parsed.positionals:
        return None
    sub = parsed.positionals[0]
    if sub.value == "run" and cmd != "pipx":
        return split_options(parsed.rest, table | _UV_RUN, stop_at_positional=True).command()
    if cmd == "poetry" and sub.value == "self" and parsed.rest and parsed.rest[0].value == "add":
        sub = parsed.rest[0]
    rest = _after(args, sub, table)
    if cmd == "pipx":
        _pipx(sub.value, rest, env, sink)
    elif sub.value == "add" or (cmd == "pipenv" and sub.value == "install"):
        _install(rest, sink, env, RefKind.INSTALL, poetry=cmd == "poetry", rye=cmd == "rye")
    return None


def _after(args: list[Arg], sub: Arg, table: frozenset[str]) -> Options:
    """Options and positionals of the words after the subcommand word `sub`."""
    index = next(i for i, a in enumerate(args) if a is sub)
    return split_options(args[index + 1 :], table)


def _index(parsed: Options, env: dict[str, str | None]) -> tuple[str | None, tuple[str, ...]]:
    urls = [a.value for a in parsed.values("-i", "--index-url", "--default-index") if a.value]
    index_url = urls[-1] if urls else next((env[k] for k in _INDEX_ENV if env.get(k)), None)
    extra = parsed.has("--extra-index-url") or any(env.get(k) for k in _EXTRA_ENV)
    notes: tuple[str, ...] = (EXTRA_INDEX,) if extra else ()
    first = [url for a in parsed.values("--index") if a.value and (url := _index_url(a.value))]
    if first:  # uv's and pipenv's `--index [NAME=]URL`: asked first, then the default (first index wins)
        return first[0], (*notes, INDEX_FIRST)
    return index_url, notes


def _index_url(value: str) -> str | None:
    """The URL of an `--index` value: `URL` or `NAME=URL`; `None` for a bare index name (defined elsewhere)."""
    if "://" in value.split("=", 1)[0]:
        return value
    name, eq, url = value.partition("=")
    return url if eq and "://" in url and name.strip() else None


def _install(
    parsed: Options,
    sink: Sink,
    env: dict[str, str | None],
    kind: RefKind,
    *,
    poetry: bool = False,
    rye: bool = False,
    positionals: list[Arg] | None = None,
) -> None:
    index_url, notes = _index(parsed, env)
    for arg in parsed.values("-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints"):
        read_requirements(arg, sink, kind, index_url, notes)
    for arg in parsed.values("-e", "--editable", "--with-editable"):
        if arg.value:
            sink.add(Ecosystem.PYPI, arg, _local(arg.value), kind)
    words = parsed.positionals if positionals is None else positionals
    if rye and parsed.has("--git", "--url", "--path"):
        where = parsed.values("--git", "--url", "--path")
        for arg in words:
            if arg.value:
                src = where[0].value if where and where[0].value else "non-registry"
                sink.add(Ecosystem.PYPI, arg, Spec(arg.value, arg.value, None, src), kind)
        return
    source = parsed.values("--source") if poetry else []
    for arg in words:
        if poetry and arg.value is not None:
            try:
                spec = poetry_spec(arg.value)
            except SpecError as exc:
                sink.problem(arg, f"not a valid Python requirement: {exc}")
                continue
            if source and source[-1].value and spec.source is None:  # `poetry add --source corp x`: only from there
                spec = Spec(spec.name, spec.canonical_name, spec.spec, f"the package source '{source[-1].value}'")
            sink.add(Ecosystem.PYPI, arg, spec, kind, index_url=index_url, notes=notes)
        else:
            sink.python(arg, kind, index_url=index_url, notes=notes)
    for arg in parsed.values("--with"):
        sink.python(arg, kind, index_url=index_url, notes=notes)
    for arg in parsed.values("--with-requirements"):
        read_requirements(arg, sink, kind, index_url, notes)


def _local(value: str) -> Spec:
    """An editable install: a local path or VCS URL, never a registry name."""
    try:
        spec = python_spec(value)
    except SpecError:
        spec = None
    if spec is not None and spec.source is not None:
        return spec
    return Spec(value, value, None, value)


def _uv(args: list[Arg], env: dict[str, str | None], sink: Sink) -> list[Arg] | None:
    parsed = split_options(args, _UV_COMMON, stop_at_positional=True)
    if not parsed.positionals:
        return None
    sub, rest = parsed.positionals[0].value, parsed.rest
    if sub == "pip" and rest and rest[0].value == "install":
        _install(split_options(rest[1:], _UV_INSTALL), sink, env, RefKind.INSTALL)
    elif sub == "add":
        _install(split_options(rest, _UV_INSTALL), sink, env, RefKind.INSTALL)
    elif sub == "tool" and rest and rest[0].value == "install":
        tool = split_options(rest[1:], _UV_INSTALL)
        origin = tool.values("--from")  # `uv tool install --from PKG CMD`: CMD is not a package
        _install(tool, sink, env, RefKind.INSTALL, positionals=origin or None)
    elif sub == "tool" and rest and rest[0].value == "run":
        _tool_run(rest[1:], env, sink)
    elif sub == "run":
        run = split_options(rest, _UV_RUN, stop_at_positional=True)
        _install(run, sink, env, RefKind.RUN, positionals=[])
        return run.command()
    return None


def _tool_run(args: list[Arg], env: dict[str, str | None], sink: Sink) -> None:
    """`uvx [opts] CMD[@VER] ARGS` / `uv tool run`: the package is `--from`, else the command itself."""
    parsed = split_options(args, _UV_RUN, stop_at_positional=True)
    origin = parsed.values("--from")
    command = parsed.positionals[:1]
    if not origin and command and command[0].value is not None:
        value = command[0].value
        name, at, version = value.partition("@")
        if at and name and "://" not in value and sink.kept(command[0]):  # `uvx ruff@0.5.0`, `uvx black@latest`
            sink.add(Ecosystem.PYPI, command[0], Spec(name, name, version or None), RefKind.RUN)
        else:
            origin = command
    _install(parsed, sink, env, RefKind.RUN, positionals=origin)


def _pipx(sub: str | None, parsed: Options, env: dict[str, str | None], sink: Sink) -> None:
    index_url, notes = _index(parsed, env)
    specs = parsed.values("--spec")
    if sub == "install":
        for arg in specs or parsed.positionals:
            sink.python(arg, RefKind.INSTALL, index_url=index_url, notes=notes)
    elif sub == "inject":
        for arg in parsed.positionals[1:]:
            sink.python(arg, RefKind.INSTALL, index_url=index_url, notes=notes)
    elif sub == "run":
        for arg in specs or parsed.positionals[:1]:
            sink.python(arg, RefKind.RUN, index_url=index_url, notes=notes)


def _conda(cmd: str, args: list[Arg], sink: Sink) -> list[Arg] | None:
    parsed = split_options(args, _CONDA, stop_at_positional=True)
    if not parsed.positionals:
        return None
    sub = parsed.positionals[0].value
    if sub == "run":
        return split_options(parsed.rest, _CONDA, stop_at_positional=True).command()
    if sub in ("install", "create"):
        for arg in split_options(parsed.rest, _CONDA).positionals:
            if arg.value:
                sink.problem(
                    arg,
                    f"{cmd} {sub} {arg.value}: conda packages are not checked (unsupported ecosystem: {cmd})",
                    code="unsupported-ecosystem",
                )
    return None


def read_requirements(
    arg: Arg, sink: Sink, kind: RefKind, index_url: str | None, notes: tuple[str, ...], depth: int = 0
) -> None:
    """Refs of a `-r FILE` given on a command line, read next to the command's working directory
    (for a script file scanned without one, next to the script)."""
    if arg.value is None or not sink.kept(arg):
        return
    cwd = sink.folder()
    if cwd is None:
        why = f" {sink.moved}" if sink.moved else ""
        sink.problem(arg, f"requirements file {arg.value!r} not read: the command's working directory is unknown{why}")
        return
    path = sink.inside(arg, cwd, "requirements file")
    if path is None:
        return
    if not os.path.isfile(path):
        if not os.path.isdir(cwd):  # an old transcript whose project folder is gone: expected, say so
            sink.problem(arg, f"requirements file {arg.value!r} not read: its folder {cwd} no longer exists")
        else:
            sink.problem(arg, f"requirements file {arg.value!r} not found in {cwd}")
        return
    from slopguard.extract.manifest_python import requirements_file_refs

    requirements_file_refs(path, sink, kind, index_url, notes, depth)
