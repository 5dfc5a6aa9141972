"""A small client of the immigration REST API: authentication, pagination, batches, posts.

It returns the API's records as JSON objects (``dict``), checked only for the shape
of the envelope; :mod:`connectors.immigration.mapping` reads the records themselves.
Every failure leaves it as one of the hub's errors (:mod:`connectors.immigration.errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
import orjson

from connectors.immigration.errors import UnexpectedShape, json_body, translated_errors
from hub.identity.assertion import RequestSigner

API_KEY_HEADER = "X-API-Key"
MAX_BATCH = 100
"""The most application numbers the API accepts in one batch request."""
EVERY_RECORD = 1_000_000
"""A limit no listing reaches: read them to the last page."""

Params = Sequence[tuple[str, str]]
JsonObject = dict[str, Any]


class ImmigrationClient:
    """Calls the API at ``base_url`` through ``http`` with the hub's ``api_key``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        base_url: str,
        api_key: str,
        page_size: int,
        agency: str,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._headers = {API_KEY_HEADER: api_key, "Accept": "application/json"}
        self._page_size = page_size
        self._agency = agency

    async def get(
        self, path: str, params: Params = (), *, sign: RequestSigner | None = None
    ) -> Any:
        """The JSON body of ``GET {base_url}{path}``; ``sign`` adds headers computed
        over the request as it will be sent."""
        with translated_errors(self._agency):
            request = self._http.build_request(
                "GET", self._base_url + path, params=list(params), headers=self._headers
            )
            if sign is not None:
                request.headers.update(sign(request))
            response = await self._http.send(request)
            return json_body(response, self._agency)

    async def post(
        self,
        path: str,
        body: Mapping[str, Any],
        *,
        headers: Mapping[str, str] | None = None,
        sign: RequestSigner | None = None,
    ) -> Any:
        """The JSON body of ``POST {base_url}{path}`` with the JSON ``body``; ``sign``
        adds headers computed over the request as it will be sent."""
        with translated_errors(self._agency):
            request = self._http.build_request(
                "POST",
                self._base_url + path,
                content=orjson.dumps(body),
                headers={**self._headers, "Content-Type": "application/json", **(headers or {})},
            )
            if sign is not None:
                request.headers.update(sign(request))
            response = await self._http.send(request)
            return json_body(response, self._agency)

    async def list_records(self, path: str, params: Params, limit: int) -> list[JsonObject]:
        """Up to ``limit`` records of a paginated listing, following its pages in order.

        ``per_page`` stays the same on every page, as page numbers depend on it.
        """
        if limit <= 0:
            return []
        per_page = min(self._page_size, limit)
        records: list[JsonObject] = []
        page = 1
        while True:
            body = await self.get(path, [*params, ("page", str(page)), ("per_page", str(per_page))])
            with translated_errors(self._agency):
                data, total_pages = _page_envelope(body)
            records.extend(data)
            if len(records) >= limit or page >= total_pages or not data:
                return records[:limit]
            page += 1

    async def every_record(self, path: str, params: Params) -> list[JsonObject]:
        """Every record of a paginated listing, following its pages in order."""
        return await self.list_records(path, params, EVERY_RECORD)

    async def passport_applications(
        self, numbers: Sequence[str], signing: Callable[[Sequence[str]], RequestSigner]
    ) -> list[JsonObject]:
        """The applications with these (well-formed) numbers; unknown ones are left out.

        ``signing`` gives, for the numbers of one request, what signs that request.
        """
        found: list[JsonObject] = []
        for start in range(0, len(numbers), MAX_BATCH):
            chunk = numbers[start : start + MAX_BATCH]
            body = await self.get(
                "/passport-applications",
                [("application_no", number) for number in chunk],
                sign=signing(chunk),
            )
            with translated_errors(self._agency):
                found.extend(_records(_field(body, "data"), "data"))
        return found


def _page_envelope(body: Any) -> tuple[list[JsonObject], int]:
    data = _records(_field(body, "data"), "data")
    pagination = _field(body, "pagination")
    total_pages = _field(pagination, "total_pages")
    if not isinstance(total_pages, int) or isinstance(total_pages, bool) or total_pages < 0:
        raise UnexpectedShape(f"pagination.total_pages should be a count, got {total_pages!r}")
    return data, total_pages


def _field(body: Any, name: str) -> Any:
    if not isinstance(body, dict):
        raise UnexpectedShape(f"expected a JSON object holding {name!r}, got {type(body).__name__}")
    if name not in body:
        raise UnexpectedShape(f"the field {name!r} is missing")
    return body[name]


def _records(value: Any, name: str) -> list[JsonObject]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise UnexpectedShape(f"{name!r} should be a list of JSON objects")
    return value
