"""DAP request handlers, one module per concern; each registers with `commands.command`."""
