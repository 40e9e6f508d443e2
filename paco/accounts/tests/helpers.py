"""Small helpers shared by the accounts tests."""

import time

from django_otp.oath import TOTP

PASSWORD = "senha-de-teste-123"  # the cast's password (paco/conftest.py)


def login(client, username, password, *, token=None, next_url=None, path="/conta/entrar/"):
    data = {"username": username, "password": password}
    if token is not None:
        data["otp_token"] = token
    if next_url is not None:
        data["next"] = next_url
    return client.post(path, data)


def totp_code(device, steps_ahead=0):
    """The code an authenticator app shows now (or ``steps_ahead`` periods later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    """A 6-digit code the device will not accept now (outside its ±1 step window)."""
    window = {totp_code(device, s) for s in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1000000) if f"{n:06d}" not in window)
