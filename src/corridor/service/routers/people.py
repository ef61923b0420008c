"""What the workbench's Admin page needs beside /v1/users (POST), /v1/tokens and /v1/audit: the
organisation's users, and changing a user's role or disabling them.  Disabling takes effect at once:
sessions and tokens of a disabled user are refused by ``corridor.service.auth``."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.service.auth import Principal, audit, require_role, session_dep
from corridor.service.models import User
from corridor.service.problems import PROBLEM_RESPONSES, ApiProblem, not_found
from corridor.service.resources import Role, Strict

router = APIRouter(prefix="/v1", tags=["users and tokens"], responses=PROBLEM_RESPONSES)


class UserRow(BaseModel):
    username: str
    role: str
    disabled: bool
    has_password: bool
    created_at: dt.datetime


class UserChange(Strict):
    role: Role | None = None
    disabled: bool | None = Field(default=None, description="true signs the user out everywhere and refuses them")


def _row(u: User) -> UserRow:
    return UserRow(
        username=u.username, role=u.role, disabled=u.disabled, has_password=u.password_hash is not None,
        created_at=u.created_at,
    )  # fmt: skip


@router.get("/users", response_model=list[UserRow], summary="The organisation's users")
def list_users(
    principal: Principal = Depends(require_role("admin")), session: Session = Depends(session_dep, scope="function")
) -> list[UserRow]:
    rows = session.scalars(select(User).where(User.org_id == principal.org_id).order_by(User.username))
    return [_row(u) for u in rows]


@router.patch("/users/{username}", response_model=UserRow, summary="Change a user's role or disable them")
def change_user(
    username: str,
    body: UserChange,
    principal: Principal = Depends(require_role("admin")),
    session: Session = Depends(session_dep, scope="function"),
) -> UserRow:
    user = session.scalars(select(User).where(User.username == username, User.org_id == principal.org_id)).first()
    if user is None:
        raise not_found("user", username)
    if user.username == principal.username and (body.disabled or (body.role and body.role != "admin")):
        raise ApiProblem(409, "conflict", "Conflict", "an administrator cannot demote or disable themselves")
    changes: dict[str, object] = {}
    if body.role is not None and body.role != user.role:
        changes["role"] = user.role = body.role
    if body.disabled is not None and body.disabled != user.disabled:
        changes["disabled"] = user.disabled = body.disabled
    if changes:
        audit(session, principal, "user.change", user.username, **changes)
    session.commit()
    return _row(user)
