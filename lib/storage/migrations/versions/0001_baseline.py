"""Baseline: exactly the schema the release before migrations (8af7548) made with create_all.

A store made by that release has these tables and no alembic_version: it is stamped here, then
upgraded. Never edit this revision; change the schema in a new one.

Revision ID: 0001
Revises: -
Created: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "boundary_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=False),
        sa.Column("report", sa.Text(), nullable=False),
        sa.Column("full_geojson", sa.Text(), nullable=False),
        sa.Column("web_geojson", sa.Text(), nullable=False),
        sa.Column("provinces_geojson", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "login_throttle",
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("regions", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "versions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=500), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "programs",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("program_id", sa.Text(), nullable=True),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("dimension", sa.String(length=32), nullable=True),
        sa.Column("horizon", sa.String(length=32), nullable=True),
        sa.Column("quick_win", sa.Boolean(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("lead_agency", sa.Text(), nullable=True),
        sa.Column("budget_idr", sa.BigInteger(), nullable=True),
        sa.Column("start_year", sa.BigInteger(), nullable=True),
        sa.Column("end_year", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["valid_from"],
            ["versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["valid_to"],
            ["versions.id"],
        ),
        sa.PrimaryKeyConstraint("row_id"),
    )
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.create_index("ix_programs_current", ["valid_to", "program_id"], unique=False)

    op.create_table(
        "regions",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=True),
        sa.Column("province_code", sa.Text(), nullable=True),
        sa.Column("province", sa.Text(), nullable=True),
        sa.Column("seat", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["valid_from"],
            ["versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["valid_to"],
            ["versions.id"],
        ),
        sa.PrimaryKeyConstraint("row_id"),
    )
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.create_index("ix_regions_current", ["valid_to", "region_code"], unique=False)

    op.create_table(
        "stages",
        sa.Column("row_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("region_code", sa.String(length=16), nullable=True),
        sa.Column("stage", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("planned_start", sa.Date(), nullable=True),
        sa.Column("planned_end", sa.Date(), nullable=True),
        sa.Column("actual_start", sa.Date(), nullable=True),
        sa.Column("actual_end", sa.Date(), nullable=True),
        sa.Column("venue", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Integer(), nullable=False),
        sa.Column("valid_to", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["valid_from"],
            ["versions.id"],
        ),
        sa.ForeignKeyConstraint(
            ["valid_to"],
            ["versions.id"],
        ),
        sa.PrimaryKeyConstraint("row_id"),
    )
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stages_current", ["valid_to", "region_code", "stage"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_index("ix_stages_current")

    op.drop_table("stages")
    with op.batch_alter_table("regions", schema=None) as batch_op:
        batch_op.drop_index("ix_regions_current")

    op.drop_table("regions")
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_index("ix_programs_current")

    op.drop_table("programs")
    op.drop_table("versions")
    op.drop_table("users")
    op.drop_table("login_throttle")
    op.drop_table("boundary_sets")
    op.drop_table("audit")
