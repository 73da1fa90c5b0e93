"""The focal point's consolidation of the country queue: forward, return with a note, merge."""
