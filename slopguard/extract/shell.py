"""Package references in shell commands and scripts: walks the tree-sitter-bash tree, unwraps wrappers."""

from __future__ import annotations

import re

from slopguard.extract.prefilter import may_install, may_read
from slopguard.extract.shell_common import Arg, Node, ShellText, Sink, split_options, word_value
from slopguard.extract.shell_cwd import SUBSHELLS, Restore, away, change_dir
from slopguard.extract.shell_plain import ASSIGNMENT, plain_command
from slopguard.extract.shell_remote import REMOTE, remote_command
from slopguard.models import INCOMPLETE, Extraction, Problem, Project, Source

MAX_TEXT = 1_000_000
"""Longest command or script text parsed (characters); longer text becomes a problem, not a hang."""
MAX_DEPTH = 6
"""How deep `bash -c '...'` / `eval` nesting is followed."""
MAX_LOOP_BODIES = 256
"""Loop bodies read per source (`for` loops are read once per word; nested ones would multiply)."""
MAX_COMMANDS = 10_000
"""Commands read per source; past it the rest is not read (an `INCOMPLETE` problem): bounded time on huge scripts."""
MAX_NESTING = 100
"""How deep subshells and command substitutions (`$( $( ... ) )`) are followed; deeper ones are not read."""
MAX_UNWRAP = 32
"""How many wrapper words (`sudo env time nohup ...`) one command may stack."""

