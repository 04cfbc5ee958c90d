"""Build the shipped data in `registries/` from the public datasets in `../shared/data/` (reproducible).

Usage: python scripts/build_registries.py [--data DIR] [--out DIR] [--only stdlib,builtins,imports,...]

Every file gets a `#` header naming its sources; `registries/README.md` lists repo@commit, date and licence.
Node builtins come from the `node` on PATH (v20 at build time) plus the `node:`-only modules.
"""

from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
_SEP = re.compile(r"[-_.]+")
_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def pep503(name: str) -> str:
    return _SEP.sub("-", name).lower()


def read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def write(out: Path, relative: str, header: str, rows: Iterable[str]) -> int:
    path = out / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = list(rows)
    body = "".join(f"# {h}\n" for h in header.strip().splitlines())
    path.write_text(body + "".join(f"{r}\n" for r in lines), encoding="utf-8")
    print(f"{relative}: {len(lines)} rows", file=sys.stderr)
    return len(lines)


def dedupe(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


# --- stdlib and builtins ---------------------------------------------------------------------------

# Top-level modules of Python 3.8-3.9 and 3.12-3.14 that sys.stdlib_module_names of 3.10/3.11 lacks.
STDLIB_EXTRAS = {
    "3.8-3.9": ["_bootlocale", "_dummy_thread", "dummy_threading", "formatter", "parser", "symbol", "binhex"],
    "3.12-3.14": [
        "annotationlib",
        "compression",
        "_colorize",
        "_pyrepl",
        "_interpreters",
        "_interpqueues",
        "_interpchannels",
        "_opcode_metadata",
        "_suggestions",
        "_sysconfig",
        "_zstd",
        "_remote_debugging",
        "_apple_support",
        "_ios_support",
        "_android_support",
        "_pylong",
        "_wmi",
        "_tokenize",
        "_typing",
        "_pydatetime",
        "_pydecimal",
        "_pyio",
        "_pylong",
        "_lsprof",
        "_hmac",
        "_blake2",
        "_sha2",
        "_opcode",
        "_contextvars",
    ],
}
# Modules 3.12+ removed but still in the union (the answer must not depend on the running Python).
STDLIB_REMOVED = [
    "distutils", "imp", "asynchat", "asyncore", "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk",
    "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd",
    "sunau", "telnetlib", "uu", "xdrlib", "lib2to3",
]  # fmt: skip


def build_stdlib(out: Path) -> None:
    names = set(getattr(sys, "stdlib_module_names", ()))
    for extra in STDLIB_EXTRAS.values():
        names.update(extra)
    names.update(STDLIB_REMOVED)
    header = f"""Top-level standard-library modules, union of Python 3.8-3.14.
Generated from sys.stdlib_module_names of Python {sys.version_info.major}.{sys.version_info.minor} plus a curated list
of modules only in 3.8-3.9 (_bootlocale, formatter, parser, symbol, binhex, dummy_threading) and 3.12-3.14
(annotationlib, compression, _pyrepl, ...) and the ones 3.12/3.13 removed (distutils, imp, asynchat, cgi, ...).
Refresh: python scripts/build_registries.py --only stdlib"""
    write(out, "pypi/stdlib.txt", header, sorted(names))


NODE_ONLY_PREFIXED = ["test", "test/reporters", "sqlite", "sea", "quic"]


def build_builtins(out: Path) -> None:
    try:
        listing = subprocess.run(
            ["node", "-e", "console.log(require('module').builtinModules.join('\\n'))"],
            capture_output=True, text=True, check=True, timeout=30,
        ).stdout  # fmt: skip
        version = subprocess.run(["node", "-v"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        sys.exit(f"node is needed to list the builtins: {exc}")
    names = set(read_lines_text(listing)) | set(NODE_ONLY_PREFIXED)
    header = f"""Node core modules, without the `node:` prefix.
Generated from require('module').builtinModules of node {version}, plus the modules valid only with the
`node:` prefix ({", ".join(NODE_ONLY_PREFIXED)}).
Refresh: python scripts/build_registries.py --only builtins"""
    write(out, "npm/builtins.txt", header, sorted(names))


def read_lines_text(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


# --- import names ----------------------------------------------------------------------------------

# The curated head wins over every source: well-known imports whose distribution differs from the name.
CURATED_IMPORTS = {
    "yaml": "PyYAML", "cv2": "opencv-python", "sklearn": "scikit-learn", "PIL": "Pillow",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "jwt": "PyJWT", "git": "GitPython",
    "attr": "attrs", "google.cloud.storage": "google-cloud-storage",
    "google.protobuf": "protobuf", "google.auth": "google-auth", "google.oauth2": "google-auth",
    "google.api_core": "google-api-core", "googleapiclient": "google-api-python-client",
    "google.generativeai": "google-generativeai", "google.genai": "google-genai",
    "dotenv": "python-dotenv", "magic": "python-magic", "docx": "python-docx", "pptx": "python-pptx",
    "serial": "pyserial", "usb": "pyusb", "zmq": "pyzmq", "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex", "OpenSSL": "pyOpenSSL", "MySQLdb": "mysqlclient",
    "psycopg2": "psycopg2-binary", "fitz": "PyMuPDF", "jose": "python-jose", "multipart": "python-multipart",
    "socketio": "python-socketio", "engineio": "python-engineio", "slugify": "python-slugify",
    "telegram": "python-telegram-bot", "discord": "discord.py", "dns": "dnspython", "ldap": "python-ldap",
    "skimage": "scikit-image", "Levenshtein": "Levenshtein", "win32com": "pywin32", "win32api": "pywin32",
    "pythoncom": "pywin32", "pywintypes": "pywin32", "win32con": "pywin32", "gi": "PyGObject",
    "OpenGL": "PyOpenGL", "wx": "wxPython", "pkg_resources": "setuptools", "mpl_toolkits": "matplotlib",
    "faiss": "faiss-cpu", "sentence_transformers": "sentence-transformers", "tree_sitter": "tree-sitter",
    "websocket": "websocket-client", "jinja2": "Jinja2", "markdown": "Markdown", "lxml": "lxml",
    "markdown_it": "markdown-it-py", "mdit_py_plugins": "mdit-py-plugins",
    "kafka": "kafka-python", "github": "PyGithub", "nacl": "PyNaCl", "socks": "PySocks",
    "snowflake.connector": "snowflake-connector-python", "azure.storage.blob": "azure-storage-blob",
    "azure.identity": "azure-identity", "msal": "msal", "pydantic_settings": "pydantic-settings",
    "typing_extensions": "typing-extensions", "ruamel.yaml": "ruamel.yaml", "zope.interface": "zope.interface",
    "Bio": "biopython", "bson": "pymongo", "gridfs": "pymongo", "sqlalchemy": "SQLAlchemy",
    "flask_sqlalchemy": "Flask-SQLAlchemy", "flask_cors": "Flask-Cors", "flask_login": "Flask-Login",
    "rest_framework": "djangorestframework", "corsheaders": "django-cors-headers",
    "pythonjsonlogger": "python-json-logger", "hamcrest": "PyHamcrest", "Xlib": "python-xlib",
    "speech_recognition": "SpeechRecognition", "playwright": "playwright", "pyximport": "Cython",
    "tensorflow": "tensorflow", "torch": "torch", "openai": "openai", "anthropic": "anthropic",
    "huggingface_hub": "huggingface-hub", "llama_cpp": "llama-cpp-python", "dash_bootstrap_components":
    "dash-bootstrap-components", "umap": "umap-learn", "ujson": "ujson", "grpc": "grpcio",
    "pkg_about": "pkg-about", "objc": "pyobjc-core", "AppKit": "pyobjc-framework-Cocoa",
    "Foundation": "pyobjc-framework-Cocoa", "keras": "keras", "xdist": "pytest-xdist",
    "pytest_asyncio": "pytest-asyncio", "pytest_mock": "pytest-mock", "_pytest": "pytest",
    "memcache": "python-memcached", "ffmpeg": "ffmpeg-python", "vlc": "python-vlc",
    "nmap": "python-nmap", "Image": "Pillow", "PyPDF2": "PyPDF2", "pypdf": "pypdf",
    "moviepy": "moviepy", "newspaper": "newspaper3k", "whisper": "openai-whisper", "jieba": "jieba",
    # google-cloud-core's own modules, and google.cloud packages not named after their distribution
    "google.cloud.exceptions": "google-cloud-core", "google.cloud.client": "google-cloud-core",
    "google.cloud._helpers": "google-cloud-core", "google.cloud._http": "google-cloud-core",
    "google.cloud.environment_vars": "google-cloud-core", "google.cloud.operation": "google-cloud-core",
    "google.cloud.obsolete": "google-cloud-core", "google.cloud.version": "google-cloud-core",
    "google.cloud.pubsub": "google-cloud-pubsub", "google.cloud.pubsublite": "google-cloud-pubsublite",
    "google.cloud.sql.connector": "cloud-sql-python-connector",
    "google.cloud.alloydb.connector": "google-cloud-alloydb-connector", "google.adk": "google-adk",
}  # fmt: skip

# Namespace roots shared by many distributions: never mapped, so `google.cloud.nothing` is not "protobuf".
NAMESPACE_ROOTS = frozenset({
    "google", "google.cloud", "azure", "azure.mgmt", "opentelemetry", "opentelemetry.instrumentation",
    "backports", "jaraco", "zope", "sphinxcontrib", "plone", "collective", "ruamel", "oslo", "flufl",
    "aws_cdk", "tencentcloud", "alibabacloud", "huaweicloudsdkcore", "pyobjc", "Products", "z3c",
})  # fmt: skip

# pants's DEFAULT_MODULE_PATTERN_MAPPING, applied to the popular distributions.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^google-cloud-(.+)$"), "google.cloud.{u}"),
    (re.compile(r"^azure-(.+)$"), "azure.{d}"),
    (re.compile(r"^opentelemetry-instrumentation-(.+)$"), "opentelemetry.instrumentation.{u}"),
    (re.compile(r"^django-(.+)$"), "{u}"),
    (re.compile(r"^python-(.+)$"), "{u}"),
)


def build_imports(out: Path, data: Path) -> None:
    stdlib = set(_lines_of(out / "pypi/stdlib.txt"))
    popular = [pep503(n) for n in read_lines(data / "popular/guarddog_top_pypi.txt")]
    rank = {name: i for i, name in reversed(list(enumerate(popular)))}
    table: dict[str, str] = {}
    origin: dict[str, str] = {}

    def add(module: str, dist: str, source: str) -> None:
        if module in table or module in NAMESPACE_ROOTS or not _MODULE.match(module) or module.split(".")[0] in stdlib:
            return
        table[module] = dist
        origin[module] = source

    for module, dist in CURATED_IMPORTS.items():
        add(module, dist, "curated")

    def identity_wins(module: str, dist: str) -> bool:
        # `import msgpack` is the popular distribution msgpack, not pipreqs' old msgpack-python
        return "." not in module and pep503(module) in rank and pep503(module) != pep503(dist)

    for row in read_tsv(data / "import_mapping/pants_default_module_mapping.tsv"):
        add(row["import_module"], row["pypi_distribution"], "pants")
    for line in read_lines(data / "import_mapping/pipreqs_mapping.txt"):
        module, _, dist = line.partition(":")
        if module and dist and not identity_wins(module, dist):
            add(module, dist.replace("_", "-"), "pipreqs")
    # pants pattern rules: every popular distribution of those shapes gives its module.
    for dist in popular:
        for pattern, template in _PATTERNS:
            m = pattern.match(dist)
            if not m:
                continue
            module = template.format(u=m.group(1).replace("-", "_"), d=m.group(1).replace("-", "."))
            if pep503(module) in rank and "." not in module:
                continue  # the bare module name is itself a popular distribution: ambiguous
            add(module, dist, "pants-pattern")
            break
    # pigar (2016, noisy): only a pair whose distribution is popular, taking the most popular candidate,
    # and only for a top-level module that is not itself a popular distribution name.
    best: dict[str, str] = {}
    for row in read_tsv(data / "import_mapping/pigar_2016_module_to_pypi.tsv"):
        module, dist = row["import_or_module_name"].strip(), pep503(row["pypi_distribution"])
        if "." in module or dist not in rank or not _MODULE.match(module):
            continue
        if pep503(module) in rank and pep503(module) != dist:
            continue
        if module not in best or rank[dist] < rank[best[module]]:
            best[module] = dist
    for module, dist in sorted(best.items()):
        if pep503(module) != dist and rank[dist] < 5000:
            add(module, dist, "pigar")
    counts: dict[str, int] = {}
    for source in origin.values():
        counts[source] = counts.get(source, 0) + 1
    header = f"""Python import module TAB the PyPI distribution that provides it (longest dotted prefix wins).
Sources, in order of precedence: a curated head ({counts.get("curated", 0)}), pantsbuild/pants
default_module_mapping.py @ f03ba3d7 ({counts.get("pants", 0)}, Apache-2.0), bndr/pipreqs mapping @ 48dbafd3
({counts.get("pipreqs", 0)}, Apache-2.0), pants' pattern rules applied to the popular PyPI list
({counts.get("pants-pattern", 0)}), damnever/pigar 2016 db @ 6fe494c3 only where the distribution is in the top 5,000
popular names ({counts.get("pigar", 0)}, BSD-3-Clause). Standard-library modules are left out, and so is a
pipreqs pair whose top-level module is itself a popular distribution (msgpack is msgpack, not msgpack-python).
Refresh: python scripts/build_registries.py --only imports"""
    write(out, "pypi/import-names.tsv", header, (f"{m}\t{d}" for m, d in sorted(table.items())))


def _lines_of(path: Path) -> list[str]:
    return [ln for ln in read_lines(path) if not ln.startswith("#")]


# --- popular names ---------------------------------------------------------------------------------


def _popular(data: Path) -> dict[str, list[str]]:
    pypi = dedupe(pep503(n) for n in read_lines(data / "popular/guarddog_top_pypi.txt"))
    npm = dedupe(
        read_lines(data / "popular/npm_high_impact_top.txt") + read_lines(data / "popular/guarddog_top_npm.txt")
    )
    awesome = [row["derived_repo_path"].strip() for row in read_tsv(data / "popular/awesome_go_entries.tsv")]
    go = dedupe(read_lines(data / "popular/guarddog_top_go.txt") + [p for p in awesome if p.count("/") >= 2])
    return {"pypi": pypi, "npm": npm, "go": go}


def build_popular(out: Path, data: Path) -> None:
    lists = _popular(data)
    write(
        out,
        "pypi/popular.txt",
        """Popular PyPI distributions (PEP 503 names), most downloaded first.
Source: DataDog/guarddog guarddog/analyzer/metadata/resources/top_pypi_packages.json @ ca8b5b43 (2026-06-16,
Apache-2.0). Refresh: python scripts/build_registries.py --only popular""",
        lists["pypi"],
    )
    write(
        out,
        "npm/popular.txt",
        """Popular npm packages, most depended-on/downloaded first.
Sources: wooorm/npm-high-impact lib/top.js @ d6d9652a (v1.12.0, 2025-12-04, MIT), then the names only in
DataDog/guarddog top_npm_packages.json @ ca8b5b43 (2026-06-16, Apache-2.0).
Refresh: python scripts/build_registries.py --only popular""",
        lists["npm"],
    )
    write(
        out,
        "go/popular.txt",
        """Popular Go module paths, most imported first.
Sources: DataDog/guarddog top_go_packages.json @ ca8b5b43 (2024-11, Apache-2.0), then the repository paths of
avelino/awesome-go README @ c4bc4eb4 (2026-08-07, MIT; a repo path is usually, not always, the module path).
Refresh: python scripts/build_registries.py --only popular""",
        lists["go"],
    )


# --- known-bad lists -------------------------------------------------------------------------------


# OSV MAL- advisories whose `affected[]` lists some versions (or a range) of an established package: the
# package was hijacked, not published as malware. Read from ossf/malicious-packages `osv/malicious/<eco>/<name>/
# <id>.json` (Apache-2.0) @ the commit given; affected versions in npm range syntax. Entries whose advisory
# covers every version (`introduced: 0`, such as express-exp MAL-2025-3238) are not listed: they stay malicious.
COMPROMISED = [
    # (ecosystem, name, affected versions, advisory, ossf commit of the advisory file)
    ("npm", "@lottiefiles/lottie-player", "2.0.5 || 2.0.6 || 2.0.7", "MAL-2024-10301", "56f137e8"),
    ("npm", "@solana/web3.js", ">=1.95.6 <1.95.8", "MAL-2024-11183", "16c9c6ad"),
    ("npm", "@ledgerhq/connect-kit", ">=1.1.5 <=1.1.7", "MAL-2023-8697", "0e4f824d"),
    ("npm", "fsevents", ">=1.0.0 <1.2.11", "MAL-2023-462", "16c9c6ad"),
    ("pypi", "aiocpa", "0.1.13 || 0.1.14", "MAL-2024-11518", "18ab5955"),
    # one malicious high version beside a different, maintained package of the same name (dependency-confusion
    # style uploads, since removed); the names are in the npm download lists with thousands of monthly downloads
    ("npm", "test-renderer", "28.0.0", "MAL-2024-3109", "c761a42e"),
    ("npm", "deviceatlas-clientside", "14.2.4", "MAL-2024-2089", "8a0f307c"),
]


def build_compromised(out: Path) -> set[tuple[str, str]]:
    """Write `<eco>/compromised.tsv` from `COMPROMISED`; the (ecosystem, name) pairs written."""
    for eco in ("pypi", "npm"):
        rows = sorted(f"{name}\t{affected}\t{advisory}" for e, name, affected, advisory, _ in COMPROMISED if e == eco)
        commits = ", ".join(sorted({f"{a} @ {c}" for e, _, _, a, c in COMPROMISED if e == eco}))
        write(
            out,
            f"{eco}/compromised.tsv",
            f"""Established packages some of whose versions were hijacked: name TAB affected versions TAB advisory.
Source: ossf/malicious-packages osv/malicious advisories (Apache-2.0) whose affected[] lists versions or a
range rather than every version: {commits}.
These names are left out of malicious.txt. Refresh: python scripts/build_registries.py --only bad""",
            rows,
        )
    return {(e, name) for e, name, *_ in COMPROMISED}


def build_bad(out: Path, data: Path) -> None:
    lists = _popular(data)
    popular = {"pypi": set(lists["pypi"]), "npm": set(lists["npm"]), "go": set(lists["go"])}
    hal: dict[str, list[str]] = {"pypi": [], "npm": [], "go": []}
    for row in read_tsv(data / "hallucinations/churilov2026_universal_hallucinations.tsv"):
        hal[row["ecosystem"]].append(pep503(row["name"]) if row["ecosystem"] == "pypi" else row["name"])
    for row in read_tsv(data / "hallucinations/documented_slopsquat_incidents.tsv"):
        eco = row["ecosystem"]
        hal[eco].append(pep503(row["hallucinated_name"]) if eco == "pypi" else row["hallucinated_name"])
    with (data / "hallucinations/xiaoye798_npm_preempted_hallucinations.csv").open(encoding="utf-8") as fh:
        hal["npm"].extend(row["name"].strip() for row in csv.DictReader(fh))
    hal["go"].extend(row["name"] for row in read_tsv(data / "hallucinations/vdb_0pstech_go_slopsquatting_subset.tsv"))
    sources = {
        "pypi": "churik5/slopsquatting-replication-2026 disclosure/*_universal_hallucinations.csv @ 9bd9a719\n"
        "(CC-BY-4.0), plus documented incidents (huggingface-cli, Lasso Security 2024)",
        "npm": "churik5/slopsquatting-replication-2026 @ 9bd9a719 (CC-BY-4.0),\n"
        "xiaoye798/Package-Hallucination-Research data/data.csv @ 24355438 (no licence file: names only, facts),\n"
        "documented incidents (react-codeshift, Aikido 2026)",
        "go": "0pstech/slopsquatting-dataset slopsquatting.csv @ 15622b94, Go rows (CC BY 4.0, VDB)",
    }
    for eco, names in hal.items():
        kept = sorted({n for n in names if n and n not in popular[eco]})
        write(
            out,
            f"{eco}/known-hallucinations.txt",
            f"""Package names code LLMs are documented to hallucinate
(popular names removed).
Many PyPI entries are real import names used as package names (git, win32com): only install/manifest refs count.
Sources: {sources[eco].replace(chr(92) + "n", chr(10))}
Refresh: python scripts/build_registries.py --only bad""",
            kept,
        )
    mal: dict[str, set[str]] = {"pypi": set(), "npm": set(), "go": set()}
    for eco in ("pypi", "npm", "go"):
        for row in read_tsv(data / f"malicious/ossf_{eco}_names_2025-06-04.tsv"):
            mal[eco].add(pep503(row["name"]) if eco == "pypi" else row["name"])
    mal["go"].update(row["name"] for row in read_tsv(data / "malicious/ossf_go_names_2026_index_listing.tsv"))
    extra = {"pypi": "", "npm": "", "go": " plus the 2026 Go index listing"}
    hijacked = build_compromised(out)
    for eco, bad in mal.items():
        dropped = sorted(bad & popular[eco])
        bad = {name for name in bad if (eco, name) not in hijacked}
        write(
            out,
            f"{eco}/malicious.txt",
            f"""Names with an OSV MAL- advisory (ossf/malicious-packages, Apache-2.0):
a 2025-06-04 copy of osv/malicious (khulnasoft-lab/malicious-packages @ f7a43652){extra[eco]}.
Popular names are left out ({", ".join(dropped) or "none"}), and so are the names in compromised.tsv.
Refresh: python scripts/build_registries.py --only bad""",
            sorted(bad - popular[eco]),
        )
    pairs: list[str] = []
    for row in read_tsv(data / "malicious/ossf_typosquat_pairs_2025-06-04.tsv"):
        target = row["target_as_stated"].split(" (")[0].strip()
        eco = row["ecosystem"]
        if target == "BoltDB":
            target = "github.com/boltdb/bolt"
        if target:
            pairs.append(f"{eco}\t{row['malicious_name']}\t{target}\tossf")
    for row in read_tsv(data / "typosquat/typogard_historical_typosquatting.tsv"):
        if row["repository"] in ("pypi", "npm"):
            squat, target = row["typosquatting_perpetrator"], row["typosquatting_target"]
            pairs.append(f"{row['repository']}\t{squat}\t{target}\ttypogard")
    write(
        out,
        "eval/typosquat-pairs.tsv",
        """Evaluation only (not loaded at run time):
ecosystem TAB typosquat TAB target TAB source.
Sources: ossf/malicious-packages advisories that name their target (2025-06-04 copy, Apache-2.0) and
mt3443/typogard paper/data/historical_typosquatting.xlsx @ 60df1bac (MIT), PyPI and npm rows.
Refresh: python scripts/build_registries.py --only bad""",
        dedupe(pairs),
    )


# npm binaries whose package has another name, each read from the `bin` field of the package's own
# package.json in its source repository (path @ commit, read 2026-12-07). A binary named like its package
# (`eslint`, `next`, `vite`, `jest`, `prisma`, `tsx`, `create-react-app`) needs no row. Left out: binaries
# whose name is itself another real package with that binary (`gemini`: @google/gemini-cli, but also the
# `gemini` test runner), where npx outside a project would run that other package.
BINS = [
    # (binary, package, where its `bin` field was read)
    ("tsc", "typescript", "microsoft/TypeScript package.json @ 002c79bf"),
    ("tsserver", "typescript", "microsoft/TypeScript package.json @ 002c79bf"),
    ("ng", "@angular/cli", "angular/angular-cli packages/angular/cli/package.json @ 006cbc20"),
    ("nest", "@nestjs/cli", "nestjs/nest-cli package.json @ 0003b6aa"),
    ("firebase", "firebase-tools", "firebase/firebase-tools package.json @ 000a4c34"),
    ("cdk", "aws-cdk", "aws/aws-cdk packages/aws-cdk/package.json @ 0000df60"),
    ("vc", "vercel", "vercel/vercel packages/cli/package.json @ 004d7cf0"),
    ("changeset", "@changesets/cli", "changesets/changesets packages/cli/package.json @ 000a1b3b"),
    ("biome", "@biomejs/biome", "biomejs/biome packages/@biomejs/biome/package.json @ 0035c9d2"),
    ("vue-cli-service", "@vue/cli-service", "vuejs/vue-cli packages/@vue/cli-service/package.json @ 00996ba7"),
    ("ncu", "npm-check-updates", "raineorshine/npm-check-updates package.json @ 005c6aad"),
    ("commitlint", "@commitlint/cli", "conventional-changelog/commitlint @commitlint/cli/package.json @ 005592a9"),
    ("netlify", "netlify-cli", "netlify/cli package.json @ 00091467"),
    ("ntl", "netlify-cli", "netlify/cli package.json @ 00091467"),
    ("mcp-inspector", "@modelcontextprotocol/inspector", "modelcontextprotocol/inspector package.json @ 03199d2d"),
    ("dotenv", "dotenv-cli", "entropitor/dotenv-cli package.json @ 039f9524"),
]


def build_bins(out: Path) -> None:
    write(
        out,
        "npm/bins.tsv",
        """npm binaries whose package has another name: binary TAB package TAB where the bin field was read.
`npx BIN`, `pnpm dlx BIN`, `yarn dlx BIN`, `bunx BIN` run the package that provides BIN.
Source: each package's own package.json `bin` field in its source repository (read 2026-12-07).
Refresh: python scripts/build_registries.py --only bins""",
        sorted(f"{binary}\t{package}\t{where}" for binary, package, where in BINS),
    )


STEPS = ("stdlib", "builtins", "imports", "popular", "bad", "bins")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "registries")
    parser.add_argument("--only", default=",".join(STEPS))
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    if "stdlib" in only:
        build_stdlib(args.out)
    if "builtins" in only:
        build_builtins(args.out)
    if "imports" in only:
        build_imports(args.out, args.data)
    if "popular" in only:
        build_popular(args.out, args.data)
    if "bad" in only:
        build_bad(args.out, args.data)
    if "bins" in only:
        build_bins(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
