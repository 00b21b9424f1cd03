"""What a reader sees, as plain DataFrames and text in their language: page tables, changes in
words, versions, the audit log, problem lists, refusals and boundary match reports. No
Streamlit. May import core, storage, ingest and geo."""
