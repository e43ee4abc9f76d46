"""Complaint drafting engine: catalog, drafts, tone linter, demand checker, deadlines.

Pure Python and deterministic: no network, no models; every input a buyer typed is
treated as untrusted text.
"""
