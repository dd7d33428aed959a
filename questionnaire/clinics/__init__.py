"""Clinic use: invitations, server-side drafts, submissions, an inbox and retention.

Plain Python over SQLAlchemy (no Flask import), so the command line, the web layer, the tests and
the benchmarks share one storage layer. Anonymous use never reaches this package.
"""
