"""The revisions feature."""
