"""Review rounds: dates, versions under review, participating countries, extensions and guiding questions."""
