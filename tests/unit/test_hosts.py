"""qr.allowed_hosts: the hosts a deployment encodes, compared in their ASCII (IDNA) form."""

import pytest

from contract.settings import parse
from qr_service.errors import RequestError
from qr_service.hosts import allowed, ascii_host
from qr_service.request import build_request

PATTERNS = parse({"allowed_hosts": ["example.com", "*.Brand.example", "münchen.example"]}).allowed_hosts


def test_patterns_are_kept_in_the_form_links_are_compared_in():
    assert PATTERNS == ("example.com", "*.brand.example", "xn--mnchen-3ya.example")


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("example.com", True),
        ("EXAMPLE.com", True),
        ("example.com.", True),
        ("www.example.com", False),  # example.com is that host only
        ("notexample.com", False),
        ("shop.brand.example", True),
        ("a.b.brand.example", True),
        ("brand.example", False),  # *.brand.example is its subdomains, not itself
        ("evilbrand.example", False),
        ("münchen.example", True),
        ("xn--mnchen-3ya.example", True),
        ("munchen.example", False),
    ],
)
def test_a_host_matches_a_pattern_as_the_issue_says(host, expected):
    assert allowed(host, PATTERNS) is expected


def test_no_patterns_is_any_host():
    assert allowed("anything.example", ())


@pytest.mark.parametrize(
    "bad", ["", "*", "*.", "example", "exa mple.com", "https://example.com", "example.com/x", "-a.com", 7]
)
def test_a_pattern_that_is_not_a_host_name_is_refused_at_synth(bad):
    with pytest.raises(ValueError, match="allowed_hosts"):
        parse({"allowed_hosts": [bad]})


@pytest.mark.parametrize(
    "url",
    [
        "https://other.example/x",
        "other.example",
        "http://brand.example/",
        "https://example.com.evil.example/",
        "ftp-like.example:8080/a",
    ],
)
def test_a_link_to_another_host_is_a_400_at_url_naming_the_allowed_hosts(url):
    with pytest.raises(RequestError) as refused:
        build_request({"url": url}, allowed_hosts=PATTERNS)
    error = refused.value
    assert (error.code, error.field, error.status) == ("url.host_not_allowed", "url", 400)
    assert error.params["allowed"] == "example.com, *.brand.example, xn--mnchen-3ya.example"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/a",
        "example.com",
        "HTTP://EXAMPLE.COM:8443/x?y",
        "https://shop.brand.example",
        "https://münchen.example/straße",
    ],
)
def test_a_link_to_an_allowed_host_is_accepted(url):
    assert build_request({"url": url}, allowed_hosts=PATTERNS).url == url


def test_an_idn_host_is_named_in_ascii_in_the_error():
    with pytest.raises(RequestError) as refused:
        build_request({"url": "https://bücher.example/"}, allowed_hosts=("example.com",))
    assert refused.value.params["host"] == ascii_host("bücher.example") == "xn--bcher-kva.example"
