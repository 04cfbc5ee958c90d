"""Talking to the store: URLs and credentials, both clients against a password-protected server, a server that
speaks something else than RESP, the hook never importing the `redis` client, and the config key."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry
from redisserver import RedisServer

from slopguard.config import load_settings
from slopguard.errors import UsageError
from slopguard.fleet import open_store
from slopguard.fleet import store as store_module
from slopguard.fleet.link import Address, RedisLink, ReplyError, RespLink, StoreError


def test_urls_give_host_port_db_and_credentials() -> None:
    a = Address("rediss://team%40corp:p%3Ass@cache.example:6380/2")
    assert (a.tls, a.host, a.port, a.db, a.username, a.password) == (
        True,
        "cache.example",
        6380,
        2,
        "team@corp",
        "p:ss",
    )
    assert a.shown() == "rediss://cache.example:6380/2"  # never the password
    b = Address("redis://localhost")
    assert (b.tls, b.port, b.db, b.username, b.password) == (False, 6379, 0, None, None)
    for bad in ("http://x", "redis://", "redis://h:port/0", "redis://h/db"):
        with pytest.raises(StoreError):
            Address(bad)


@pytest.mark.parametrize("link_class", [RespLink, RedisLink])
def test_both_clients_log_in_and_pipeline(
    tmp_path_factory: pytest.TempPathFactory, link_class: type[RespLink] | type[RedisLink]
) -> None:
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis")).start("--requirepass", "s3cret")
    try:
        base = f"127.0.0.1:{server.port}"
        link = link_class(Address(f"redis://:s3cret@{base}/3"))
        replies = link.run(
            [("SET", "slopguard:1:t", "v\r\n$9\r\nx"), ("GET", "slopguard:1:t"), ("HGET", "slopguard:1:t", "f")]
        )
        assert replies[:2] == [b"OK", b"v\r\n$9\r\nx"] and isinstance(replies[2], ReplyError)  # WRONGTYPE
        link.close()
        user = link_class(Address(f"redis://default:s3cret@{base}/3"))
        assert user.run([("MGET", "slopguard:1:t", "slopguard:1:none")]) == [[b"v\r\n$9\r\nx", None]]
        user.close()
        with pytest.raises(StoreError):
            link_class(Address(f"redis://:wrong@{base}/0")).run([("GET", "x")])
    finally:
        server.stop()


def test_a_server_that_does_not_speak_resp_is_given_up(capsys: pytest.CaptureFixture[str]) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def answer() -> None:
        conn, _ = listener.accept()
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()

    threading.Thread(target=answer, daemon=True).start()
    store_module._told.clear()
    store = store_module.SharedStore(RespLink(Address(f"redis://127.0.0.1:{listener.getsockname()[1]}/0")))
    store.fetch({"slopguard:1:r:x": "local"})
    listener.close()
    assert store.problem is not None and store.value("slopguard:1:r:x") is None
    assert capsys.readouterr().err.count("shared cache") == 1
    store.fetch({"slopguard:1:r:y": "local"})  # given up: no second try, no second notice
    assert capsys.readouterr().err == ""


def test_the_hook_never_imports_the_redis_client(
    fake_registry: FakeRegistry, redis_server: RedisServer, tmp_path: Path
) -> None:
    import json

    fake_registry.add_pypi("requests")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLOPGUARD_")}
    env.update(fake_registry.env(tmp_path / "cold"), SLOPGUARD_SHARED_CACHE=redis_server.url)
    payload = json.dumps(
        {
            "session_id": "s",
            "cwd": str(tmp_path),
            "hook_event_name": "PreToolUse",
            "tool_name": "Bash",
            "tool_input": {"command": "pip install requests nothere-lib"},
            "tool_use_id": "t",
        }  # fmt: skip
    ).encode()
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "slopguard", "hook", "claude-code"],
        input=payload, capture_output=True, env=env, cwd=tmp_path, timeout=60, check=False,
    )  # fmt: skip
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.decode().splitlines() if "|" in line}
    assert "slopguard.fleet.link" in imported and "redis" not in imported and "asyncio" not in imported
    assert b"deny" in done.stdout


def test_the_config_names_the_store_and_its_repr_hides_it(tmp_path: Path) -> None:
    (tmp_path / ".slopguard.toml").write_text('shared-cache = "redis://u:pw@cache.example:6379/0"\n')
    settings = load_settings(tmp_path, env={})
    assert settings.shared_cache == "redis://u:pw@cache.example:6379/0" and "pw" not in repr(settings)
    assert open_store(settings) is not None and open_store(settings.replace(use_cache=False)) is None
    env = {"SLOPGUARD_SHARED_CACHE": "redis://other:6379", "SLOPGUARD_SHARED_KEY": "k3y"}
    over = load_settings(tmp_path, env=env)
    assert (over.shared_cache, over.shared_key) == ("redis://other:6379", "k3y") and "k3y" not in repr(over)
    (tmp_path / ".slopguard.toml").write_text('shared-cache = "http://cache.example"\n')
    with pytest.raises(UsageError, match="shared-cache"):
        load_settings(tmp_path, env={})
