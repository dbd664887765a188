"""Item pipelines of hdnd-archive."""
