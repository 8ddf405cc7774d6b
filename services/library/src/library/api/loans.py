"""Routes of loans (API.md "Collector records"): lend a copy, return it, list the space's loans."""

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from library.api.public import CopyId, Limit, Member, uuid_or_404
from library.api.schemas import LoanIn, LoanOut, LoanPage
from library.handlers import loans
from shelfspace_kernel.db import SessionDep

router = APIRouter(prefix="/api", tags=["loans"])

LoanState = Literal["open", "overdue", "all"]


def _loan_id(loan_id: str) -> uuid.UUID:
    return uuid_or_404(loan_id)


@router.post("/copies/{copy_id}/loans", operation_id="lend_copy", status_code=201, response_model=LoanOut)
async def lend_copy(copy_id: CopyId, body: LoanIn, caller: Member, session: SessionDep) -> dict:
    return await loans.lend(session, caller, copy_id, body)


@router.post("/loans/{loan_id}/return", operation_id="return_loan", response_model=LoanOut)
async def return_loan(loan_id: Annotated[uuid.UUID, Depends(_loan_id)], caller: Member, session: SessionDep) -> dict:
    return await loans.return_loan(session, caller, loan_id)


@router.get("/loans", operation_id="list_loans", response_model=LoanPage)
async def list_loans(
    caller: Member,
    session: SessionDep,
    state: LoanState = "open",
    copy_id: uuid.UUID | None = None,
    limit: Limit = 50,
    cursor: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict:
    """`copy_id` gives one copy's loan history (with `state=all`)."""
    return await loans.list_loans(session, caller, state, copy_id, limit, cursor)
