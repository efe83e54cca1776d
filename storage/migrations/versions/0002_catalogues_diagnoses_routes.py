"""catalogues, diagnoses, routes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=60), nullable=False),
    sa.Column('region_code', sa.String(length=40), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=500), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_events_region_code_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
    sa.UniqueConstraint('external_id', name=op.f('uq_events_external_id'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_region_code'), ['region_code'], unique=False)

    op.create_table('programs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('provider', sa.String(length=300), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=12), nullable=False),
    sa.Column('federal_registry', sa.Boolean(), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('region_code', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_programs_region_code_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programs')),
    sa.UniqueConstraint('external_id', name=op.f('uq_programs_external_id'))
    )
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programs_region_code'), ['region_code'], unique=False)

    op.create_table('internship_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=60), nullable=False),
    sa.Column('region_code', sa.String(length=40), nullable=False),
    sa.Column('organisation', sa.String(length=300), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('topic', sa.String(length=500), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=12), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipalities.id'], name=op.f('fk_internship_sites_municipality_id_municipalities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_internship_sites_region_code_regions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_sites')),
    sa.UniqueConstraint('external_id', name=op.f('uq_internship_sites_external_id'))
    )
    with op.batch_alter_table('internship_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internship_sites_region_code'), ['region_code'], unique=False)

    op.create_table('diagnoses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('framework_version', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('manager', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('deficits', sa.JSON(), nullable=False),
    sa.Column('strengths', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_diagnoses_recorded_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_diagnoses_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnoses'))
    )
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diagnoses_user_id'), ['user_id'], unique=False)

    op.create_table('internship_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['internship_sites.id'], name=op.f('fk_internship_applications_site_id_internship_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_internship_applications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_internship_applications')),
    sa.UniqueConstraint('site_id', 'user_id', name=op.f('uq_internship_applications_site_id'))
    )
    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_internship_applications_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_internship_applications_user_id'), ['user_id'], unique=False)

    op.create_table('diagnosis_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('diagnosis_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=20), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['diagnosis_id'], ['diagnoses.id'], name=op.f('fk_diagnosis_answers_diagnosis_id_diagnoses'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnosis_answers')),
    sa.UniqueConstraint('diagnosis_id', 'statement_id', name=op.f('uq_diagnosis_answers_diagnosis_id'))
    )
    with op.batch_alter_table('diagnosis_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_diagnosis_answers_diagnosis_id'), ['diagnosis_id'], unique=False)

    op.create_table('routes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('diagnosis_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('completed_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['diagnosis_id'], ['diagnoses.id'], name=op.f('fk_routes_diagnosis_id_diagnoses'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_routes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routes'))
    )
    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routes_user_id'), ['user_id'], unique=False)

    op.create_table('route_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('route_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('form', sa.String(length=12), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('evidence_kind', sa.String(length=12), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=True),
    sa.Column('evidence_name', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_route_items_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['programs.id'], name=op.f('fk_route_items_program_id_programs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['route_id'], ['routes.id'], name=op.f('fk_route_items_route_id_routes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['internship_sites.id'], name=op.f('fk_route_items_site_id_internship_sites'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_route_items'))
    )
    with op.batch_alter_table('route_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_route_items_route_id'), ['route_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('route_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_route_items_route_id'))

    op.drop_table('route_items')
    with op.batch_alter_table('routes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routes_user_id'))

    op.drop_table('routes')
    with op.batch_alter_table('diagnosis_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnosis_answers_diagnosis_id'))

    op.drop_table('diagnosis_answers')
    with op.batch_alter_table('internship_applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internship_applications_user_id'))
        batch_op.drop_index(batch_op.f('ix_internship_applications_site_id'))

    op.drop_table('internship_applications')
    with op.batch_alter_table('diagnoses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnoses_user_id'))

    op.drop_table('diagnoses')
    with op.batch_alter_table('internship_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_internship_sites_region_code'))

    op.drop_table('internship_sites')
    with op.batch_alter_table('programs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programs_region_code'))

    op.drop_table('programs')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_region_code'))

    op.drop_table('events')
