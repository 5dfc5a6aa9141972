"""The hub's own administration in the graph, for admins only: purging an agency's cache."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated

import strawberry

from hub.errors import HubError, InvalidInput
from hub.identity.permissions import IsAdmin
from hub.schema.agencies import Agency, Info
from hub.schema.auditing import record_access
from hub.schema.ids import GlobalId

log = logging.getLogger(__name__)


class CacheUnavailable(HubError):
    """The cache's store (``HUB_CACHE_URL``) could not be reached."""

    code = "CACHE_UNAVAILABLE"


@strawberry.type(description="The outcome of purgeAgencyCache.")
class PurgeResult:
    agency: Agency = strawberry.field(description="The agency whose cached data was forgotten.")
    purged_at: datetime = strawberry.field(description="When the purge was made (UTC).")


@strawberry.type
class AdminMutations:
    @strawberry.mutation(
        description="Forget an agency's cached answers, and every whole response built from "
        "them, in every hub process sharing the cache: the next request asks the agency. "
        "Admins only; audited.",
        permission_classes=[IsAdmin],
    )
    async def purge_agency_cache(
        self,
        info: Info,
        agency: Annotated[
            strawberry.ID,
            strawberry.argument(description="The agency's key (e.g. revenue) or global ID."),
        ],
    ) -> PurgeResult | None:
        registry = info.context.registry
        key = GlobalId.parse(agency).agency if agency.count(":") == 2 else str(agency)
        if key not in registry:
            raise InvalidInput(
                "agency", f"unknown agency {key!r}; known: {', '.join(registry.ids)}"
            )
        cache, sink = info.context.gateway.cache, info.context.audit
        if cache is None or sink is None:
            raise RuntimeError("the hub was started without its answer cache or audit log")
        try:
            await cache.purge(key)
        except Exception as exc:
            log.error("purge of %s's cache failed", key, exc_info=True)
            await record_access(info, object_id=key, agency=key, outcome=CacheUnavailable.code)
            raise CacheUnavailable(
                f"the cache could not be purged ({type(exc).__name__}); check that the store "
                "at HUB_CACHE_URL is up, then purge again",
                agency=key,
            ) from None
        await record_access(info, object_id=key, agency=key)
        log.info("purged %s's cached answers and responses", key)
        return PurgeResult(agency=Agency.of(registry.get(key)), purged_at=datetime.now(UTC))


__all__ = ["AdminMutations", "CacheUnavailable", "PurgeResult"]
