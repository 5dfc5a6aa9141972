"""The ticket store: tickets kept in the hub's database, and every operation on them.

``TicketStore(engine, rules)`` over a database migrated by :func:`hub.db.upgrade`;
one per hub, bound to each request's origin with :meth:`~StoreCore.with_origin` for
its audit rows. Every operation that changes a ticket is one transaction that checks
its input first (nothing is written on bad input), stores the change with its
timeline entries and its audit row, and returns a frozen :class:`TicketView`.

=========================  ==================================================
citizens (any caller)      :meth:`submit`
the ticket's owner         :meth:`rate`, :meth:`reopen`
its agency's staff, admins :meth:`acknowledge`, :meth:`comment`,
                           :meth:`set_status`, :meth:`reassign`
the sync worker            :meth:`apply_agency_update`
the delivery worker        :meth:`claim_due`, :meth:`mark_delivered`,
                           :meth:`release_failed`
the SLA sweep              :meth:`mark_breaches`
reads                      :meth:`get_by_tracking_number`, :meth:`timeline`,
                           :meth:`timelines` (many tickets in two statements),
                           :meth:`list_for_owner`, :meth:`list_for_agency`,
                           :meth:`sla_state`, :meth:`attachments`,
                           :meth:`attachment`
=========================  ==================================================

Attachments are kept once the store is given a folder (:meth:`with_attachments`).

Errors: :class:`~hub.errors.InvalidInput` (argument and what to send instead),
:class:`~hub.errors.Unauthenticated`, :class:`~hub.errors.Forbidden`,
:class:`~hub.errors.NotFound`.
"""

from __future__ import annotations

from hub.tickets.agency_updates import AgencyUpdates
from hub.tickets.citizen_actions import CitizenActions
from hub.tickets.core import Origin
from hub.tickets.outbox import Outbox
from hub.tickets.queries import Queries
from hub.tickets.staff_actions import StaffActions
from hub.tickets.submission import Submitting
from hub.tickets.sweep import Sweep


class TicketStore(Submitting, CitizenActions, StaffActions, AgencyUpdates, Outbox, Sweep, Queries):
    """The hub's tickets; see the module's docstring for its operations."""


__all__ = ["Origin", "TicketStore"]
