"""The dashboard's application code, one package per responsibility (README, "Code map").

Imports run one way: ui, web and cli (the front ends) -> briefing -> views -> ingest -> geo ->
storage -> core; charts depends on core alone. tests/test_architecture.py checks it.
"""
