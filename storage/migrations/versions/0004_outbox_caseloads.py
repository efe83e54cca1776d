"""outbox, caseloads, methodist settings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('caseloads',
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('methodist_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_caseloads_assigned_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['methodist_id'], ['users.id'], name=op.f('fk_caseloads_methodist_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['teacher_id'], ['users.id'], name=op.f('fk_caseloads_teacher_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('teacher_id', name=op.f('pk_caseloads'))
    )
    with op.batch_alter_table('caseloads', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_caseloads_methodist_id'), ['methodist_id'], unique=False)

    op.create_table('methodist_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('digest_time', sa.String(length=5), nullable=False),
    sa.Column('quiet_days', sa.String(length=5), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_methodist_settings_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_methodist_settings'))
    )
    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('ref_type', sa.String(length=20), nullable=True),
    sa.Column('ref_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_outbox_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('route_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('transfer_confirmed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('transfer_confirmed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_route_items_transfer_confirmed_by_users'), 'users', ['transfer_confirmed_by'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approved_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_routes_approved_by_users'), 'users', ['approved_by'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('notify_off', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('blocked_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('blocked_at')
        batch_op.drop_column('notify_off')
        batch_op.drop_column('last_seen_at')

    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_routes_approved_by_users'), type_='foreignkey')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('approved_at')

    with op.batch_alter_table('route_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_route_items_transfer_confirmed_by_users'), type_='foreignkey')
        batch_op.drop_column('transfer_confirmed_by')
        batch_op.drop_column('transfer_confirmed_at')

    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_user_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_due_at'))

    op.drop_table('outbox')
    op.drop_table('methodist_settings')
    with op.batch_alter_table('caseloads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_caseloads_methodist_id'))

    op.drop_table('caseloads')
