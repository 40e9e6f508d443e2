"""A bare Django project: the baseline of ``make bench`` (issue 9 §4).

One view answering ``hello``, no middleware, no database, no templates — what a
Django page costs when the framework does nothing else. ``bench/run.py`` serves
it with gunicorn, 2 sync workers, on the same machine as Paço, and reports each
Paço page's throughput as a fraction of this one's.
"""
