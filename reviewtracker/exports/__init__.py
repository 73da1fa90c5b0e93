"""The exports feature."""
