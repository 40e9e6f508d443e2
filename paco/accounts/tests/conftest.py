from paco.testing.smtp import smtp_server, smtp_settings  # noqa: F401
