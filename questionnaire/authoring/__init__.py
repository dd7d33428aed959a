"""Tools for content teams: check, test, coverage, explain, diff."""
