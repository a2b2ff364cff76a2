"""Benchmarks for GigGuard: the detector on its own (detector.py) and, later, the bot end to end."""
