"""Initial schema: runs, WARC files, captures, articles and their versions, images, attachments, schedules.

Datetimes are naive UTC (see db.types.UTCDateTime).

Revision ID: 0001
Revises:
Create Date: 2026-11-27

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('crawl_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job', sa.String(length=200), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.CheckConstraint("status IN ('running', 'finished', 'interrupted', 'failed')", name=op.f('ck_crawl_runs_status')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    op.create_index(op.f('ix_crawl_runs_job'), 'crawl_runs', ['job'])

    op.create_table('captures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('method', sa.String(length=16), nullable=False),
        sa.Column('status', sa.Integer(), nullable=False),
        sa.Column('fetched_at', sa.DateTime(), nullable=False),
        sa.Column('content_type', sa.String(length=255), nullable=True),
        sa.Column('payload_digest', sa.String(length=128), nullable=True),
        sa.Column('warc_type', sa.String(length=16), nullable=False),
        sa.Column('warc_file', sa.String(length=255), nullable=False),
        sa.Column('warc_offset', sa.BigInteger(), nullable=False),
        sa.Column('warc_length', sa.BigInteger(), nullable=False),
        sa.Column('warc_record_id', sa.String(length=128), nullable=False),
        sa.Column('request_record_id', sa.String(length=128), nullable=True),
        sa.Column('ip_address', sa.String(length=64), nullable=True),
        sa.Column('content_length', sa.BigInteger(), nullable=True),
        sa.Column('refers_to_record_id', sa.String(length=128), nullable=True),
        sa.CheckConstraint("warc_type IN ('response', 'revisit')", name=op.f('ck_captures_warc_type')),
        sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_captures_run_id_crawl_runs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_captures')),
        sa.UniqueConstraint('warc_record_id', name=op.f('uq_captures_warc_record_id'))
    )
    op.create_index(op.f('ix_captures_payload_digest'), 'captures', ['payload_digest'])
    op.create_index(op.f('ix_captures_run_id'), 'captures', ['run_id'])
    op.create_index(op.f('ix_captures_url'), 'captures', ['url'])
    op.create_index(op.f('ix_captures_warc_file'), 'captures', ['warc_file'])

    op.create_table('schedules',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('every', sa.String(length=50), nullable=True),
        sa.Column('cron', sa.String(length=100), nullable=True),
        sa.Column('at', sa.String(length=50), nullable=True),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('last_run_id', sa.Integer(), nullable=True),
        sa.Column('next_due_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint('every IS NOT NULL OR cron IS NOT NULL', name=op.f('ck_schedules_interval')),
        sa.ForeignKeyConstraint(['last_run_id'], ['crawl_runs.id'], name=op.f('fk_schedules_last_run_id_crawl_runs'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_schedules')),
        sa.UniqueConstraint('name', name=op.f('uq_schedules_name'))
    )
    op.create_table('warc_files',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=True),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('records', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_warc_files_run_id_crawl_runs')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_warc_files')),
        sa.UniqueConstraint('name', name=op.f('uq_warc_files_name'))
    )
    op.create_index(op.f('ix_warc_files_run_id'), 'warc_files', ['run_id'])

    op.create_table('articles',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site', sa.String(length=255), nullable=False),
        sa.Column('source_id', sa.String(length=255), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('category', sa.Text(), nullable=True),
        sa.Column('lead', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('byline', sa.Text(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('first_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('capture_id', sa.Integer(), nullable=False),
        sa.Column('versions', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['capture_id'], ['captures.id'], name=op.f('fk_articles_capture_id_captures')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
        sa.UniqueConstraint('site', 'source_id', name=op.f('uq_articles_site_source_id'))
    )
    op.create_index(op.f('ix_articles_capture_id'), 'articles', ['capture_id'])
    op.create_index(op.f('ix_articles_published_at'), 'articles', ['published_at'])
    op.create_index(op.f('ix_articles_source_id'), 'articles', ['source_id'])
    op.create_index(op.f('ix_articles_url'), 'articles', ['url'])

    op.create_table('article_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('article_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('capture_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.Text(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('category', sa.Text(), nullable=True),
        sa.Column('lead', sa.Text(), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('byline', sa.Text(), nullable=True),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_versions_article_id_articles'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['capture_id'], ['captures.id'], name=op.f('fk_article_versions_capture_id_captures')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_article_versions')),
        sa.UniqueConstraint('article_id', 'version', name=op.f('uq_article_versions_article_id_version'))
    )
    op.create_index(op.f('ix_article_versions_capture_id'), 'article_versions', ['capture_id'])

    op.create_table('attachments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('name', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'], name=op.f('fk_attachments_version_id_article_versions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments')),
        sa.UniqueConstraint('version_id', 'position', name=op.f('uq_attachments_version_id_position'))
    )
    op.create_table('images',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('src', sa.Text(), nullable=False),
        sa.Column('alt', sa.Text(), nullable=True),
        sa.Column('caption', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['version_id'], ['article_versions.id'], name=op.f('fk_images_version_id_article_versions'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
        sa.UniqueConstraint('version_id', 'position', name=op.f('uq_images_version_id_position'))
    )


def downgrade() -> None:
    """Downgrade schema (dropping a table drops its indexes)."""
    for table in (
        "images",
        "attachments",
        "article_versions",
        "articles",
        "warc_files",
        "schedules",
        "captures",
        "crawl_runs",
    ):
        op.drop_table(table)