_WORDS = frozenset(
    {
        "word",
        "string",
        "raw_string",
        "ansi_c_string",
        "translated_string",
        "concatenation",
        "number",
        "simple_expansion",
        "expansion",
        "command_substitution",
        "process_substitution",
        "arithmetic_expansion",
    }
)
_MANY = 64
"""Children past which the walk leaves out the leaves (plain words) of a node instead of visiting each."""
_VERSIONED = re.compile(r"^(pip|python|pypy|pip3|python3)[0-9.]*$")
_SHELLS = frozenset({"bash", "sh", "zsh", "dash", "ksh", "ash", "fish"})
# Wrapper -> options that take a value. The wrapped command follows the options.
_WRAPPERS: dict[str, frozenset[str]] = {
    "sudo": frozenset({"-u", "-g", "-h", "-p", "-C", "-D", "-r", "-t", "-T", "-U", "--user", "--group", "--chdir"}),
    "doas": frozenset({"-u", "-C"}),
    "env": frozenset({"-u", "-C", "--unset", "--chdir"}),
    "time": frozenset({"-f", "-o", "--format", "--output"}),
    "nohup": frozenset(),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "exec": frozenset({"-a"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "chronic": frozenset(),
    "xargs": frozenset(
        {"-n", "-P", "-I", "-d", "-L", "-s", "-E", "-a", "--arg-file", "--max-args", "--max-procs", "--delimiter"}
    ),
    "timeout": frozenset({"-s", "-k", "--signal", "--kill-after"}),
}
_PYTHON_VALUE_OPTS = frozenset({"-X", "-W", "-Q"})


def extract_shell(source: Source, project: Project) -> Extraction:
    """Every package a shell command or script installs or runs (only lines `source` keeps)."""
    if not may_read(source.text):
        return Extraction()
    sink = Sink(source)
    walker = _Walker(sink, project)
    if len(source.text) <= MAX_TEXT:
        walker.walk(source.text, 1, 0, 0)
    else:  # a huge script: each line on its own (a here-document spanning lines is then not seen)
        for number, line in enumerate(source.text.split("\n"), start=1):
            if walker.commands > MAX_COMMANDS:
                break
            if len(line) > MAX_TEXT:
                message = f"shell line longer than {MAX_TEXT} characters was not checked"
                sink.problems.append(Problem(source.path, message, source.locate(number).line, INCOMPLETE))
            elif may_read(line):
                walker.walk(line, number, 0, 0)
    return Extraction(tuple(sink.refs), tuple(sink.problems), tuple(dict.fromkeys(walker.written)))


class _Walker:
    """Walks one source's shell text (and the texts of `bash -c` strings inside it)."""

    def __init__(self, sink: Sink, project: Project) -> None:
        self.sink = sink
        self.project = project
        self.loop_budget = MAX_LOOP_BODIES
        self.command: tuple[Node, ShellText] | None = None
        """The command node being dispatched and its text: where `xargs` looks for its stdin file."""
        self.written: list[str] = []
        """Source files the text writes through here-documents (`cat > app.py <<EOF`)."""
        self.commands = 0
        """Commands met so far; past `MAX_COMMANDS` the walk stops."""

    def walk(self, text: str, line_base: int, col_base: int, depth: int) -> None:
        """Visit every command in `text`, whose first character sits at (`line_base`, `col_base` + 1)."""
        if self.commands > MAX_COMMANDS or not may_read(text):
            return
        if depth > MAX_DEPTH:
            return self.incomplete(line_base, f"`bash -c`/`eval` nested more than {MAX_DEPTH} deep: not read")
        plain = plain_command(text, line_base, col_base)
        if plain is not None:
            if plain[0] and self._count(line_base):
                self.dispatch(*plain, depth)
            return
        from slopguard.extract.treesitter import parse

        shell = ShellText(text, line_base, col_base)
        stack: list[Node] = [parse("bash", shell.data)]
        unparsed = 0  # where the last syntax error looked at ends: the ones nested in it are not looked at
        nesting, too_deep = 0, False  # subshells open around `node`; whether some were too deep to read
        while stack:
            node = stack.pop()
            if isinstance(node, Restore):
                node.restore(self.sink)
                nesting -= 1
                continue
            kind = node.type
            if kind == "ERROR" and node.start_byte >= unparsed:
                unparsed = node.end_byte
                if may_install(shell.of(node)):
                    line = shell.line_base + node.start_point[0]
                    self.incomplete(line, "a syntax error here: a package this part installs may be missed")
            if kind in SUBSHELLS:  # `(cd x; ...)`, `$(cd x && ...)`: a `cd` inside ends with them
                if nesting >= MAX_NESTING:
                    if not too_deep:
                        line = shell.line_base + node.start_point[0]
                        self.incomplete(line, f"subshells nested more than {MAX_NESTING} deep: inner ones not read")
                    too_deep = True
                    continue
                nesting += 1
                stack.append(Restore(self.sink))
            elif kind == "for_statement" and self._expand_loop(node, shell, depth):
                continue
            if kind == "command":
                if not self._count(shell.line_base + node.start_point[0]):
                    return
                words, env = self._words(node, shell)
                if words:
                    self.command = (node, shell)
                    self.dispatch(words, env, depth)
                    self.command = None
                    if any(c.type == "herestring_redirect" for c in node.children):  # `python3 <<< "import x"`
                        from slopguard.extract.shell_code import herestring_run

                        herestring_run(node, self, shell, program(words[0].value or ""), [w.value for w in words[1:]])
            elif kind == "redirected_statement":
                from slopguard.extract.shell_write import manifest_write

                manifest_write(node, self, shell)
            elif kind == "pipeline":
                from slopguard.extract.shell_write import pipeline_write

                pipeline_write(node, self, shell)
            count = node.named_child_count  # tokens (`(`, `;`, `$(`) hold no command: not walked
            if count > _MANY:  # a long word list: its plain words (leaves) need no visit either
                stack.extend(c for c in reversed(node.named_children) if c.child_count or c.type == "ERROR")
            elif count:
                stack.extend(reversed(node.named_children))

    def _count(self, line: int) -> bool:
        """Count one more command at `line`; False (once with a problem) past `MAX_COMMANDS`."""
        self.commands += 1
        if self.commands <= MAX_COMMANDS:
            return True
        if self.commands == MAX_COMMANDS + 1:
            self.incomplete(line, f"more than {MAX_COMMANDS} commands: the rest was not read")
        return False

    def _words(self, node: Node, shell: ShellText) -> tuple[list[Arg], dict[str, str | None]]:
        words: list[Arg] = []
        env: dict[str, str | None] = {}
        for child in node.children:
            kind = child.type
            if kind == "variable_assignment":
                name = child.child_by_field_name("name")
                value = child.child_by_field_name("value")
                if name is not None:
                    env[shell.of(name)] = word_value(value, shell) if value is not None else ""
            elif kind == "command_name":
                inner = child.named_children[0] if child.named_child_count else child
                words.append(shell.arg(inner))
            elif kind in _WORDS:
                words.append(shell.arg(child))
        return words, env

    def incomplete(self, line: int, message: str) -> None:
        """Note that part of the text at `line` was not read (`INCOMPLETE`: the hook then applies on-unknown)."""
        source = self.sink.source
        if source.keeps(line):
            self.sink.problems.append(Problem(source.path, message, source.locate(line).line, INCOMPLETE))

    def dispatch(self, words: list[Arg], env: dict[str, str | None], depth: int) -> None:
        """Find the real program behind wrappers, then hand its words to the tool's handler."""
        from slopguard.extract.shell_go import handle_go
        from slopguard.extract.shell_js import JS_TOOLS, handle_js
        from slopguard.extract.shell_python import PYTHON_TOOLS, handle_python

        for _ in range(MAX_UNWRAP):
            if not words:
                return
            head = words[0].value
            if head is None and ASSIGNMENT.match(words[0].text):  # `env PATH=$PATH:x pip ...`
                words = words[1:]
                continue
            if head is None:
                return
            if ASSIGNMENT.match(head):
                key, _, val = head.partition("=")
                env[key] = val
                words = words[1:]
                continue
            cmd = program(head)
            args = words[1:]
            if cmd in _WRAPPERS:
                if cmd == "env" and self._env_split(args, env, depth):
                    return
                parsed = split_options(args, _WRAPPERS[cmd], stop_at_positional=True)
                words = parsed.command()
                if cmd == "timeout" and words:
                    words = words[1:]  # the duration
                elif cmd == "xargs" and words:  # the arguments come from a file or stdin
                    from slopguard.extract.shell_xargs import file_words, stdin_file

                    stdin = stdin_file(*self.command) if self.command is not None else None  # `< F`, `cat F |`
                    listed = [*parsed.values("-a", "--arg-file"), stdin]
                    source = next((a for a in listed if a is not None), None)
                    words = [*words, *file_words(source, self.sink)] if source is not None else words
                continue
            if cmd in ("cd", "pushd", "popd"):
                change_dir(self.sink, cmd, args)
                return
            if cmd in _SHELLS or cmd == "eval":
                saved = Restore(self.sink)  # `bash -c '...'` runs in a child process: its `cd` stays there
                self._inner_script(cmd, args, depth)
                saved.restore(self.sink)
                return
            if cmd in REMOTE:  # `docker run IMAGE pip install x`, `ssh host 'npm i x'`
                inner = remote_command(cmd, args)
                if inner:
                    saved = Restore(self.sink)
                    away(self.sink)  # `-r FILE` there names a file of that machine, not of this one
                    if isinstance(inner, Arg):
                        self._script_from(inner, depth)
                    else:
                        self.dispatch(inner, env, depth)
                    saved.restore(self.sink)
                return
            if cmd in ("python", "py", "pypy"):
                words = _after_module(args)  # `python -m pip ...` -> `pip ...`
                continue
            if cmd in PYTHON_TOOLS:
                nxt = handle_python(cmd, args, env, self.sink)
            elif cmd in JS_TOOLS:
                nxt = handle_js(cmd, args, env, self.sink)
            elif cmd == "go":
                nxt = handle_go(args, self.sink)
            else:
                return
            if not nxt:
                return
            words = nxt
        if words:
            self.sink.problem(words[0], f"more than {MAX_UNWRAP} wrapper commands in a row: not read", INCOMPLETE)

    def _expand_loop(self, node: Node, shell: ShellText, depth: int) -> bool:
        """Walk a `for NAME in WORDS` body once per word (`slopguard.extract.shell_loops`); False when the
        loop cannot be expanded and is walked as written."""
        from slopguard.extract.shell_loops import for_bodies

        expanded = for_bodies(node, shell)
        if expanded is None or len(expanded[1]) > self.loop_budget:
            return False  # nested loops multiply: past the budget a loop is read as written
        first, bodies = expanded
        self.loop_budget -= len(bodies)
        row, col = first.start_point
        for body in bodies:
            self.walk(body, shell.line_base + row, col + (shell.col_base if row == 0 else 0), depth + 1)
        return True

    def _env_split(self, args: list[Arg], env: dict[str, str | None], depth: int) -> bool:
        """`env -S "pip install x"`: the string is split into a command line."""
        for i, arg in enumerate(args):
            if arg.value in ("-S", "--split-string") and i + 1 < len(args):
                self._script_from(args[i + 1], depth)
                return True
            if arg.value is not None and arg.value.startswith("--split-string="):
                self._script_from(Arg(arg.value.partition("=")[2], arg.text, arg.line, arg.column), depth)
                return True
        return False

    def _inner_script(self, cmd: str, args: list[Arg], depth: int) -> None:
        if cmd == "eval":
            if args and all(a.value is not None for a in args):
                joined = " ".join(a.value or "" for a in args)
                self._script_from(Arg(joined, args[0].text, args[0].line, args[0].column), depth)
            return
        i = 0
        while i < len(args):
            value = args[i].value
            if value is None or not value.startswith(("-", "+")):
                return  # `bash script.sh`: a file, not a command string
            if value in ("-o", "+o", "-O", "+O", "--rcfile", "--init-file"):
                i += 2
                continue
            if not value.startswith("--") and "c" in value[1:]:
                if i + 1 < len(args):
                    self._script_from(args[i + 1], depth)
                return
            i += 1

    def _script_from(self, arg: Arg, depth: int) -> None:
        if arg.value is None:
            return
        quote = 2 if arg.text.startswith("$'") else 1 if arg.text[:1] in ("'", '"') else 0
        self.walk(arg.value, arg.line, arg.column - 1 + quote, depth + 1)


def program(word: str) -> str:
    """The program name of a command word: `/usr/bin/pip3.11` -> `pip`, `python3.12` -> `python`."""
    base = word.replace("\\", "/").rsplit("/", 1)[-1]
    if base.lower().endswith(".exe"):
        base = base[:-4]
    match = _VERSIONED.match(base)
    if match:
        return "pip" if match.group(1).startswith("pip") else "python" if "python" in base else "pypy"
    return base


def _after_module(args: list[Arg]) -> list[Arg]:
    """For `python [opts] -m MOD ARGS`, the words `MOD ARGS`; empty for `python script.py` or `-c`."""
    i = 0
    while i < len(args):
        value = args[i].value
        if value is None or not value.startswith("-"):
            return []
        if value == "-m" and i + 1 < len(args):
            return args[i + 1 :]
        if value.startswith("-m") and len(value) > 2:
            first = args[i]
            return [Arg(value[2:], first.text, first.line, first.column), *args[i + 1 :]]
        if value in ("-c",) or value.startswith("-c"):
            return []
        i += 2 if value in _PYTHON_VALUE_OPTS else 1
    return []
