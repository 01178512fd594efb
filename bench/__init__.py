"""Benchmarks that print figures (not timed tests); `serverkit` is shared with the process tests."""
