"""WARC writing, reading, indexing, replay and verification."""
