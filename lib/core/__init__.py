"""The domain's words and rules: the data contract (schema), vocabularies, languages and the
message catalogue, value parsing, derived figures (metrics), scopes and settings.
Imports nothing else of lib."""
