"""time zone per user, repeat anchor and untouched-occurrence link per task, tags folded

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 15:53:58.840941

Schema: `user.timezone` (IANA name, "UTC" for every existing account), `task.anchor_day` (the
day of the month a monthly or yearly repeat keeps) and `task.previous_occurrence_id` (the task
whose completion created this one, while it is untouched).

Data:
- `anchor_day` is the day of each task's due date;
- a repeating task without a due date is due today (UTC, every user's zone after this
  migration), as the app now does when a repeat is set;
- tags are folded as the app now writes them: "#Home" -> "home", "to do" -> "to-do"; a task
  that ends up with the same tag twice keeps one, and a tag that folds to nothing goes.

The code here is a frozen copy of the rules of that day: migrations never import the app.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 500

task = sa.table(
    "task",
    sa.column("id", sa.Integer),
    sa.column("due_date", sa.Date),
    sa.column("recurrence", sa.String),
    sa.column("anchor_day", sa.Integer),
)
task_tag = sa.table(
    "task_tag", sa.column("task_id", sa.Integer), sa.column("tag", sa.String)
)


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy of the table: on SQLite, copying "task" or "user"
    # drops the original, and with foreign keys on that deletes their tags and tasks.
    op.add_column("task", sa.Column("anchor_day", sa.Integer(), nullable=True))
    op.add_column(
        "task", sa.Column("previous_occurrence_id", sa.Integer(), nullable=True)
    )
    op.create_index(
        "ix_task_previous_occurrence_id",
        "task",
        ["previous_occurrence_id"],
        unique=False,
    )
    op.add_column(
        "user",
        sa.Column(
            "timezone",
            sqlmodel.sql.sqltypes.AutoString(length=64),
            server_default="UTC",
            nullable=False,
        ),
    )
    connection = op.get_bind()
    _date_repeating_tasks(connection)
    _anchor_due_dates(connection)
    _fold_tags(connection)


def _date_repeating_tasks(connection: sa.Connection) -> None:
    today = datetime.now(UTC).date()
    connection.execute(
        sa.update(task)
        .where(task.c.recurrence != "none", task.c.due_date.is_(None))
        .values(due_date=today)
    )


def _anchor_due_dates(connection: sa.Connection) -> None:
    connection.execute(
        sa.update(task)
        .where(task.c.due_date.is_not(None))
        .values(anchor_day=sa.cast(sa.extract("day", task.c.due_date), sa.Integer))
    )


def _folded(tag: str) -> str:
    return "-".join(tag.strip().lstrip("#").lower().split())


def _chunks(values: list[int]) -> Iterable[list[int]]:
    for offset in range(0, len(values), _CHUNK):
        yield values[offset : offset + _CHUNK]


def _fold_tags(connection: sa.Connection) -> None:
    # Streamed: only the few tags that change, and the other tags of their tasks, are held.
    rows = connection.execute(
        sa.select(task_tag.c.task_id, task_tag.c.tag).execution_options(yield_per=1000)
    )
    changing = [(task_id, tag) for task_id, tag in rows if _folded(tag) != tag]
    if not changing:
        return
    present: set[tuple[int, str]] = set()
    for ids in _chunks(sorted({task_id for task_id, _tag in changing})):
        present.update(
            (task_id, tag)
            for task_id, tag in connection.execute(
                sa.select(task_tag.c.task_id, task_tag.c.tag).where(
                    task_tag.c.task_id.in_(ids)
                )
            )
        )
    for task_id, tag in changing:
        this_row = sa.and_(task_tag.c.task_id == task_id, task_tag.c.tag == tag)
        folded = _folded(tag)
        if not folded or (task_id, folded) in present:
            connection.execute(sa.delete(task_tag).where(this_row))
        else:
            connection.execute(sa.update(task_tag).where(this_row).values(tag=folded))
            present.add((task_id, folded))
        present.discard((task_id, tag))


def downgrade() -> None:
    # Folded tags stay folded and due dates stay set: both are valid data for revision 0001.
    # Plain DROP COLUMN (SQLite >= 3.35), for the reason given in upgrade().
    op.drop_column("user", "timezone")
    op.drop_index("ix_task_previous_occurrence_id", table_name="task")
    op.drop_column("task", "previous_occurrence_id")
    op.drop_column("task", "anchor_day")
