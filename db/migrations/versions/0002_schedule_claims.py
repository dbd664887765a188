"""Schedules remember the crawl process they started, so that two schedulers never run a job twice at once.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0002'
down_revision: Union[str, Sequence[str], None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('schedules') as batch_op:
        batch_op.add_column(sa.Column('running_pid', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('running_host', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('running_since', sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('schedules') as batch_op:
        batch_op.drop_column('running_since')
        batch_op.drop_column('running_host')
        batch_op.drop_column('running_pid')
