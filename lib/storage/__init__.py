"""The store and who may write to it: versioned tables over SQLAlchemy (store), the diff that
turns a table into a version, Alembic migrations, accounts, rights and the audit log, sign-in
sessions, and history (compare, roll back). May import lib.core."""
