"""A cache that uses Redis and falls back to the database cache while Redis is down.

``settings.CACHES["default"]`` is this backend when ``REDIS_URL`` is set: every call goes
to the ``primary`` alias (Redis, short socket timeouts); when Redis does not answer, the
call is repeated on the ``fallback`` alias (Django's database cache, shared by all workers
too), and Redis is left alone for ``RETRY_SECONDS`` before it is tried again. Pages keep
serving and rate limits keep counting in the database while Redis is away; counts start
again from zero there, which errs on the side of the limit holding.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)


class FailoverCache(BaseCache):
    """Delegate to ``OPTIONS["PRIMARY"]``, or to ``OPTIONS["FALLBACK"]`` while it is down."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        self._primary = str(options.pop("PRIMARY"))
        self._fallback = str(options.pop("FALLBACK"))
        self._retry = float(options.pop("RETRY_SECONDS", 5))
        self._down_until = 0.0
        super().__init__({**params, "OPTIONS": options})

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() >= self._down_until:
            method: Callable[..., Any] = getattr(caches[self._primary], name)
            try:
                return method(*args, **kwargs)
            except _DOWN as exc:
                self._down_until = time.monotonic() + self._retry
                log.warning("cache: Redis unavailable (%s); using the database cache", exc)
        return getattr(caches[self._fallback], name)(*args, **kwargs)

    def add(self, key: str, value: Any, timeout: Any = None, version: int | None = None
            ) -> bool:
        return bool(self._call("add", key, value, timeout, version=version))

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._call("get", key, default, version=version)

    def set(self, key: str, value: Any, timeout: Any = None, version: int | None = None
            ) -> None:
        self._call("set", key, value, timeout, version=version)

    def touch(self, key: str, timeout: Any = None, version: int | None = None) -> bool:
        return bool(self._call("touch", key, timeout, version=version))

    def delete(self, key: str, version: int | None = None) -> bool:
        return bool(self._call("delete", key, version=version))

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        return dict(self._call("get_many", keys, version=version))

    def has_key(self, key: str, version: int | None = None) -> bool:
        return bool(self._call("has_key", key, version=version))

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return int(self._call("incr", key, delta, version=version))

    def decr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        return int(self._call("decr", key, delta, version=version))

    def set_many(self, data: dict[str, Any], timeout: Any = None, version: int | None = None
                 ) -> list[str]:
        return list(self._call("set_many", data, timeout, version=version))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._call("delete_many", keys, version=version)

    def clear(self) -> None:
        self._call("clear")
