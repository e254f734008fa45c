"""Tests of the Python SDK: python3 sdk/python/tests/run.py (or python3 -m unittest discover -s sdk/python/tests)."""
