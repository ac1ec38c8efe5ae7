"""Comparison data, computed from the register (no rendering here): targets as comparable
numbers (quantities.py), which afspraken are on which topic (topics.py), and how the local
numbers stand against the national goals (goals.py). Units and numbers as the reports print
them: units.py.
"""
