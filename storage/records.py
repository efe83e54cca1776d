"""Professional records (``storage.models.ProfessionalRecord``): a person's or a school's contests,
presented опыт and tutor/expert/jury roles. Nothing here commits."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProfessionalRecord

SHOWN = 20  # the latest records a card lists


class RecordRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_user(self, user_id: int, limit: int = SHOWN) -> Sequence[ProfessionalRecord]:
        """A person's latest records, newest first."""
        result = await self.session.scalars(
            select(ProfessionalRecord)
            .where(ProfessionalRecord.user_id == user_id)
            .order_by(ProfessionalRecord.happened_on.desc(), ProfessionalRecord.id.desc())
            .limit(limit)
        )
        return list(result)

    async def of_school(self, school_id: int, limit: int = SHOWN) -> Sequence[ProfessionalRecord]:
        """A school's latest records, newest first."""
        result = await self.session.scalars(
            select(ProfessionalRecord)
            .where(ProfessionalRecord.school_id == school_id)
            .order_by(ProfessionalRecord.happened_on.desc(), ProfessionalRecord.id.desc())
            .limit(limit)
        )
        return list(result)

    async def add(self, record: ProfessionalRecord) -> ProfessionalRecord:
        self.session.add(record)
        await self.session.flush()
        return record
