"""Reusable test helpers (fixtures) for every Paço app."""
