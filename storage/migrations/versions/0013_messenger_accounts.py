"""a person is identified per messenger: users.messenger beside the id on that messenger

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('messenger', sa.String(length=10), server_default='telegram', nullable=False)
        )
        batch_op.drop_constraint(batch_op.f('uq_users_telegram_id'), type_='unique')
        batch_op.create_unique_constraint(
            batch_op.f('uq_users_messenger'), ['messenger', 'telegram_id']
        )


def downgrade() -> None:
    # Only Telegram's accounts fit the old shape: MAX's are removed with what hangs on them.
    op.execute("DELETE FROM users WHERE messenger <> 'telegram'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_messenger'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_users_telegram_id'), ['telegram_id'])
        batch_op.drop_column('messenger')
