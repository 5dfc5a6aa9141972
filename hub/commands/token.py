"""``hub token``: mint a development bearer token."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from hub.identity import Role
from hub.identity.setup import check_identity_settings, token_secret
from hub.identity.tokens import mint_development_token
from hub.settings import Settings

EXIT_REFUSED = 2


def register(commands: Any) -> None:
    """Add ``hub token`` to the sub-command parsers ``commands``."""
    token = commands.add_parser(
        "token",
        help="mint a development bearer token (refused in production)",
        description="Print an HS256 token signed with the development secret "
        "(HUB_TOKEN_SECRET), for trying the hub as a citizen, agency staff or admin: "
        'curl -H "Authorization: Bearer $(hub token --role citizen --sub alice --pin A0...)"',
    )
    token.add_argument(
        "--role",
        required=True,
        action="append",
        choices=[role.value for role in Role],
        help="a role of the caller; repeat for several",
    )
    token.add_argument("--sub", required=True, help="the caller's subject (user id)")
    token.add_argument("--pin", help="citizen: their revenue PIN, e.g. A012345678Z")
    token.add_argument("--national-id", help="citizen: their national ID number")
    token.add_argument("--agency", help="resolver: the agency they work for, e.g. police")
    token.add_argument(
        "--minutes", type=int, default=60, help="how long the token is valid (default 60)"
    )
    token.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Print the token ``args`` describe; refuse in production."""
    settings = Settings()
    if settings.is_production:
        print(
            "hub token mints development tokens only; in production, tokens come from the "
            "identity provider (HUB_JWKS)",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    check_identity_settings(settings)
    roles = [Role(role) for role in args.role]
    if Role.RESOLVER in roles and not args.agency:
        print("a resolver token needs --agency (the agency they work for)", file=sys.stderr)
        return EXIT_REFUSED
    if args.minutes <= 0:
        print("--minutes must be greater than 0", file=sys.stderr)
        return EXIT_REFUSED
    secret = token_secret(settings)
    assert secret is not None  # development always has one
    print(
        mint_development_token(
            secret,
            issuer=settings.token_issuer,
            audience=settings.token_audience,
            subject=args.sub,
            roles=roles,
            agency=args.agency,
            claims={"pin": args.pin, "national_id": args.national_id},
            lifetime=args.minutes * 60,
        )
    )
    return 0


__all__ = ["register", "run"]
