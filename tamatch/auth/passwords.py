"""Password hashing with argon2id (argon2-cffi), parameters from the app's config."""

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

# A fixed hash to verify against when the e-mail is unknown, so that both failures cost the same.
_DUMMY_PASSWORD = "not-a-real-password"  # noqa: S105


def _hasher() -> PasswordHasher:
    if not has_app_context():
        return PasswordHasher()
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_COST"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Return an argon2id hash of `password` (salted, encoded with its parameters)."""
    return _hasher().hash(password)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return PasswordHasher(time_cost, memory_cost, parallelism=parallelism).hash(_DUMMY_PASSWORD)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; an absent hash costs one verification all the same."""
    hasher = _hasher()
    target = password_hash or _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    try:
        hasher.verify(target, password)
    except (VerificationError, InvalidHashError):
        return False
    return password_hash is not None


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _hasher().check_needs_rehash(password_hash)
