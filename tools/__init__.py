"""Developer tools: the offline Lambda bundle and the smoke test of a running service."""
