"""The logic behind the two handlers: request parsing, cache, rendering, storage and events."""
