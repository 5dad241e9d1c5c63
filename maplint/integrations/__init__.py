"""Front doors into other tools: the language server (lsp.py)."""
