"""A bare Django site for the HTTP benchmark only: one view rendering a tiny template.

It is the yardstick of ``bench_http``: what Django and gunicorn alone serve on this machine,
with no database, sessions or product middleware. It is not part of the product's URLs.
"""
