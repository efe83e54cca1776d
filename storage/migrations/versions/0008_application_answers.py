"""internship applications are answered: decided_by, decided_at, answer_seen_at

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('answer_seen_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_internship_applications_decided_by_users'), 'users', ['decided_by'], ['id'],
            ondelete='SET NULL',
        )


def downgrade() -> None:
    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_internship_applications_decided_by_users'), type_='foreignkey')
        batch_op.drop_column('answer_seen_at')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by')
