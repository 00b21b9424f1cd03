"""The operators' command line, `python -m lib.cli` (commands; the briefing command in
briefing). May import any package but ui and web."""
