"""A function with a missing or bad setting fails its cold start with the setting named, not at the first request."""

import pytest

from qr_service import config

GOOD = {
    "TABLE_NAME": "t",
    "BUCKET_NAME": "b",
    "EVENT_BUS_NAME": "e",
    "QR_BASE_URL": "https://cdn.example/",
    "ALLOWED_ORIGIN": "https://a.example, http://127.0.0.1:8000",
}


def settings_with(monkeypatch, **changes):
    for name, value in {**GOOD, **changes}.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    config.read_again()
    try:
        return config.create_qr_settings.__wrapped__()
    finally:
        config.read_again()


def test_good_settings_are_normalized(monkeypatch):
    monkeypatch.delenv("CACHE_TTL_SECONDS", raising=False)
    settings = settings_with(monkeypatch)
    assert settings.qr_base_url == "https://cdn.example"
    assert settings.allowed_origins == ("https://a.example", "http://127.0.0.1:8000")
    assert settings.cache_ttl_seconds == config.DEFAULT_CACHE_TTL_SECONDS


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"TABLE_NAME": None}, KeyError, "TABLE_NAME"),
        ({"ALLOWED_ORIGIN": " , "}, ValueError, "ALLOWED_ORIGIN must name at least one origin"),
        ({"CACHE_TTL_SECONDS": "0"}, ValueError, "CACHE_TTL_SECONDS must be a positive number"),
        ({"CACHE_TTL_SECONDS": "a day"}, ValueError, "CACHE_TTL_SECONDS must be a positive number"),
        ({"ACCESS": "private"}, ValueError, "ACCESS must be one of public, key, got 'private'"),
    ],
)
def test_a_bad_setting_fails_with_its_name(monkeypatch, changes, error, message):
    with pytest.raises(error, match=message):
        settings_with(monkeypatch, **changes)


@pytest.mark.parametrize(("access", "required"), [(None, False), ("", False), ("public", False), ("key", True)])
def test_access_says_whether_qr_needs_a_key(monkeypatch, access, required):
    assert settings_with(monkeypatch, ACCESS=access).key_required is required
