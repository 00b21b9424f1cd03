"""The store and who may write to it: versioned tables over SQLAlchemy (store), one engine per
database URL for the process (engines), the diff that turns a table into a version, Alembic
migrations, accounts, rights and the audit log, sign-in sessions, and history (compare, roll
back). May import lib.core."""
