"""Sign-in (cookie session with CSRF), who am I, users, API tokens and the audit log."""

from __future__ import annotations

import datetime as dt
import secrets

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.service.auth import (
    SESSION_COOKIE,
    Principal,
    add_user,
    audit,
    create_token,
    digest,
    require_role,
    session_dep,
    verify_password,
)
from corridor.service.db import utcnow
from corridor.service.models import ApiToken, AuditEntry, BrowserSession, Organisation, User
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem, not_found
from corridor.service.resources import (
    AuditOut,
    LoginRequest,
    LoginResponse,
    Me,
    TokenCreate,
    TokenCreated,
    TokenOut,
    UserCreate,
    UserOut,
)

router = APIRouter(prefix="/v1", tags=["users and tokens"], responses=PROBLEM_RESPONSES)


@router.post("/auth/login", response_model=LoginResponse, summary="Sign in; sets a session cookie")
def login(
    body: LoginRequest, request: Request, response: Response, session: Session = Depends(session_dep, scope="function")
) -> LoginResponse:
    ctx = request.app.state.ctx
    ctx.limiter.check("login:" + (request.client.host if request.client else "?"))
    user = session.scalars(select(User).where(User.username == body.username)).first()
    if user is None or user.disabled or not verify_password(user.password_hash, body.password):
        raise ApiProblem(401, "bad-credentials", "Unauthorized", "wrong user name or password")
    raw, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(hours=ctx.settings.session_hours)
    session.add(BrowserSession(id_hash=digest(raw), user_id=user.id, csrf=csrf, expires_at=expires))
    org = session.get(Organisation, user.org_id)
    response.set_cookie(
        SESSION_COOKIE, raw, httponly=True, samesite="strict", secure=ctx.settings.secure_cookies,
        max_age=int(ctx.settings.session_hours * 3600), path="/",
    )  # fmt: skip
    return LoginResponse(
        user=user.username, organisation=org.name if org else "", role=user.role, csrf_token=csrf, expires_at=expires
    )


@router.post("/auth/logout", status_code=204, summary="End the browser session")
def logout(request: Request, response: Response, session: Session = Depends(session_dep, scope="function")) -> Response:
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        row = session.get(BrowserSession, digest(raw))
        if row is not None:
            session.delete(row)
    out = Response(status_code=204)
    out.delete_cookie(SESSION_COOKIE, path="/")
    return out


@router.get("/me", response_model=Me, summary="Who the caller is")
def me(
    principal: Principal = Depends(require_role("viewer", also=("integrator",))),
    session: Session = Depends(session_dep, scope="function"),
) -> Me:
    org = session.get(Organisation, principal.org_id)
    return Me(user=principal.username, organisation=org.name if org else "", role=principal.role)


@router.post("/users", status_code=201, response_model=UserOut, summary="Add a user to the caller's organisation")
def create_user(
    body: UserCreate,
    principal: Principal = Depends(require_role("admin")),
    session: Session = Depends(session_dep, scope="function"),
) -> UserOut:
    org = session.get(Organisation, principal.org_id)
    assert org is not None
    if session.scalars(select(User).where(User.username == body.username)).first() is not None:
        raise ApiProblem(409, "conflict", "Conflict", f"user {body.username!r} already exists")
    user = add_user(session, org.name, body.username, body.role, body.password)
    audit(session, principal, "user.add", user.username, role=body.role)
    return UserOut(id=user.id, username=user.username, role=user.role, created_at=user.created_at)


def _token_out(tok: ApiToken, username: str) -> TokenOut:
    return TokenOut(id=tok.id, user=username, role=tok.role, name=tok.name, created_at=tok.created_at,
                    expires_at=tok.expires_at, revoked_at=tok.revoked_at)  # fmt: skip


@router.get("/tokens", response_model=list[TokenOut], summary="The organisation's API tokens (never their secrets)")
def list_tokens(
    principal: Principal = Depends(require_role("admin")), session: Session = Depends(session_dep, scope="function")
) -> list[TokenOut]:
    rows = session.execute(
        select(ApiToken, User.username)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.org_id == principal.org_id)
        .order_by(ApiToken.created_at)
    ).all()
    return [_token_out(tok, name) for tok, name in rows]


@router.post(
    "/tokens", status_code=201, response_model=TokenCreated, summary="Create an API token; the secret is shown once"
)
def new_token(
    body: TokenCreate,
    principal: Principal = Depends(require_role("admin")),
    session: Session = Depends(session_dep, scope="function"),
) -> TokenCreated:
    user = session.scalars(select(User).where(User.username == body.username, User.org_id == principal.org_id)).first()
    if user is None:
        raise not_found("user", body.username)
    expires = dt.timedelta(days=body.expires_in_days) if body.expires_in_days else None
    try:
        tok, raw = create_token(session, user, role=body.role, name=body.name, expires_in=expires)
    except ValueError as exc:
        raise ApiProblem(422, "invalid-input", "Invalid input", str(exc)) from None
    audit(session, principal, "token.create", tok.id, user=user.username, role=tok.role)
    return TokenCreated(**_token_out(tok, user.username).model_dump(), token=raw)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke a token")
def delete_token(
    token_id: str,
    request: Request,
    principal: Principal = Depends(require_role("admin")),
    session: Session = Depends(session_dep, scope="function"),
) -> Response:
    tok = session.get(ApiToken, token_id)
    if tok is None or tok.org_id != principal.org_id:
        raise not_found("token", token_id)
    if tok.revoked_at is None:
        tok.revoked_at = utcnow()
        audit(session, principal, "token.revoke", token_id)
    session.commit()
    request.app.state.ctx.tokens.forget(token_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut], summary="Who changed what, newest first")
def audit_log(
    limit: int = Query(100, ge=1, le=1000),
    principal: Principal = Depends(require_role("admin")),
    session: Session = Depends(session_dep, scope="function"),
) -> list[AuditOut]:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.org_id == principal.org_id).order_by(AuditEntry.id.desc()).limit(limit)
    )
    return [AuditOut(at=r.at, actor=r.actor, action=r.action, target=r.target, detail=r.detail) for r in rows]
