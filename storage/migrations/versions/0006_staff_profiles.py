"""staff profiles: users.staff_title, users.organisation, users.also_teacher

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_title', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('organisation', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('also_teacher', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('also_teacher')
        batch_op.drop_column('organisation')
        batch_op.drop_column('staff_title')
