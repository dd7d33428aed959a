"""The command line: ``main`` runs it, ``common`` holds what the subcommands share (no import cycle)."""
