"""Tests for ../shared/RELIABILITY.md: one module per section; test_catalogue.py maps every line to its tests."""
