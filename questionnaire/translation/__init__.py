"""Translate the content: the texts to translate (walk), their catalogues (catalogue) and their checks (check)."""
