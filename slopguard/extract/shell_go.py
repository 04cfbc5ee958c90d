"""Go commands that fetch modules: `go get`, `go install`, `go run`, `go mod download`."""

from __future__ import annotations

from slopguard.extract.shell_common import Arg, Sink, split_options
from slopguard.models import RefKind

_BUILD_VALUE = frozenset(
    {
        "-C",
        "-p",
        "-asmflags",
        "-buildmode",
        "-buildvcs",
        "-compiler",
        "-gccgoflags",
        "-gcflags",
        "-installsuffix",
        "-ldflags",
        "-mod",
        "-modfile",
        "-overlay",
        "-pgo",
        "-pkgdir",
        "-tags",
        "-toolexec",
        "-o",
        "-exec",
        "-covermode",
        "-coverpkg",
        "-reuse",
        "--tags",
        "--ldflags",
        "--gcflags",
        "--mod",
        "--modfile",
        "--exec",
    }
)


def handle_go(args: list[Arg], sink: Sink) -> list[Arg] | None:
    """Refs of one `go` command (`go build`, `go test` and the rest fetch nothing by name)."""
    if not args:
        return None
    sub = args[0].value
    rest = args[1:]
    if sub == "mod" and rest and rest[0].value == "download":
        for arg in split_options(rest[1:], _BUILD_VALUE).positionals:
            sink.go(arg, RefKind.INSTALL)
    elif sub in ("get", "install"):
        for arg in split_options(rest, _BUILD_VALUE).positionals:
            sink.go(arg, RefKind.INSTALL)
    elif sub == "run":
        # `go run [flags] PKG|FILES.go [ARGS]`: the first non-file word is the package; the rest are its args.
        parsed = split_options(rest, _BUILD_VALUE, stop_at_positional=True)
        first = parsed.positionals[:1]
        if first and first[0].value is not None and not first[0].value.endswith(".go"):
            sink.go(first[0], RefKind.RUN)
    return None
