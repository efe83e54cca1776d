"""mentorship

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('mentor_pairs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('goals', sa.JSON(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.String(length=1000), nullable=True),
    sa.Column('assigned_by', sa.Integer(), nullable=True),
    sa.Column('last_reminder_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by'], ['users.id'], name=op.f('fk_mentor_pairs_assigned_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentor_pairs_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_pairs_mentor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_pairs'))
    )
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pairs_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_pairs_status'), ['status'], unique=False)

    op.create_table('mentor_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mentor_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_mentor_profiles'))
    )
    op.create_table('mentor_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=12), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['users.id'], name=op.f('fk_mentor_requests_mentee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mentor_id'], ['users.id'], name=op.f('fk_mentor_requests_mentor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_requests'))
    )
    with op.batch_alter_table('mentor_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_requests_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_requests_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_requests_status'), ['status'], unique=False)

    op.create_table('mentor_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pair_id', sa.Integer(), nullable=False),
    sa.Column('logged_by', sa.Integer(), nullable=True),
    sa.Column('met_on', sa.Date(), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['logged_by'], ['users.id'], name=op.f('fk_mentor_meetings_logged_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pair_id'], ['mentor_pairs.id'], name=op.f('fk_mentor_meetings_pair_id_mentor_pairs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_meetings'))
    )
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_meetings_pair_id'), ['pair_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_meetings_pair_id'))

    op.drop_table('mentor_meetings')
    with op.batch_alter_table('mentor_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_requests_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_requests_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_requests_mentee_id'))

    op.drop_table('mentor_requests')
    op.drop_table('mentor_profiles')
    with op.batch_alter_table('mentor_pairs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_pairs_mentee_id'))

    op.drop_table('mentor_pairs')
