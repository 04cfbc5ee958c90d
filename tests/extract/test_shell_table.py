"""Table-driven tests of the shell extractor: every tool, alias and form of issue 3, and the false-positive traps."""

from __future__ import annotations

import pytest

from slopguard.extract.shell import extract_shell
from slopguard.models import Extraction, Project, Source, SourceKind


def run(command: str, **kw: object) -> Extraction:
    return extract_shell(Source(command, SourceKind.SHELL, "cmd.sh", **kw), Project())  # type: ignore[arg-type]


def summary(command: str) -> list[str]:
    """`eco kind canonical[ spec][ !source]` for each ref, in order found."""
    out = []
    for ref in run(command).refs:
        text = f"{ref.ecosystem.value} {ref.kind.value} {ref.canonical}"
        if ref.spec:
            text += f" {ref.spec}"
        if ref.source:
            text += " !src"
        out.append(text)
    return out


CASES: list[tuple[str, list[str]]] = [
    # --- pip and friends
    ("pip install requests", ["pypi install requests"]),
    ("pip3 install Flask==2.0", ["pypi install flask ==2.0"]),
    ("pip3.11 install 'Django>=4,<5'", ["pypi install django <5,>=4"]),
    ("python -m pip install numpy", ["pypi install numpy"]),
    ("python3.12 -m pip install -U pandas", ["pypi install pandas"]),
    ("/usr/bin/python3 -I -m pip install scipy", ["pypi install scipy"]),
    ("./venv/bin/pip install attrs", ["pypi install attrs"]),
    ("pip download six", ["pypi install six"]),
    ("pip wheel -w dist cffi", ["pypi install cffi"]),
    ("pip install \"requests[socks]>=2.31; python_version>'3.8'\"", ["pypi install requests >=2.31"]),
    ("pip install --user --no-deps -q Typer_Cli", ["pypi install typer-cli"]),
    ("pip install -t ./vendor -c /dev/null x", ["pypi install x"]),
    ("pip install -e .", ["pypi install . !src"]),
    ("pip install -e git+https://github.com/a/proj.git#egg=proj", ["pypi install proj !src"]),
    ("pip install git+https://github.com/psf/requests.git", ["pypi install requests !src"]),
    ("pip install https://h.example/pkgs/foo_bar-1.0-py3-none-any.whl", ["pypi install foo-bar !src"]),
    ("pip install ./local/pkg", ["pypi install pkg !src"]),
    ("pip install '.[dev]'", ["pypi install .[dev] !src"]),
    ("pip install -e '.[test]'", ["pypi install .[test] !src"]),
    ("sudo -E env PATH=$PATH:/x pip install a", ["pypi install a"]),
    ("pip install 'name @ git+https://g.example/x.git'", ["pypi install name !src"]),
    ("pip install --index-url https://idx.example/simple a", ["pypi install a"]),
    # --- uv, uvx, pipx, poetry, pdm, rye, pipenv
    ("uv pip install httpx", ["pypi install httpx"]),
    ("uv add 'moto[s3]>=5.0' --dev", ["pypi install moto >=5.0"]),
    ("uv add --group lint ruff", ["pypi install ruff"]),
    ("uv tool install --with rich black", ["pypi install black", "pypi install rich"]),
    ("uvx ruff check .", ["pypi run ruff"]),
    ("uvx ruff@0.5.0 check", ["pypi run ruff 0.5.0"]),
    ("uvx --from 'huggingface_hub[cli]' huggingface-cli login", ["pypi run huggingface-hub"]),
    ("uv tool run --with pytest-cov pytest", ["pypi run pytest", "pypi run pytest-cov"]),
    ("uv run --with rich script.py", ["pypi run rich"]),
    ("uv run pytest -x", []),
    ("uv run python -m pip install zz", ["pypi install zz"]),
    ("pipx install poetry", ["pypi install poetry"]),
    ("pipx install --python 3.11 black isort", ["pypi install black", "pypi install isort"]),
    ("pipx run cowsay moo", ["pypi run cowsay"]),
    ("pipx run --spec 'black==24.1' black .", ["pypi run black ==24.1"]),
    ("pipx inject poetry poetry-plugin-export", ["pypi install poetry-plugin-export"]),
    ("poetry add requests@^2.31", ["pypi install requests ^2.31"]),
    ("poetry add -G dev pytest 'httpx>=0.27'", ["pypi install pytest", "pypi install httpx >=0.27"]),
    ("poetry add git+https://github.com/a/b.git", ["pypi install b !src"]),
    ("poetry self add poetry-plugin-up", ["pypi install poetry-plugin-up"]),
    ("poetry run pip install qq", ["pypi install qq"]),
    ("pdm add -d pytest", ["pypi install pytest"]),
    ("pdm add -e ./sub requests", ["pypi install sub !src", "pypi install requests"]),
    ("rye add --dev black", ["pypi install black"]),
    ("rye add mylib --git https://g.example/mylib", ["pypi install mylib !src"]),
    ("pipenv install flask", ["pypi install flask"]),
    ("micromamba create -n env python=3.11", []),
    ("conda run -n env pip install cc", ["pypi install cc"]),
    ("uv pip install --python 3.12 --system dd", ["pypi install dd"]),
    ("pip install -qU ee", ["pypi install ee"]),
    ("pip --disable-pip-version-check install ff", ["pypi install ff"]),
    ("pip --log /tmp/log install gg", ["pypi install gg"]),
    ("pipenv run pip install yy", ["pypi install yy"]),
    # --- npm and friends
    ("npm install express", ["npm install express"]),
    ("npm i -D typescript@^5", ["npm install typescript ^5"]),
    ("npm add @types/node", ["npm install @types/node"]),
    ("npm isntall lodash", ["npm install lodash"]),
    (
        "npm in a && npm ins b && npm inst c && npm insta d && npm instal e",
        ["npm install a", "npm install b", "npm install c", "npm install d", "npm install e"],
    ),
    (
        "npm isnt f; npm isnta g; npm isntal h; npm install-test i; npm it j",
        ["npm install f", "npm install g", "npm install h", "npm install i", "npm install j"],
    ),
    ("npm --prefix web install -P k", ["npm install k"]),
    ("npx --package=yo --package=generator-webapp -- yo webapp", ["npm run yo", "npm run generator-webapp"]),
    ("npm exec -c 'eslint .' -p eslint", ["npm run eslint"]),
    ("npx ./bin/local.js", ["npm run local.js !src"]),
    ("npm install --save-dev --registry https://r.example/ @scope/pkg@next", ["npm install @scope/pkg next"]),
    ("npm install -g npm-check-updates", ["npm install npm-check-updates"]),
    ("npm install my@npm:real-pkg@1.2.3", ["npm install real-pkg 1.2.3"]),
    ("npm install github:user/repo", ["npm install repo !src"]),
    ("npm install user/repo#main", ["npm install repo !src"]),
    (
        "npm install git+https://g.example/x.git file:../lib ./tarball.tgz",
        ["npm install x !src", "npm install lib !src", "npm install tarball !src"],
    ),
    ("npm install https://r.example/t/-/t-1.0.0.tgz", ["npm install t !src"]),
    ("npm exec -- eslint .", ["npm run eslint"]),
    ("npm x --package=@angular/cli ng new", ["npm run @angular/cli"]),
    ("npx create-react-app my-app", ["npm run create-react-app"]),
    ("npx -y prettier@3 --write .", ["npm run prettier 3"]),
    ("npx -p typescript -p ts-node ts-node x.ts", ["npm run typescript", "npm run ts-node"]),
    ("npm init vite@latest my-app", ["npm run create-vite latest"]),
    ("npm create svelte", ["npm run create-svelte"]),
    ("npm init @open-wc", ["npm run @open-wc/create"]),
    ("npm init @scope/app", ["npm run @scope/create-app"]),
    ("npm init -y", []),
    ("yarn add react react-dom", ["npm install react", "npm install react-dom"]),
    ("yarn add -D @types/react", ["npm install @types/react"]),
    ("yarn global add serve", ["npm install serve"]),
    ("yarn dlx create-t3-app", ["npm run create-t3-app"]),
    ("yarn create next-app web", ["npm run create-next-app"]),
    ("yarn workspace web add zod", ["npm install zod"]),
    ("pnpm add lucide-react", ["npm install lucide-react"]),
    ("pnpm install -D vitest", ["npm install vitest"]),
    ("pnpm i", []),
    ("pnpm --filter web add -w dayjs", ["npm install dayjs"]),
    ("pnpm dlx degit user/repo x", ["npm run degit"]),
    ("pnpm create vite", ["npm run create-vite"]),
    ("pnpx cowsay", ["npm run cowsay"]),
    ("bun add hono", ["npm install hono"]),
    ("bun a -d @biomejs/biome", ["npm install @biomejs/biome"]),
    ("bun install elysia", ["npm install elysia"]),
    ("bun x cowsay hi", ["npm run cowsay"]),
    ("bunx --bun vite", ["npm run vite"]),
    ("bun create hono my-app", ["npm run create-hono"]),
    # --- go
    ("go get github.com/gin-gonic/gin", ["go install github.com/gin-gonic/gin"]),
    ("go get -u github.com/a/b@v1.2.3 ./...", ["go install github.com/a/b v1.2.3"]),
    ("go get golang.org/x/tools/...", ["go install golang.org/x/tools"]),
    ("go install -tags netgo golang.org/x/tools/gopls@latest", ["go install golang.org/x/tools/gopls latest"]),
    ("go run golang.org/x/tools/cmd/stringer@v0.20.0 -type=Pill", ["go run golang.org/x/tools/cmd/stringer v0.20.0"]),
    ("go run example.com/cmd/tool", ["go run example.com/cmd/tool"]),
    ("go run main.go util.go -v", []),
    ("go run .", []),
    ("go mod download golang.org/x/mod@v0.2.0", ["go install golang.org/x/mod v0.2.0"]),
    ("go mod download", []),
    ("go get go@1.22 toolchain@go1.22.1", []),
    ("go get example.com/old@none", []),
    # --- wrappers and composition
    ("sudo pip install a", ["pypi install a"]),
    ("sudo -u root -H pip install a", ["pypi install a"]),
    ("doas pip install a", ["pypi install a"]),
    ("env PIP_NO_CACHE_DIR=1 pip install a", ["pypi install a"]),
    ("FOO=1 BAR=2 npm i left-pad", ["npm install left-pad"]),
    ("time pip install a", ["pypi install a"]),
    ("nohup npm install b &", ["npm install b"]),
    ("nice -n 10 timeout 60 pip install c", ["pypi install c"]),
    ("echo a | xargs -n1 pip install d", ["pypi install d"]),
    ("cd app && npm install x || yarn add y; pnpm add z", ["npm install x", "npm install y", "npm install z"]),
    ("(cd sub && pip install a) | tee log", ["pypi install a"]),
    ("echo $(pip install a)", ["pypi install a"]),
    ("pip install \\\n  a \\\n  b", ["pypi install a", "pypi install b"]),
    ("bash -c 'pip install a && npm i b'", ["pypi install a", "npm install b"]),
    ('sh -c "sudo pip install a"', ["pypi install a"]),
    ("bash -lc 'uvx ruff'", ["pypi run ruff"]),
    ("bash -o pipefail -c 'pip install a'", ["pypi install a"]),
    ("bash -c \"bash -c 'pip install deep'\"", ["pypi install deep"]),
    ("eval pip install a", ["pypi install a"]),
    ('env -S "pip install a"', ["pypi install a"]),
    ("if true; then pip install a; fi", ["pypi install a"]),
    ("for x in 1; do npm i b; done", ["npm install b"]),
    ("f() { go get example.com/m; }; f", ["go install example.com/m"]),
    # --- manifests written by the command
    ("cat > requirements.txt <<EOF\nrequests>=2\nflask\nEOF", ["pypi manifest requests >=2", "pypi manifest flask"]),
    ('cat <<\'EOF\' > package.json\n{"dependencies": {"left-pad": "^1"}}\nEOF', ["npm manifest left-pad ^1"]),
    ("tee -a requirements-dev.txt <<EOF >/dev/null\npytest\nEOF", ["pypi manifest pytest"]),
    ("echo 'httpx>=0.27' >> requirements.txt", ["pypi manifest httpx >=0.27"]),
    ("printf 'a\\nb\\n' > requirements.txt", ["pypi manifest a", "pypi manifest b"]),
    ("cat > notes.txt <<EOF\npip install x\nEOF", []),
    ("cat requirements.txt", []),
    # --- traps: words that are only arguments of another program
    ("echo 'pip install x'", []),
    ('echo "npm install y"', []),
    ('grep "npm i" README.md', []),
    ('git commit -m "add pip install y"', []),
    ("git commit -m 'npx create-react-app'", []),
    ("pip --version", []),
    ("pip list", []),
    ("pip show requests", []),
    ("pip uninstall -y requests", []),
    ("pip freeze > requirements.txt", []),
    ("npm run build", []),
    ("npm test", []),
    ("npm ci", []),
    ("npm install", []),
    ("npm run install", []),
    ("yarn", []),
    ("yarn install", []),
    ("go build ./...", []),
    ("go test -run TestInstall ./...", []),
    ("go vet ./...", []),
    ("ls -la && git status", []),
    ("python script.py install", []),
    ("python -c 'import pip'", []),
    ("bash install.sh", []),
    ("make install", []),
    ("pip install $PKG", []),
    ('pip install "${DEPS[@]}"', []),
    ("pip install x==$VERSION", []),
    ("man pip", []),
    ("which npx", []),
    ("cat <<EOF\npip install x\nEOF", []),
]


@pytest.mark.parametrize(("command", "expected"), CASES, ids=[c for c, _ in CASES])
def test_shell_table(command: str, expected: list[str]) -> None:
    assert summary(command) == expected
