"""Commands run somewhere else: in a container (`docker`/`podman` run and exec, `docker compose`, `kubectl exec`)
or on another host (`ssh HOST CMD`). The package still comes from the registry, so the command inside is checked.

`remote_command(cmd, args)` gives the words of the inner command, or the command string a remote shell runs
(`ssh` joins its arguments), or `None` when there is no command to find (an interactive shell, an option this
module does not know the arity of). It never guesses: an unknown option ends the search.
"""

from __future__ import annotations

from slopguard.extract.shell_common import Arg, split_options

REMOTE = frozenset({"docker", "podman", "nerdctl", "docker-compose", "kubectl", "ssh"})
"""Programs whose arguments may hold a command run elsewhere."""

_DOCKER_RUN_VALUES = frozenset(
    "-a --attach --add-host --annotation --blkio-weight --blkio-weight-device --cap-add --cap-drop --cgroup-parent "
    "--cgroupns --cidfile --cpu-period --cpu-quota --cpu-rt-period --cpu-rt-runtime -c --cpu-shares --cpus "
    "--cpuset-cpus --cpuset-mems --detach-keys --device --device-cgroup-rule --device-read-bps --device-read-iops "
    "--device-write-bps --device-write-iops --dns --dns-option --dns-search --domainname --entrypoint -e --env "
    "--env-file --expose --gpus --group-add --health-cmd --health-interval --health-retries --health-start-interval "
    "--health-start-period --health-timeout -h --hostname --ip --ip6 --ipc --isolation --kernel-memory -l --label "
    "--label-file --link --link-local-ip --log-driver --log-opt --mac-address -m --memory --memory-reservation "
    "--memory-swap --memory-swappiness --mount --name --network --net --network-alias --oom-score-adj --pid "
    "--pids-limit --platform -p --publish --pull --restart --runtime --security-opt --shm-size --stop-signal "
    "--stop-timeout --storage-opt --sysctl --tmpfs --ulimit -u --user --userns --uts -v --volume --volume-driver "
    "--volumes-from -w --workdir".split()
)
_DOCKER_RUN_FLAGS = frozenset(
    "-d --detach -i --interactive -t --tty -P --publish-all --rm --privileged --init --read-only --sig-proxy "
    "--no-healthcheck --oom-kill-disable -q --quiet --disable-content-trust --use-api-socket".split()
)
_DOCKER_EXEC_VALUES = frozenset("-e --env --env-file -u --user -w --workdir --detach-keys".split())
_DOCKER_EXEC_FLAGS = frozenset("-d --detach -i --interactive -t --tty --privileged".split())
_COMPOSE_GLOBAL_VALUES = frozenset(
    "-f --file -p --project-name --profile --env-file --project-directory --ansi --parallel --progress".split()
)
_COMPOSE_RUN_VALUES = frozenset(
    "-e --env --entrypoint -l --label --name -p --publish --pull -u --user -v --volume -w --workdir --cap-add "
    "--cap-drop --index".split()
)
_COMPOSE_RUN_FLAGS = frozenset(
    "--rm -d --detach -T --no-TTY -i --interactive -t --tty --no-deps --service-ports --use-aliases --build "
    "--remove-orphans -q --quiet --quiet-pull --privileged --dry-run".split()
)
_SSH_VALUES = frozenset("-B -b -c -D -E -e -F -I -i -J -L -l -m -O -o -p -Q -R -S -W -w".split())
_SSH_FLAGS = frozenset("-4 -6 -A -a -C -f -G -g -K -k -M -N -n -q -s -T -t -V -v -X -x -Y -y".split())


def remote_command(cmd: str, args: list[Arg]) -> list[Arg] | Arg | None:
    """The inner command of `cmd ARGS`: its words, the one command string a remote shell runs, or `None`."""
    if cmd == "kubectl":
        return _after_dashes(args) if args and args[0].value == "exec" else None
    if cmd == "ssh":
        return _ssh(args)
    if cmd == "docker-compose":
        return _compose(args)
    if not args:
        return None
    verb, rest = args[0].value, args[1:]
    if verb in ("container", "compose") and rest:
        if verb == "compose":
            return _compose(rest)
        verb, rest = rest[0].value, rest[1:]
    if verb == "run":
        return _after_target(rest, _DOCKER_RUN_VALUES, _DOCKER_RUN_FLAGS)
    if verb == "exec":
        return _after_target(rest, _DOCKER_EXEC_VALUES, _DOCKER_EXEC_FLAGS)
    return None


def _compose(args: list[Arg]) -> list[Arg] | None:
    """`docker compose [global options] run|exec [options] SERVICE CMD...`."""
    i = 0
    while i < len(args) and (value := args[i].value) is not None and value.startswith("-"):
        if value in _COMPOSE_GLOBAL_VALUES:
            i += 2
        elif value.startswith("--") and "=" in value:
            i += 1
        else:
            return None  # a global option of unknown arity
    if i >= len(args) or args[i].value not in ("run", "exec"):
        return None
    return _after_target(args[i + 1 :], _COMPOSE_RUN_VALUES, _COMPOSE_RUN_FLAGS)


def _after_target(args: list[Arg], takes_value: frozenset[str], flags: frozenset[str]) -> list[Arg] | None:
    """The words after the options and the image / container / service name, when every option is known."""
    for arg in args:
        value = arg.value
        if value is None or not value.startswith("-") or value == "-":
            break
        name = value.split("=", 1)[0]
        if name not in takes_value and name not in flags and not _short_flags(value, flags):
            return None
    parsed = split_options(args, takes_value, stop_at_positional=True)
    words = parsed.command()
    return words[1:] if len(words) > 1 else None


def _short_flags(value: str, flags: frozenset[str]) -> bool:
    """`-it`, `-dit`: short flags run together."""
    return value.startswith("-") and not value.startswith("--") and all(f"-{c}" in flags for c in value[1:])


def _after_dashes(args: list[Arg]) -> list[Arg] | None:
    for i, arg in enumerate(args):
        if arg.value == "--":
            return args[i + 1 :] or None
    return None


def _ssh(args: list[Arg]) -> Arg | None:
    """`ssh [options] HOST CMD...`: the remote shell runs the words after HOST joined by spaces."""
    inner = _after_target(args, _SSH_VALUES, _SSH_FLAGS)
    if not inner or any(a.value is None for a in inner):
        return None
    first = inner[0]
    return Arg(" ".join(a.value or "" for a in inner), first.text, first.line, first.column)
