"""Paço: an open digital-government platform for Brazilian municipalities."""
