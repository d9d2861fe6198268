"""Every write of the cooperation exchange (STYLE: services), by entity:

- ``proposals``: create, edit, change status, leave;
- ``joining``: requests to join and the initiator's decisions;
- ``posts``: the discussion thread;
- ``statements``: closing statements of events turned into proposals, and the follow-up.
"""

from .joining import join_request_create, join_request_decide, join_request_withdraw
from .posts import POST_LIMIT, post_create
from .proposals import proposal_create, proposal_leave, proposal_set_status, proposal_update
from .statements import (
    proposal_from_statement,
    statement_followup_remind,
    statement_followup_remind_due,
)

__all__ = [
    "POST_LIMIT",
    "join_request_create",
    "join_request_decide",
    "join_request_withdraw",
    "post_create",
    "proposal_create",
    "proposal_from_statement",
    "proposal_leave",
    "proposal_set_status",
    "proposal_update",
    "statement_followup_remind",
    "statement_followup_remind_due",
]
