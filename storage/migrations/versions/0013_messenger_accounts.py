"""a person is identified per messenger: users.messenger beside the id on that messenger;
accounts on another messenger linked with one-time codes: linked_accounts, link_codes

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0011'
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
    op.create_table(
        'linked_accounts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('messenger', sa.String(length=10), nullable=False),
        sa.Column('external_id', sa.BigInteger(), nullable=False),
        sa.Column('linked_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_linked_accounts_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_accounts')),
        sa.UniqueConstraint('messenger', 'external_id', name=op.f('uq_linked_accounts_messenger')),
    )
    with op.batch_alter_table('linked_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_accounts_user_id'), ['user_id'], unique=False)
    op.create_table(
        'link_codes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('used_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_link_codes_user_id_users'), ondelete='CASCADE'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_link_codes')),
        sa.UniqueConstraint('code', name=op.f('uq_link_codes_code')),
    )
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_codes_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_codes_user_id'))
    op.drop_table('link_codes')
    with op.batch_alter_table('linked_accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_accounts_user_id'))
    op.drop_table('linked_accounts')
    # Only Telegram's accounts fit the old shape: MAX's are removed with what hangs on them.
    op.execute("DELETE FROM users WHERE messenger <> 'telegram'")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_messenger'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_users_telegram_id'), ['telegram_id'])
        batch_op.drop_column('messenger')
