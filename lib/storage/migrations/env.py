"""Alembic environment. The app passes its own connection (config.attributes["connection"]),
already inside the transaction that holds the migration lock; nothing here opens another."""

from alembic import context

from lib.storage import store
from lib.storage.migrations import import_model

import_model()
connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=store.metadata,
    # SQLite cannot ALTER most things: batch mode copies the table, so one revision serves both.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
