"""The one-page briefing: what it says (content), its PDF/PNG layout (pdf) and the files handed
to users (export). May import core, storage, ingest, charts and views."""
