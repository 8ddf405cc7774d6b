"""Route dependencies of the sync API: the caller's roles and the step queue on the app's broker."""

from typing import Annotated

from fastapi import Depends, Request

from shelfspace_contracts.roles import SpaceRole
from shelfspace_kernel.caller import require_space_role
from shelfspace_kernel.internal_auth import CallerContext
from sync.queue import StepQueue

MemberDep = Annotated[CallerContext, Depends(require_space_role(SpaceRole.MEMBER))]
AdminDep = Annotated[CallerContext, Depends(require_space_role(SpaceRole.ADMIN))]


def step_queue(request: Request) -> StepQueue:
    state = request.app.state
    queue = getattr(state, "step_queue", None)
    if queue is None:
        queue = state.step_queue = StepQueue(state.broker, state.settings.step_queue)
    return queue


QueueDep = Annotated[StepQueue, Depends(step_queue)]
