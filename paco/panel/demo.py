"""placeholder"""


def load(town, units):
    return None
