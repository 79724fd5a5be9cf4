"""The API contract: actions, parameters, requests, results, errors, rules, regions, ids and the
backend protocol; imports nothing of ours outside this package.
"""
