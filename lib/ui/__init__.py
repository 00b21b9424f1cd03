"""Streamlit helpers the pages share: language, sign-in, store and caches, scope picker,
widgets, map, previews. The only package besides lib.web that imports streamlit."""
