"""Guidance documents, their versions, each version's section tree and the outline import."""
