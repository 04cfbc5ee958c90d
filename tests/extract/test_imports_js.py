"""JavaScript/TypeScript import extraction: every form, package naming, and the skip rules (with traps)."""

from __future__ import annotations

import textwrap

import pytest

from slopguard.extract.imports import extract_imports
from slopguard.models import Ecosystem, Project, RefKind, Source, SourceKind


def refs(code: str, kind: SourceKind = SourceKind.TYPESCRIPT, project: Project | None = None) -> list[tuple[str, str]]:
    extraction = extract_imports(Source(textwrap.dedent(code), kind, "src/app.ts"), project or Project())
    assert extraction.problems == ()
    return [(r.name, r.canonical) for r in extraction.refs]


def test_every_import_form_in_typescript() -> None:
    got = refs(
        """
        import React, { useState } from 'react';
        import * as z from "zod";
        import 'reflect-metadata';
        import type { Request } from 'express';
        import { type Schema } from 'yup';
        export { default as merge } from 'lodash/merge';
        export * from '@tanstack/react-query';
        import fetch = require('node-fetch');
        const chalk = require('chalk');
        const { parse } = require(`csv-parse/sync`);
        const where = require.resolve('typescript/package.json');
        async function load() {
          const { marked } = await import('marked');
          return import(`dayjs`);
        }
        type Sharp = typeof import('sharp');
        """
    )
    assert got == [
        ("react", "react"),
        ("zod", "zod"),
        ("reflect-metadata", "reflect-metadata"),
        ("express", "express"),
        ("yup", "yup"),
        ("lodash/merge", "lodash"),
        ("@tanstack/react-query", "@tanstack/react-query"),
        ("node-fetch", "node-fetch"),
        ("chalk", "chalk"),
        ("csv-parse/sync", "csv-parse"),
        ("typescript/package.json", "typescript"),
        ("marked", "marked"),
        ("dayjs", "dayjs"),
        ("sharp", "sharp"),
    ]


def test_scoped_package_is_the_first_two_segments() -> None:
    assert refs("import { x } from '@scope/pkg/deep/path.js';\n") == [("@scope/pkg/deep/path.js", "@scope/pkg")]


@pytest.mark.parametrize("kind", [SourceKind.JAVASCRIPT, SourceKind.TSX])
def test_javascript_and_tsx_grammars(kind: SourceKind) -> None:
    code = """
        import React from 'react';
        const styled = require('styled-components');
        export default function App() {
          return <div className="x">import fake from 'not-an-import'</div>;
        }
        """
    assert refs(code, kind) == [("react", "react"), ("styled-components", "styled-components")]


def test_skip_rules_false_positive_traps() -> None:
    code = """
        import a from './local';
        import b from '../up/there';
        import type { Props } from './types';
        import c from '/abs/path.js';
        import fs from 'fs';
        import fsp from 'fs/promises';
        import path from 'node:path';
        import { test } from 'node:test';
        import d from 'https://esm.sh/preact';
        import e from 'data:text/javascript,export default 1';
        import f from 'virtual:pwa-register';
        import g from 'bun:sqlite';
        import h from 'astro:content';
        import i from '@/components/Button';
        import j from '~/utils';
        import k from '#internal/db';
        import l from '@app/models';
        import m from 'shared-lib/x';
        import n from 'my-workspace-pkg';
        import raw from 'raw-loader!./file.txt';
        const dyn = require(name);
        const tpl = require(`./plugins/${name}`);
        // import fake1 from 'commented-out';
        /* const fake2 = require('block-commented'); */
        const s = "require('in-a-string')";
        const jsr = await import('jsr:@std/path');
        """
    project = Project(npm_packages=frozenset({"my-workspace-pkg"}), js_aliases=("@app/", "shared-lib"))
    assert refs(code, project=project) == []


def test_prefix_only_core_modules_are_packages_without_the_prefix() -> None:
    assert refs("import t from 'test';\n") == [("test", "test")]


def test_npm_specifier_prefix_is_unwrapped() -> None:
    assert refs("import express from 'npm:express@4/router';\n") == [("npm:express@4/router", "express")]


def test_invalid_package_names_are_not_reported() -> None:
    assert refs("import x from '@scope-only';\nimport y from '_private';\n") == []


def test_evidence_and_location() -> None:
    source = Source("const a = 1;\n  const lib = require('left-pad'), b = 2;\n", SourceKind.JAVASCRIPT, "x.js")
    (ref,) = extract_imports(source, Project()).refs
    assert ref.ecosystem is Ecosystem.NPM
    assert ref.kind is RefKind.IMPORT
    assert ref.evidence == "const lib = require('left-pad'), b = 2;"
    assert (ref.location.line, ref.location.column) == (2, 3)


def test_multiline_import_is_located_at_its_source_line() -> None:
    code = "import {\n  a,\n  b,\n} from 'pkg-a';\n"
    (ref,) = extract_imports(Source(code, SourceKind.TYPESCRIPT, "x.ts"), Project()).refs
    assert ref.location.line == 4
    assert ref.evidence == "import { a, b, } from 'pkg-a';"


def test_only_added_lines_count() -> None:
    source = Source(
        "import a from 'alpha';\nimport b from 'beta';\n", SourceKind.TYPESCRIPT, "x.ts", added_lines=frozenset({2})
    )
    assert [r.canonical for r in extract_imports(source, Project()).refs] == ["beta"]


def test_partial_code_keeps_what_parsed() -> None:
    fragment = "  }, [deps]);\nimport { motion } from 'framer-motion';\nfunction broken( {\n"
    assert ("framer-motion", "framer-motion") in refs(fragment, SourceKind.TSX)
