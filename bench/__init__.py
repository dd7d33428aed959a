"""Benchmark the rule engine against its peers, rule-set scale, and HTTP under gunicorn.

Run with ``python -m bench`` (``make bench``); ``--quick`` for a short run. Figures go to
``bench-results.json``.
"""
