"""professional records: contests, presented опыт, tutor/expert/jury roles (002's indicators 3–6)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'professional_records',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('school_id', sa.Integer(), nullable=True),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('result', sa.String(length=16), nullable=True),
        sa.Column('happened_on', sa.Date(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('entered_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['region_code'], ['regions.code'],
            name=op.f('fk_professional_records_region_code_regions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'], name=op.f('fk_professional_records_user_id_users'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['school_id'], ['schools.id'],
            name=op.f('fk_professional_records_school_id_schools'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['entered_by'], ['users.id'],
            name=op.f('fk_professional_records_entered_by_users'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_professional_records')),
    )
    with op.batch_alter_table('professional_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_professional_records_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_professional_records_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_professional_records_school_id'), ['school_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_professional_records_happened_on'), ['happened_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('professional_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_professional_records_happened_on'))
        batch_op.drop_index(batch_op.f('ix_professional_records_school_id'))
        batch_op.drop_index(batch_op.f('ix_professional_records_user_id'))
        batch_op.drop_index(batch_op.f('ix_professional_records_region_code'))
    op.drop_table('professional_records')
