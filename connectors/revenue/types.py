"""Records of the revenue authority's own lookups (beyond the hub's common types)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date


class TaxComplianceStatus(enum.Enum):
    """The state of a Tax Compliance Certificate, as the gateway reports it."""

    VALID = "VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"
    NONE = "NONE"


class TaxpayerType(enum.Enum):
    """Whether a PIN belongs to a person or to a company (or another entity)."""

    INDIVIDUAL = "INDIVIDUAL"
    COMPANY = "COMPANY"


@dataclass(frozen=True, slots=True, kw_only=True)
class TaxCertificate:
    """A taxpayer's Tax Compliance Certificate (TCC).

    ``pin`` identifies the taxpayer, who owns the record; ``taxpayer_name`` is
    personal data. The number and dates are ``None`` when no certificate was ever
    issued (``status`` is then ``NONE``).
    """

    pin: str
    taxpayer_name: str
    taxpayer_type: TaxpayerType
    status: TaxComplianceStatus
    certificate_number: str | None = None
    issued_on: date | None = None
    expires_on: date | None = None

    def is_compliant(self, on: date) -> bool:
        """Whether the certificate is valid on the day ``on``.

        The gateway refreshes statuses overnight, so a certificate that expired since
        still reads ``VALID``; the expiry date decides.
        """
        return (
            self.status is TaxComplianceStatus.VALID
            and self.expires_on is not None
            and on <= self.expires_on
        )
