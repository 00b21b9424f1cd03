"""Alert icons: Material Symbols, whose font Streamlit bundles and serves itself (static/media/
MaterialSymbols-Rounded.*.woff2), so they draw offline. Emoji drew as empty boxes on machines
without an emoji font."""

WARNING = ":material/warning:"
LOCKED = ":material/lock:"
INFO = ":material/info:"
PINNED = ":material/history:"
STALE = ":material/sync_problem:"
DONE = ":material/check_circle:"
ERROR = ":material/error:"
PENDING = ":material/hourglass_top:"
RETURNED = ":material/undo:"
