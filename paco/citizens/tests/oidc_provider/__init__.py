"""A real OpenID Connect provider for the citizens tests (django-oauth-toolkit, RS256).

It stands in for gov.br's Login Único: ``sub`` is the CPF, ``reliability_info`` carries
the account level, PKCE is required. :mod:`.serve` runs it as its own process on a free
port (see ``paco/citizens/tests/provider.py``).
"""
