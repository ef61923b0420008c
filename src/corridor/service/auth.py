"""Who is asking: passwords, API tokens, browser sessions, roles and organisation scoping.

Roles are ordered ``viewer < analyst < admin``; ``integrator`` stands apart (machines that may
only post tracking events) and passes only where a route names it.  A route declares what it
needs with ``principal: Principal = Depends(require_role("analyst"))``; objects are fetched with
:func:`owned`, so another organisation's object answers 404 exactly like a missing one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from corridor.service.db import utcnow
from corridor.service.models import ApiToken, AuditEntry, BrowserSession, Organisation, User
from corridor.service.problems import ApiProblem, not_found

RANKED_ROLES = ("viewer", "analyst", "admin")
ROLES = (*RANKED_ROLES, "integrator")
SESSION_COOKIE = "corridor_session"
CSRF_HEADER = "X-CSRF-Token"
TOKEN_PREFIX = "cor_"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

M = TypeVar("M")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: a user acting with a role inside one organisation."""

    user_id: str
    username: str
    org_id: str
    role: str
    token_id: str | None = None

    @property
    def rate_key(self) -> str:
        return self.token_id or f"user:{self.user_id}"


def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    try:
        return PasswordHasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def digest(secret: str) -> str:
    """Tokens and session ids are 256-bit random, so a plain SHA-256 stores them safely."""
    return hashlib.sha256(secret.encode()).hexdigest()


def allows(role: str, minimum: str, also: tuple[str, ...] = ()) -> bool:
    if role in also:
        return True
    if role not in RANKED_ROLES or minimum not in RANKED_ROLES:
        return False
    return RANKED_ROLES.index(role) >= RANKED_ROLES.index(minimum)


def session_dep(request: Request) -> Iterator[Session]:
    """A database session for one request: committed if the route returns, rolled back otherwise."""
    ctx = request.app.state.ctx
    with ctx.db.session() as s:
        yield s


TOKEN_CACHE_S = 2.0


class TokenCache:
    """Verified tokens for ``TOKEN_CACHE_S`` seconds, so a burst of requests costs one lookup.

    A revocation through this process's API takes effect at once (``forget``); one made by the
    CLI or another serving process within ``TOKEN_CACHE_S`` seconds (documented in docs/api.md).
    """

    def __init__(self, ttl: float = TOKEN_CACHE_S) -> None:
        self.ttl = ttl
        self._data: dict[str, tuple[float, Principal, dt.datetime | None]] = {}

    def get(self, key: str) -> Principal | None:
        hit = self._data.get(key)
        if hit is None:
            return None
        at, principal, expires = hit
        if time.monotonic() - at > self.ttl or (expires is not None and expires <= utcnow()):
            self._data.pop(key, None)
            return None
        return principal

    def put(self, key: str, principal: Principal, expires: dt.datetime | None) -> None:
        if len(self._data) > 10_000:
            self._data.clear()
        self._data[key] = (time.monotonic(), principal, expires)

    def forget(self, token_id: str) -> None:
        for key, (_at, principal, _exp) in list(self._data.items()):
            if principal.token_id == token_id:
                self._data.pop(key, None)


def _from_token(session: Session, raw: str, cache: TokenCache | None = None) -> Principal | None:
    key = digest(raw)
    if cache is not None and (hit := cache.get(key)) is not None:
        return hit
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == key)).first()
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    principal = Principal(user.id, user.username, row.org_id, row.role, row.id)
    if cache is not None:
        cache.put(key, principal, row.expires_at)
    return principal


def _from_cookie(session: Session, request: Request, raw: str) -> Principal | None:
    row = session.get(BrowserSession, digest(raw))
    if row is None or row.expires_at <= utcnow():
        return None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent, row.csrf):
            raise ApiProblem(403, "csrf", "CSRF check failed", f"send the session's token in {CSRF_HEADER}")
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    return Principal(user.id, user.username, user.org_id, user.role)


def _lookup(request: Request) -> Principal | None:
    ctx = request.app.state.ctx
    header = request.headers.get("authorization", "")
    with ctx.db.session() as session:
        if header:
            scheme, _, raw = header.partition(" ")
            if scheme.lower() == "bearer" and raw.strip():
                return _from_token(session, raw.strip(), ctx.tokens)
            return None
        if SESSION_COOKIE in request.cookies:
            return _from_cookie(session, request, request.cookies[SESSION_COOKIE])
    return None


