"""`@dataclass(frozen=True)` without the `dataclasses` import cost: the agent hook loads models on every call.

`dataclass` and `field` here behave like `dataclasses.dataclass(frozen=True)` and `dataclasses.field` for the
classes slopguard writes (init, repr, tuple equality and hash, frozen attributes, `__match_args__`), but build
nothing through `exec` at import (~15 ms per hook call). `dataclasses.fields()`, `replace()` and
`is_dataclass()` work as ever: `__dataclass_fields__` is made by `dataclasses` itself on first use. Type
checkers see the real `dataclasses` functions (import them under `TYPE_CHECKING`, these at run time).
"""

from __future__ import annotations

from operator import attrgetter  # loaded anyway (by `re`, through `functools` and `collections`)

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: importing typing costs ~7 ms on every hook call
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def dataclass(*, frozen: bool) -> Any:
    """`@dataclass(frozen=True)` at run time: `_frozen`."""
    assert frozen
    return _frozen


def field(*, default_factory: Any) -> Any:
    """`field(default_factory=...)` at run time: a `_Factory` marker `_frozen` understands."""
    return _Factory(default_factory)


class _Factory:
    """A default made anew for each instance (`dataclasses.field(default_factory=...)`)."""

    __slots__ = ("default_factory",)

    def __init__(self, default_factory: Any) -> None:
        self.default_factory = default_factory


class _DataclassInfo:
    """Class attribute standing for `__dataclass_fields__` / `__dataclass_params__` until first read, when
    `dataclasses` builds the real ones from the same annotations and defaults."""

    def __init__(self, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, instance: object, owner: type) -> Any:
        import dataclasses

        shadow_ns: dict[str, Any] = {"__annotations__": dict(owner.__annotations__), "__module__": owner.__module__}
        for name, default in owner._defaults.items():  # type: ignore[attr-defined]
            is_factory = isinstance(default, _Factory)
            shadow_ns[name] = dataclasses.field(default_factory=default.default_factory) if is_factory else default
        shadow: Any = dataclasses.dataclass(frozen=True)(type(owner.__name__, (), shadow_ns))
        for name in ("__dataclass_fields__", "__dataclass_params__"):
            setattr(owner, name, getattr(shadow, name))
        return getattr(owner, self.attribute)


def _frozen(cls: Any) -> Any:
    """Give `cls` (annotations in field order, defaults as class attributes, a written-out `__init__`
    that fills `__dict__`) the methods `dataclass(frozen=True)` would generate; a class without its own
    `__init__` gets a generic one (slower per call: for classes made a few times per run)."""
    names = tuple(cls.__annotations__)
    qualname = cls.__qualname__
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    for name, default in defaults.items():
        if isinstance(default, _Factory):
            delattr(cls, name)  # as dataclasses does: no class attribute for a default_factory field
    if "__init__" not in cls.__dict__:

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if len(args) > len(names):
                raise TypeError(f"{qualname}.__init__() takes {len(names) + 1} positional arguments")
            values = dict(zip(names, args, strict=False))
            for key, value in kwargs.items():
                if key not in names or key in values:
                    raise TypeError(f"{qualname}.__init__() got an unexpected or repeated argument {key!r}")
                values[key] = value
            for name in names:
                if name not in values:
                    if name not in defaults:
                        raise TypeError(f"{qualname}.__init__() missing 1 required argument: {name!r}")
                    default = defaults[name]
                    values[name] = default.default_factory() if isinstance(default, _Factory) else default
            self.__dict__.update({name: values[name] for name in names})

        __init__.__qualname__ = f"{qualname}.__init__"
        cls.__init__ = __init__

    def __repr__(self: Any) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{type(self).__qualname__}({inner})"

    values: Callable[[Any], Any] = (
        attrgetter(*names) if len(names) > 1 else lambda s: tuple(getattr(s, n) for n in names)
    )

    def __eq__(self: Any, other: object) -> bool:
        if other.__class__ is self.__class__:
            return bool(values(self) == values(other))
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(values(self))

    def __setattr__(self: Any, name: str, value: object) -> None:
        if type(self) is cls or name in names:
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            from dataclasses import FrozenInstanceError

            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    for function in (__repr__, __eq__, __hash__, __setattr__, __delattr__):
        function.__qualname__ = f"{qualname}.{function.__name__}"
        setattr(cls, function.__name__, function)
    setattr(cls, "__match_args__", names)  # noqa: B010 - mypy refuses a plain assignment to it
    cls._defaults = defaults
    cls.__dataclass_fields__ = _DataclassInfo("__dataclass_fields__")
    cls.__dataclass_params__ = _DataclassInfo("__dataclass_params__")
    return cls
