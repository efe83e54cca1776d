"""official statistics: per year and unit, the denominators of the indicators' shares

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'official_statistics',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=40), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('unit', sa.String(length=20), nullable=False),
        sa.Column('municipality_id', sa.Integer(), nullable=True),
        sa.Column('school_id', sa.Integer(), nullable=True),
        sa.Column('teachers', sa.Integer(), nullable=True),
        sa.Column('managers', sa.Integer(), nullable=True),
        sa.Column('schools', sa.Integer(), nullable=True),
        sa.Column('management_teams', sa.Integer(), nullable=True),
        sa.Column('young_teachers', sa.Integer(), nullable=True),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['region_code'], ['regions.code'],
            name=op.f('fk_official_statistics_region_code_regions'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['municipality_id'], ['municipalities.id'],
            name=op.f('fk_official_statistics_municipality_id_municipalities'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['school_id'], ['schools.id'],
            name=op.f('fk_official_statistics_school_id_schools'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_official_statistics')),
        sa.UniqueConstraint('region_code', 'year', 'unit', name=op.f('uq_official_statistics_region_code')),
    )
    with op.batch_alter_table('official_statistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_official_statistics_region_code'), ['region_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('official_statistics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_official_statistics_region_code'))
    op.drop_table('official_statistics')
