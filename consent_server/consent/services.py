"""Recording consent as proof, the visitor's receipt, and withdrawal. No request access here."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..errors import Conflict, Forbidden, InvalidInput, NotFound
from ..extensions import DBSession
from ..models import ConsentRecord, Site
from ..privacy import AgentSummary, clean_url
from ..sites.schemas import NECESSARY
from ..sites.services import banner_hash
from ..timeutil import add_months, isoformat
from ..tokens import ConsentTokens, TokenClaims
from .schemas import ConsentIn


@dataclass(frozen=True)
class Visitor:
    """What the edge kept of the request: a truncated network and a User-Agent summary."""

    network: str | None
    agent: AgentSummary


def category_state(site: Site, action: str, requested: dict[str, bool]) -> dict[str, bool]:
    """The state of every category of the site after an action; `necessary` is always on."""
    keys = site.category_keys()
    unknown = sorted(set(requested) - set(keys))
    if unknown:
        raise InvalidInput(
            "The site has no such category.",
            fields={f"categories.{key}": "unknown category for this site" for key in unknown},
            code="unknown_category",
        )
    if action == "accept_all":
        return dict.fromkeys(keys, True)
    if action in {"reject_all", "withdraw"}:
        return {key: key == NECESSARY for key in keys}
    return {key: key == NECESSARY or bool(requested.get(key, False)) for key in keys}


def _new_record(
    site: Site,
    consent_id: str,
    action: str,
    method: str,
    state: dict[str, bool],
    language: str,
    url: str | None,
    visitor: Visitor,
    now: datetime,
) -> ConsentRecord:
    return ConsentRecord(
        consent_id=consent_id,
        site_id=site.id,
        created_at=now,
        expires_at=add_months(now, site.consent_lifetime_months),
        action=action,
        method=method,
        categories=state,
        policy_version=site.policy_version,
        banner_hash=banner_hash(site, language),
        language=language,
        url=url,
        browser=visitor.agent.browser_label,
        os=visitor.agent.os,
        device=visitor.agent.device,
        ip_network=visitor.network,
    )


def _owned_records(session: DBSession, consent_id: str) -> list[ConsentRecord]:
    return list(
        session.scalars(
            select(ConsentRecord).where(ConsentRecord.consent_id == consent_id).order_by(ConsentRecord.id)
        )
    )


def _check_ownership(site: Site, consent_id: str, claims: TokenClaims | None) -> None:
    if claims is None or claims.consent_id != consent_id or claims.site != site.key:
        raise Forbidden("This consent id belongs to a token that was not sent.", code="consent_id_not_owned")


def record_choice(
    session: DBSession, site: Site, choice: ConsentIn, visitor: Visitor, tokens: ConsentTokens, now: datetime
) -> dict[str, Any]:
    """Append one choice to the proof log and sign its token. The caller commits before answering.

    Raises Conflict (old policy version), InvalidInput (unknown category or language),
    Forbidden/Unauthorized (a consent id used without its token).
    """
    if choice.policy_version != site.policy_version:
        raise Conflict(
            f"The site's policy is at version {site.policy_version}; ask the visitor again.",
            fields={"policy_version": f"current version is {site.policy_version}"},
            code="policy_outdated",
        )
    if choice.language not in site.languages:
        raise InvalidInput("The site has no texts in that language.", fields={"language": "not offered"})
    state = category_state(site, choice.action, choice.categories)

    consent_id = choice.consent_id
    if consent_id is not None:
        existing = _owned_records(session, consent_id)
        if existing:
            claims = tokens.verify(choice.token) if choice.token else None
            if existing[0].site_id != site.id:
                raise Forbidden("This consent id belongs to another site.", code="consent_id_not_owned")
            _check_ownership(site, consent_id, claims)
        elif choice.action == "withdraw":
            raise NotFound("Nothing to withdraw under this consent id.", code="consent_not_found")
    elif choice.action == "withdraw":
        raise InvalidInput(
            "A withdrawal names the consent id it withdraws.", fields={"consent_id": "required"}
        )
    consent_id = consent_id or str(uuid.uuid4())

    record = _new_record(
        site,
        consent_id,
        choice.action,
        choice.method,
        state,
        choice.language,
        clean_url(choice.url),
        visitor,
        now,
    )
    session.add(record)
    session.flush()
    granted = [key for key, on in state.items() if on]
    return {
        "consent_id": consent_id,
        "token": tokens.sign(site.key, consent_id, granted, site.policy_version),
        "categories": state,
        "policy_version": site.policy_version,
        "expires_at": isoformat(record.expires_at),
    }


def _records_for(
    session: DBSession, consent_id: str, claims: TokenClaims
) -> tuple[Site, list[ConsentRecord]]:
    if claims.consent_id != consent_id:
        raise Forbidden("The token was issued for another consent id.", code="consent_id_not_owned")
    records = _owned_records(session, consent_id)
    if not records:
        raise NotFound("No consent is recorded under this id.", code="consent_not_found")
    site = records[0].site
    if site.key != claims.site:
        raise Forbidden("The token was issued for another site.", code="consent_id_not_owned")
    return site, records


def receipt(session: DBSession, consent_id: str, claims: TokenClaims) -> dict[str, Any]:
    """Every choice recorded under a consent id. Raises Forbidden or NotFound."""
    site, records = _records_for(session, consent_id, claims)
    return {
        "consent_id": consent_id,
        "site": site.key,
        "records": [
            {
                "recorded_at": isoformat(record.created_at),
                "expires_at": isoformat(record.expires_at),
                "action": record.action,
                "method": record.method,
                "categories": record.categories,
                "policy_version": record.policy_version,
                "banner_hash": record.banner_hash,
                "language": record.language,
                "url": record.url,
                "browser": record.browser,
                "os": record.os,
                "device": record.device,
                **({"erased": record.erased} if record.erased is not None else {}),
            }
            for record in records
        ],
    }


def withdraw(
    session: DBSession,
    consent_id: str,
    claims: TokenClaims,
    visitor: Visitor,
    now: datetime,
    erase: Callable[[Site, str], dict[str, int]],
) -> dict[str, int]:
    """Record a withdrawal of every non-necessary category and erase what is linked to the visitor.

    `erase(site, consent_id)` deletes the linked analytics and says how many rows per table.
    Raises Forbidden or NotFound.
    """
    site, records = _records_for(session, consent_id, claims)
    last = records[-1]
    state = category_state(site, "withdraw", {})
    record = _new_record(site, consent_id, "withdraw", "api", state, last.language, None, visitor, now)
    record.erased = erase(site, consent_id)
    session.add(record)
    session.flush()
    return record.erased
