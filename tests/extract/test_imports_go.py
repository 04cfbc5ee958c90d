"""Go import extraction: every import spec form, the standard library and the project's own modules."""

from __future__ import annotations

from slopguard.extract.imports import extract_imports
from slopguard.models import Ecosystem, Project, RefKind, Source, SourceKind

CODE = """package main

import "golang.org/x/sync/errgroup"

import (
	"fmt"
	"net/http"
	"C"
	log "github.com/sirupsen/logrus"
	_ "github.com/lib/pq"
	. `gopkg.in/yaml.v3`
	"example.com/me/app/internal/db"
	"example.com/me/app"
	"github.com/spf13/cobra/doc"
)

func main() {
	s := "import \\"github.com/fake/in-a-string\\""
	// import "github.com/fake/in-a-comment"
	fmt.Println(s)
}
"""


def extraction(code: str = CODE, **args: object) -> list[tuple[str, int | None, int | None, str]]:
    source = Source(code, SourceKind.GO, "cmd/main.go", **args)  # type: ignore[arg-type]
    result = extract_imports(source, Project(go_modules=frozenset({"example.com/me/app"})))
    assert result.problems == ()
    for ref in result.refs:
        assert ref.ecosystem is Ecosystem.GO
        assert ref.kind is RefKind.IMPORT
        assert ref.canonical == ref.name
    return [(r.name, r.location.line, r.location.column, r.evidence) for r in result.refs]


def test_every_spec_form_outside_std_and_own_module() -> None:
    assert extraction() == [
        ("golang.org/x/sync/errgroup", 3, 1, 'import "golang.org/x/sync/errgroup"'),
        ("github.com/sirupsen/logrus", 9, 2, 'import log "github.com/sirupsen/logrus"'),
        ("github.com/lib/pq", 10, 2, 'import _ "github.com/lib/pq"'),
        ("gopkg.in/yaml.v3", 11, 2, "import . `gopkg.in/yaml.v3`"),
        ("github.com/spf13/cobra/doc", 14, 2, 'import "github.com/spf13/cobra/doc"'),
    ]


def test_only_added_lines_count() -> None:
    assert [r[0] for r in extraction(added_lines=frozenset({10, 11}))] == ["github.com/lib/pq", "gopkg.in/yaml.v3"]


def test_a_hunk_without_package_clause_still_parses() -> None:
    hunk = '\t"github.com/google/uuid"\n\t"strings"\n)\n'
    assert [r[0] for r in extraction("import (\n" + hunk)] == ["github.com/google/uuid"]


def test_malformed_paths_are_not_reported() -> None:
    assert extraction('package x\nimport (\n\t"Example.COM/x"\n\t"github.com/a/../b"\n\t""\n)\n') == []
