"""The hdnd command line and Python API."""
