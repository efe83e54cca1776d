"""ЦНППМ results: the instrument of an official diagnosis; imported rows kept for people not yet in the bot

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('instrument', sa.String(length=200), nullable=True))
    op.create_table(
        'cnppm_pending',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_code', sa.String(length=40), nullable=False),
        sa.Column('full_name', sa.String(length=200), nullable=False),
        sa.Column('organisation', sa.String(length=300), nullable=False),
        sa.Column('person_key', sa.String(length=200), nullable=False),
        sa.Column('organisation_key', sa.String(length=300), nullable=False),
        sa.Column('taken_on', sa.Date(), nullable=False),
        sa.Column('instrument', sa.String(length=200), nullable=False),
        sa.Column('instrument_key', sa.String(length=200), nullable=False),
        sa.Column('framework_version', sa.String(length=40), nullable=False),
        sa.Column('area', sa.String(length=20), nullable=False),
        sa.Column('result', sa.Integer(), nullable=False),
        sa.Column('deficit', sa.Boolean(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['region_code'], ['regions.code'],
            name=op.f('fk_cnppm_pending_region_code_regions'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cnppm_pending')),
        sa.UniqueConstraint(
            'region_code', 'person_key', 'organisation_key', 'taken_on', 'instrument_key', 'area',
            name=op.f('uq_cnppm_pending_region_code'),
        ),
    )
    with op.batch_alter_table('cnppm_pending', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cnppm_pending_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_cnppm_pending_person_key'), ['person_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('cnppm_pending', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cnppm_pending_person_key'))
        batch_op.drop_index(batch_op.f('ix_cnppm_pending_region_code'))
    op.drop_table('cnppm_pending')
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.drop_column('instrument')