async def authenticate(request: Request) -> Principal:
    """The caller, from a cached token without touching the database, else looked up in a thread."""
    ctx = request.app.state.ctx
    header = request.headers.get("authorization", "")
    principal: Principal | None = None
    scheme, _, raw = header.partition(" ")
    if scheme.lower() == "bearer" and raw.strip():
        principal = ctx.tokens.get(digest(raw.strip()))
    if principal is None:
        principal = await run_in_threadpool(_lookup, request)
    if principal is None:
        raise ApiProblem(
            401, "unauthorized", "Unauthorized", "send a valid API token (Authorization: Bearer …) or sign in",
            headers={"WWW-Authenticate": "Bearer"},
        )  # fmt: skip
    ctx.limiter.check(principal.rate_key)
    request.state.principal = principal
    return principal


def require_role(minimum: str, *, also: tuple[str, ...] = ()) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting roles ranked at least ``minimum``, plus any role in ``also``."""
    if minimum not in RANKED_ROLES or any(r not in ROLES for r in also):
        raise ValueError(f"unknown role in require_role({minimum!r}, also={also!r})")

    async def dependency(request: Request) -> Principal:
        principal = await authenticate(request)
        if not allows(principal.role, minimum, also):
            raise ApiProblem(
                403, "forbidden", "Forbidden", f"needs role {minimum} or higher; this caller is {principal.role}"
            )
        return principal

    return dependency


def owned(session: Session, model: type[M], ident: str, principal: Principal, what: str) -> M:
    """The object ``ident`` of ``model`` if it belongs to the caller's organisation, else 404."""
    obj = session.get(model, ident)
    if obj is None or getattr(obj, "org_id", None) != principal.org_id:
        raise not_found(what, ident)
    return obj


def audit(session: Session, principal: Principal | None, action: str, target: str = "", **detail: Any) -> None:
    """Record who changed what and when (same transaction as the change)."""
    session.add(
        AuditEntry(
            org_id=principal.org_id if principal else None,
            actor=principal.username if principal else "system",
            action=action,
            target=target,
            detail=detail,
        )
    )


# --- bootstrap (CLI and tests) ------------------------------------------------------------------


def ensure_org(session: Session, name: str) -> Organisation:
    org = session.scalars(select(Organisation).where(Organisation.name == name)).first()
    if org is None:
        org = Organisation(name=name)
        session.add(org)
        session.flush()
    return org


def add_user(session: Session, org_name: str, username: str, role: str, password: str | None) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    if session.scalars(select(User).where(User.username == username)).first() is not None:
        raise ValueError(f"user {username!r} already exists")
    org = ensure_org(session, org_name)
    user = User(
        org_id=org.id, username=username, role=role, password_hash=hash_password(password) if password else None
    )
    session.add(user)
    session.flush()
    audit(session, None, "user.add", username, org=org_name, role=role)
    return user


def create_token(
    session: Session, user: User, *, role: str | None = None, name: str = "", expires_in: dt.timedelta | None = None
) -> tuple[ApiToken, str]:
    """A new token for ``user`` (role at most the user's own); the raw secret is returned once."""
    role = role or user.role
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    grantable = role == user.role or user.role == "admin" or (role in RANKED_ROLES and allows(user.role, role))
    if not grantable:
        raise ValueError(f"a {user.role} cannot hold a {role} token")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    tok = ApiToken(
        user_id=user.id,
        org_id=user.org_id,
        role=role,
        name=name,
        token_hash=digest(raw),
        expires_at=utcnow() + expires_in if expires_in else None,
    )
    session.add(tok)
    session.flush()
    audit(session, None, "token.create", tok.id, user=user.username, role=role)
    return tok, raw


def revoke_token(session: Session, token_id: str) -> ApiToken:
    tok = session.get(ApiToken, token_id)
    if tok is None:
        raise ValueError(f"no token {token_id!r}")
    if tok.revoked_at is None:
        tok.revoked_at = utcnow()
        audit(session, None, "token.revoke", token_id)
    return tok


def find_user(session: Session, username: str) -> User:
    user = session.scalars(select(User).where(User.username == username)).first()
    if user is None:
        raise ValueError(f"no user {username!r}")
    return user
