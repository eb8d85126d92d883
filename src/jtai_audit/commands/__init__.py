"""Each command is a typed function returning an exit code, so tests call it without the CLI."""
