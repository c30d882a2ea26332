"""Finds backends through the ``yingxi.backends`` entry-point group and loads them lazily.

An entry point is named ``ROLE.NAME`` (``speaker.espeak``) and points at a class whose
instances satisfy the role's Protocol. Nothing is imported until a backend is asked for.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import Any

from yingxi.backends.protocols import ROLES
from yingxi.errors import BackendUnavailable, ConfigError

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "yingxi.backends"
Factory = Callable[[], Any]


class Registry:
    """Backends by role and name. ``extra`` adds or overrides factories (tests, embedding)."""

    def __init__(self, extra: Mapping[str, Factory] | None = None) -> None:
        self._factories: dict[str, Factory] = {}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            self._factories[ep.name] = _deferred(ep)
        self._factories.update(extra or {})
        self._extra = dict(extra or {})
        self._instances: dict[str, Any] = {}

    def __reduce__(self) -> tuple[object, ...]:
        # A registry crosses to worker processes as its recipe (entry points are found
        # again there; backends load lazily in each worker), not as loaded models.
        return Registry, (self._extra,)

    def names(self, role: str | None = None) -> list[str]:
        """Registered ``role.name`` entries, optionally of one role."""
        return sorted(n for n in self._factories if role is None or n.startswith(role + "."))

    def get(self, role: str, name: str) -> Any:
        """The backend ``name`` for ``role``, created once per registry."""
        if role not in ROLES:
            raise ConfigError(f"unknown backend role {role!r}; roles are {sorted(ROLES)}")
        key = f"{role}.{name}"
        if key in self._instances:
            return self._instances[key]
        factory = self._factories.get(key)
        if factory is None:
            known = [n.split(".", 1)[1] for n in self.names(role)]
            close = difflib.get_close_matches(name, known, n=1)
            raise ConfigError(
                f"no {role} backend named {name!r}"
                + (f"; did you mean {close[0]!r}?" if close else ""),
                hint=f"installed {role} backends: {', '.join(known) or 'none'}; "
                     "set [backends] in yingxi.toml",
            )
        try:
            backend = factory()
        except BackendUnavailable:
            raise
        except ImportError as exc:
            raise BackendUnavailable(
                f"the {role} backend {name!r} cannot load: {exc}",
                hint="reinstall yingxi with its dependencies (make demo sets them up)",
            ) from exc
        if not isinstance(backend, ROLES[role]):
            raise ConfigError(f"{key} does not implement the {role} interface")
        log.debug("loaded backend %s: %s", key, getattr(backend, "info", None))
        self._instances[key] = backend
        return backend


def _deferred(ep: Any) -> Factory:
    def make() -> Any:
        return ep.load()()
    return make
