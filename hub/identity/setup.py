"""The identity set-up a hub starts with, checked against its environment."""

from __future__ import annotations

from hub.agencies import ConfigError
from hub.identity.jwks import KeySet
from hub.identity.tokens import DEVELOPMENT_SECRET, TokenVerifier
from hub.settings import Settings


def token_secret(settings: Settings) -> str | None:
    """The HS256 secret development tokens are signed with; ``None`` in production."""
    if settings.is_production:
        return None
    if settings.token_secret is None:
        return DEVELOPMENT_SECRET
    return settings.token_secret.get_secret_value()


def check_identity_settings(settings: Settings) -> None:
    """Refuse settings a hub must not start with; :class:`ConfigError` lists why."""
    problems: list[str] = []
    if settings.is_production:
        secret = settings.token_secret
        if secret is not None and secret.get_secret_value() == DEVELOPMENT_SECRET:
            problems.append(
                "HUB_TOKEN_SECRET is the development secret; production must not accept "
                "tokens anyone can mint: unset it and set HUB_JWKS"
            )
        elif secret is not None:
            problems.append(
                "HUB_TOKEN_SECRET is set, but production accepts no HS256 tokens: unset it "
                "and verify the identity provider's tokens with HUB_JWKS"
            )
        if not settings.jwks:
            problems.append(
                "HUB_JWKS is not set: production verifies tokens against the identity "
                "provider's key set (a file path or an https:// URL)"
            )
        if not settings.assertion_key_file.is_file():
            problems.append(
                f"HUB_ASSERTION_KEY_FILE {settings.assertion_key_file} does not exist: "
                "production signs its assertions to agencies with a key it is given "
                "(openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt)"
            )
    elif settings.token_secret is not None and len(settings.token_secret.get_secret_value()) < 32:
        problems.append("HUB_TOKEN_SECRET must be at least 32 characters long")
    if problems:
        raise ConfigError(problems)


def token_verifier(settings: Settings) -> TokenVerifier:
    """The verifier of the hub's bearer tokens, after :func:`check_identity_settings`."""
    check_identity_settings(settings)
    return TokenVerifier(
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        leeway=settings.token_leeway,
        secret=token_secret(settings),
        keys=KeySet(settings.jwks) if settings.jwks else None,
    )


__all__ = ["check_identity_settings", "token_secret", "token_verifier"]
