"""Counters, locks and concurrency slots kept in the shared cache (Redis or the database
cache: see ``settings.CACHES``), so that every gunicorn worker sees the same numbers.

* :func:`hit` counts attempts in a fixed window and says whether a limit is passed.
* :func:`slot` holds one of ``limit`` concurrent places (e.g. PDF renders per client);
  a crashed worker's place is given back when its ``ttl`` runs out. :func:`acquire` and
  :func:`release` do the same in two steps, for a place handed over to another process.
* :func:`compute_once` computes an expensive value once per key: the first caller takes a
  lock and computes, the others get :class:`Busy` instead of computing it again.

Example
-------
>>> from django.core.cache import cache
>>> cache.clear()
>>> [hit("doc", "x", limit=2, window=60) for _ in range(3)]
[True, True, False]
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


class Busy(Exception):
    """No place is free (a concurrency limit is reached, or someone else is computing)."""


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:32]


def _incr(key: str, ttl: int, delta: int = 1) -> int:
    cache.add(key, 0, timeout=ttl)
    try:
        return int(cache.incr(key, delta))
    except ValueError:  # expired or evicted between add and incr
        cache.set(key, max(delta, 0), timeout=ttl)
        return max(delta, 0)


def hit(scope: str, value: str, *, limit: int, window: int) -> bool:
    """Count one attempt of ``value`` in ``scope``; False once more than ``limit`` happened
    in the current ``window`` seconds. Values are hashed: the cache holds nothing in clear."""
    bucket = int(time.time() // window)
    return _incr(f"innesto:rl:{scope}:{bucket}:{_digest(value)}", window) <= limit


def _slot_key(scope: str, value: str) -> str:
    return f"innesto:slot:{scope}:{_digest(value)}"


def full(scope: str, value: str, *, limit: int) -> bool:
    """Whether every place is taken, by a read only: a cheap refusal before
    :func:`acquire` writes (which stays the authority: places can go meanwhile)."""
    return int(cache.get(_slot_key(scope, value)) or 0) >= limit


def acquire(scope: str, value: str, *, limit: int, ttl: int) -> str:
    """Take one of ``limit`` concurrent places for ``value``; return the key to give back
    with :func:`release` (possibly from another process), or raise :class:`Busy`."""
    key = _slot_key(scope, value)
    if _incr(key, ttl) > limit:
        release(key)
        raise Busy(scope)
    return key


@contextmanager
def slot(scope: str, value: str, *, limit: int, ttl: int) -> Iterator[None]:
    """Hold one of ``limit`` concurrent places for ``value``; raise :class:`Busy` if none."""
    key = acquire(scope, value, limit=limit, ttl=ttl)
    try:
        yield
    finally:
        release(key)


def release(key: str) -> None:
    """Give back a place taken by :func:`acquire`."""
    try:
        if int(cache.decr(key)) < 0:
            cache.set(key, 0, timeout=60)
    except ValueError:  # the place expired meanwhile
        pass


def compute_once(key: str, compute: Callable[[], T], *, timeout: int, lock_ttl: int) -> T:
    """The cached value under ``key``, computed by ``compute`` if absent.

    Only the caller that takes the lock computes; a concurrent caller gets :class:`Busy`
    (answer "try again shortly") instead of repeating the work. ``lock_ttl`` bounds how
    long a crashed worker's lock blocks the key.
    """
    found = cache.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    lock = f"{key}:lock"
    if not cache.add(lock, 1, timeout=lock_ttl):
        raise Busy(key)
    try:
        found = cache.get(key)  # computed between our get and our lock
        if found is None:
            found = compute()
            cache.set(key, found, timeout=timeout)
        return found  # type: ignore[no-any-return]
    finally:
        cache.delete(lock)
