"""The exception tree of slopguard. An exception means "could not tell", never "not found".

    SlopguardError
    ├── UsageError          bad flags, a bad config file, an unreadable REF (exit 2)
    ├── InputError          an input could not be read at all
    └── RegistryError       a registry could not answer (timeout, 5xx, 429, garbage)
        ├── TransportError  one request got no HTTP answer (timeout, reset, TLS); retried
        └── Malformed       an answer slopguard will not use (wrong shape, too large, refused redirect); not retried

Stages return values for expected outcomes ("not found" is a `RegistryRecord`, a bad line is a
`Problem`); they raise only when they cannot decide.
"""

from __future__ import annotations


class SlopguardError(Exception):
    """Base class of every error slopguard raises on purpose."""


class UsageError(SlopguardError):
    """The user asked for something that cannot be done as asked (exit code 2)."""


class InputError(SlopguardError):
    """An input could not be read at all."""


class RegistryError(SlopguardError):
    """A registry gave no usable answer; the name's status is then `unknown`."""


class TransportError(RegistryError):
    """One request got no HTTP answer at all (timeout, refused, reset, TLS failure, redirect loop).

    Raised by a `slopguard.registry.transport.Transport`; the `Fetcher` retries it and, when the tries run
    out, reports it as a `RegistryError` saying why.
    """


class Malformed(RegistryError):
    """A registry answered, but not with anything slopguard may use: a reply that is not the documented shape
    (`slopguard.registry.validate`), a body over `slopguard.registry.transport.MAX_BODY`, or a redirect the
    shared policy refuses. Never "not found", never "ok", never cached, and not retried (asking again gets
    the same answer)."""
