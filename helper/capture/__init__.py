"""Evidence capture: the URL guard, the warm capture browser, URL captures, tab snapshots, jobs.

Nothing here imports Playwright at module import time: the daemon's cold start must stay
fast, so the browser (and Playwright) start on the first capture.
"""
