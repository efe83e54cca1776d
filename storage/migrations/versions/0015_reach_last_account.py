"""what is sent to a person with linked accounts goes to the account they last wrote from:
users.last_messenger, users.last_external_id; the broadcast's progress message as its messenger
names it (MAX's ids are strings): broadcasts.progress_message_ref

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_messenger', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('last_external_id', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_message_ref', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('broadcasts', schema=None) as batch_op:
        batch_op.drop_column('progress_message_ref')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('last_external_id')
        batch_op.drop_column('last_messenger')
