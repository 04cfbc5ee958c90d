"""Python import extraction: every import form, the distribution map, and the skip rules (with traps)."""

from __future__ import annotations

import textwrap

import pytest

from slopguard.extract.imports import extract_imports
from slopguard.models import Ecosystem, Project, RefKind, Source, SourceKind


def refs(code: str, project: Project | None = None, **source_args: object) -> list[tuple[str, str]]:
    source = Source(textwrap.dedent(code), SourceKind.PYTHON, "app.py", **source_args)  # type: ignore[arg-type]
    extraction = extract_imports(source, project or Project())
    assert extraction.problems == ()
    return [(r.name, r.canonical) for r in extraction.refs]


def test_plain_dotted_and_aliased_imports() -> None:
    got = refs(
        """
        import requests
        import numpy as np, pandas as pd
        import urllib3.util.retry
        """
    )
    assert got == [
        ("requests", "requests"),
        ("numpy", "numpy"),
        ("pandas", "pandas"),
        ("urllib3.util.retry", "urllib3"),
    ]


def test_from_imports_single_and_parenthesised() -> None:
    got = refs(
        """
        from flask import Flask
        from sqlalchemy.orm import (
            Session,
            sessionmaker,
        )
        """
    )
    assert got == [("flask", "flask"), ("sqlalchemy.orm", "sqlalchemy")]


def test_imports_inside_functions_try_and_if_blocks() -> None:
    got = refs(
        """
        import typing
        if typing.TYPE_CHECKING:
            from attrs import define
        try:
            import ujson as json
        except ImportError:
            import json
        def load():
            import toml
            return toml
        class C:
            def m(self):
                if True:
                    from lxml import etree
        """
    )
    assert got == [("attrs", "attrs"), ("ujson", "ujson"), ("toml", "toml"), ("lxml", "lxml")]


def test_dynamic_imports_with_literal_names_only() -> None:
    got = refs(
        """
        import importlib
        mod = importlib.import_module("cv2")
        other = __import__("orjson")
        from importlib import import_module
        third = import_module('PIL.Image')
        skip1 = importlib.import_module(name)
        skip2 = importlib.import_module(f"plugins.{name}")
        skip3 = importlib.import_module(".relative", package="pkg")
        skip4 = importlib.import_module("os.path")
        """
    )
    assert got == [("cv2", "opencv-python"), ("orjson", "orjson"), ("PIL.Image", "pillow")]


@pytest.mark.parametrize(
    ("module", "distribution"),
    [
        ("yaml", "pyyaml"),
        ("cv2", "opencv-python"),
        ("sklearn", "scikit-learn"),
        ("PIL", "pillow"),
        ("bs4", "beautifulsoup4"),
        ("dateutil", "python-dateutil"),
        ("jwt", "pyjwt"),
        ("git", "gitpython"),
        ("attr", "attrs"),
        ("google.cloud.storage", "google-cloud-storage"),
        ("google.cloud.bigquery", "google-cloud-bigquery"),
        ("azure.storage.blob", "azure-storage-blob"),
        ("google.protobuf", "protobuf"),
        # google-cloud-core's own modules, versioned API surfaces, packages not named after their distribution
        ("google.cloud.exceptions", "google-cloud-core"),
        ("google.cloud.client", "google-cloud-core"),
        ("google.cloud.pubsub_v1", "google-cloud-pubsub"),
        ("google.cloud.speech_v1p1beta1", "google-cloud-speech"),
        ("google.cloud.bigquery_storage_v1beta2", "google-cloud-bigquery-storage"),
        ("google.cloud.sql.connector", "cloud-sql-python-connector"),
    ],
)
def test_import_names_map_to_their_distribution(module: str, distribution: str) -> None:
    assert refs(f"import {module}\n") == [(module, distribution)]


def test_from_namespace_import_maps_each_subpackage() -> None:
    got = refs("from google.cloud import storage, bigquery as bq\n")
    assert got == [
        ("google.cloud.storage", "google-cloud-storage"),
        ("google.cloud.bigquery", "google-cloud-bigquery"),
    ]


def test_from_google_cloud_import_core_modules_is_not_a_made_up_distribution() -> None:
    got = refs("from google.cloud import exceptions, pubsub_v1\nfrom google.cloud.exceptions import NotFound\n")
    assert got == [
        ("google.cloud.exceptions", "google-cloud-core"),
        ("google.cloud.pubsub_v1", "google-cloud-pubsub"),
        ("google.cloud.exceptions", "google-cloud-core"),
    ]


def test_from_import_of_plain_names_does_not_split_the_package() -> None:
    assert refs("from yaml import safe_load, dump\n") == [("yaml", "pyyaml")]


def test_unmapped_import_is_looked_up_under_its_normalised_name() -> None:
    assert refs("import Some_Unknown.sub\n") == [("Some_Unknown.sub", "some-unknown")]


def test_skip_rules_false_positive_traps() -> None:
    code = """
        from __future__ import annotations
        import os, sys, json, typing, asyncio.subprocess
        import tomllib, distutils, imp
        from . import sibling
        from .models import User
        from ..core import thing
        import urllib2
        from _typeshed import StrPath
        import myapp.settings
        from myapp import views
        import conftest
        # import fakepkg_in_comment
        text = "import fakepkg_in_string"
        doc = '''
        import fakepkg_in_docstring
        '''
        """
    project = Project(python_modules=frozenset({"myapp", "conftest"}))
    assert refs(code, project) == []


def test_evidence_location_and_kind() -> None:
    source = Source(
        "import os\n\ndef f():\n    from bs4 import (\n        BeautifulSoup,\n    )\n",
        SourceKind.PYTHON,
        "pkg/mod.py",
        line_offset=10,
        detail="toolu_1",
    )
    (ref,) = extract_imports(source, Project()).refs
    assert ref.ecosystem is Ecosystem.PYPI
    assert ref.kind is RefKind.IMPORT
    assert ref.evidence == "from bs4 import ( BeautifulSoup, )"
    assert (ref.location.path, ref.location.line, ref.location.column) == ("pkg/mod.py", 14, 5)
    assert ref.location.detail == "toolu_1"


def test_evidence_is_one_line_of_at_most_200_characters() -> None:
    names = ", ".join(f"name_{i}" for i in range(100))
    (ref,) = extract_imports(Source(f"from rich import ({names})\n", SourceKind.PYTHON, "a.py"), Project()).refs
    assert "\n" not in ref.evidence
    assert len(ref.evidence) == 200
    assert ref.evidence.startswith("from rich import (name_0, name_1")


def test_only_added_lines_of_a_diff_count() -> None:
    code = "import requests\nimport httpx\nimport yaml\n"
    assert refs(code, added_lines=frozenset({2})) == [("httpx", "httpx")]


def test_partial_code_from_an_edit_still_yields_what_parsed() -> None:
    fragment = """
            result = compute(
        import pandas as pd
        def broken(:
            from scipy import stats
        """
    got = refs(fragment)
    assert ("pandas", "pandas") in got
    assert ("scipy", "scipy") in got


def test_non_identifier_module_names_are_ignored() -> None:
    assert refs("importlib.import_module('not a module')\n__import__('1abc')\n") == []
