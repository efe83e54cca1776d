"""Linking a person's Telegram and MAX accounts into one profile (``domain.accounts``).

``issue_code`` gives the person a one-time code in «Профиль»; ``link`` redeems it from an account
on the other messenger that the bot does not know yet, which from then on is the same person.

What is sent to a person with two accounts (reminders, hand-offs, broadcasts) goes to the one
they last wrote from (``wrote_from``, on every update; ``User.reach``), never to both.
``unlink`` ends the link from either side: the profile stays with the account it is asked from,
and the other becomes a stranger to the bot again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from domain.accounts import LINK_TTL, Messenger, new_code
from services.results import STALE, Invalid, Stale
from services.uow import UnitOfWork
from storage.fsm import ConversationStore, forget_redis_states, forget_user_states
from storage.models import LinkCode, LinkedAccount, User
from storage.repositories import UserRepo


@dataclass(frozen=True)
class CodeIssued:
    code: str
    expires_at: datetime
    other: Messenger  # the messenger the code is for


@dataclass(frozen=True)
class Linked:
    user: User


def other_messenger(messenger: str) -> Messenger:
    return Messenger.MAX if messenger == Messenger.TELEGRAM else Messenger.TELEGRAM


async def issue_code(uow: UnitOfWork, user: User, messenger: str) -> CodeIssued:
    """A new one-time code for ``user``, asked for on ``messenger`` (earlier unused ones stay
    valid until they expire)."""
    expires_at = uow.now() + LINK_TTL
    code = new_code()
    while await uow.session.scalar(select(LinkCode.id).where(LinkCode.code == code)) is not None:
        code = new_code()  # 31**8 codes: a clash is a curiosity, not a risk
    uow.session.add(LinkCode(user_id=user.id, code=code, created_at=uow.now(), expires_at=expires_at))
    await uow.commit()
    return CodeIssued(code, expires_at, other_messenger(messenger))


async def link(uow: UnitOfWork, messenger: str, external_id: int, code: str) -> Linked | Invalid:
    """The account ``external_id`` on ``messenger`` becomes the code's owner's. Refused for an
    account the bot already knows (it has a profile of its own, or is linked), for a code unknown,
    used or expired, and for a code issued on this same messenger."""
    if await UserRepo(uow.session).by_telegram_id(external_id, messenger) is not None:
        return Invalid("link-account-known")
    issued = await uow.session.scalar(select(LinkCode).where(LinkCode.code == code))
    if issued is None or issued.used_at is not None or issued.expires_at <= uow.now():
        return Invalid("link-code-invalid")
    owner = await uow.session.get(User, issued.user_id)
    if owner is None:
        return Invalid("link-code-invalid")
    if owner.messenger == messenger or await _has_linked(uow, owner, messenger):
        return Invalid("link-same-messenger")
    issued.used_at = uow.now()
    uow.session.add(
        LinkedAccount(user_id=owner.id, messenger=messenger, external_id=external_id, linked_at=uow.now())
    )
    wrote_from(owner, messenger, external_id)  # she is writing from it now
    await uow.commit()
    return Linked(owner)


def wrote_from(user: User, messenger: str, external_id: int) -> bool:
    """The person wrote from this account of theirs: what is sent to them goes there from now on.
    True if that changed (the caller commits; most updates change nothing)."""
    own = user.messenger == messenger and user.telegram_id == external_id
    last = (None, None) if own else (messenger, external_id)
    if (user.last_messenger, user.last_external_id) == last:
        return False
    user.last_messenger, user.last_external_id = last
    return True


@dataclass(frozen=True)
class OtherAccount:
    """The person's account on the other messenger, seen from ``messenger``: ``link_id`` names the
    link (``linked_accounts.id``), so that a button about it is about this link only."""

    link_id: int
    messenger: Messenger


async def other_accounts(uow: UnitOfWork, user: User, messenger: str) -> list[OtherAccount]:
    """The person's accounts linked to the one they write from (``messenger``): shown in «Профиль»
    with «Отвязать»."""
    links = await uow.session.scalars(
        select(LinkedAccount).where(LinkedAccount.user_id == user.id).order_by(LinkedAccount.id)
    )
    found = []
    for link in links:
        # From the linked account, the other one is the person's own (first) account.
        other = user.messenger if link.messenger == messenger else link.messenger
        found.append(OtherAccount(link.id, Messenger(other)))
    return found


async def linked_account(uow: UnitOfWork, user: User, messenger: str, link_id: int) -> OtherAccount | Stale:
    """The account of the link ``link_id``, as seen from ``messenger`` (to ask before unlinking);
    ``STALE`` for a link that is gone or someone else's."""
    for other in await other_accounts(uow, user, messenger):
        if other.link_id == link_id:
            return other
    return STALE


@dataclass(frozen=True)
class Unlinked:
    other: Messenger  # the messenger of the account that is a stranger now


async def unlink(
    uow: UnitOfWork,
    user: User,
    messenger: str,
    external_id: int,
    link_id: int,
    conversations: ConversationStore | None = None,
) -> Unlinked | Stale:
    """End the link ``link_id`` of ``user``, asked from their account ``external_id`` on
    ``messenger``. The profile stays with that account; the other one keeps nothing of the person
    (its conversation is dropped) and is new to the bot when it writes again. An old or forged
    link id (unlinked already, someone else's, linked anew since) is ``STALE``: nothing changes."""
    link = await uow.session.get(LinkedAccount, link_id)
    if link is None or link.user_id != user.id:
        return STALE
    own = (user.messenger, user.telegram_id)
    here = (messenger, external_id)
    linked = (link.messenger, int(link.external_id))
    if here == own:
        gone = linked
    elif here == linked:  # asked from the linked account: the profile moves to it
        gone = own
        user.messenger, user.telegram_id = linked
    else:
        return STALE
    await uow.session.delete(link)
    user.last_messenger = user.last_external_id = None  # the one account left is where she is
    await forget_user_states(uow.session, gone[1], gone[0])
    if conversations is not None:
        await forget_redis_states(conversations, gone[1], gone[0])
    await uow.commit()
    return Unlinked(Messenger(gone[0]))


async def _has_linked(uow: UnitOfWork, owner: User, messenger: str) -> bool:
    """One account a messenger: the owner already has one on ``messenger``."""
    found = await uow.session.scalar(
        select(LinkedAccount.id).where(
            LinkedAccount.user_id == owner.id, LinkedAccount.messenger == messenger
        )
    )
    return found is not None
