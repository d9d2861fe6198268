"""Synthetic Germany for scale tests and benchmarks (``manage.py generate_synthetic``).

Everything is drawn from random generators seeded with the ``--seed`` value (one generator per
stage, so changing the number of events does not change the projects) and written with
``bulk_create``. Generated rows are recognisable, so ``--clear`` removes exactly them: slugs
begin with ``SLUG_PREFIX``, regions carry ``REGION_MARK`` in their official name, people have
addresses of the form ``vorname.nachname.N@example.org``.
"""

SLUG_PREFIX = "synth--"  # slugify() never makes "--", so no real name gets this prefix
REGION_MARK = "(synthetisch)"
EMAIL_DOMAIN = "example.org"
