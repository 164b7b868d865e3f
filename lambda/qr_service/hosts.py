"""The hosts a deployment will encode (`qr.allowed_hosts`): `example.com` is that host, `*.example.com`
any subdomain of it (not example.com itself). Hosts and patterns compare in their ASCII (IDNA) form,
lower case, so `münchen.example` and `xn--mnchen-3ya.example` are one host."""


def ascii_host(host: str) -> str | None:
    """The host as DNS carries it (punycode for internationalised labels), lower case; None if it has none."""
    try:
        return host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None


def allowed(raw_host: str, patterns: tuple[str, ...]) -> bool:
    """Whether a link's host matches one of the patterns (already in their ASCII form); any host without any."""
    if not patterns:
        return True
    host = ascii_host(raw_host)
    if host is None:
        return False
    for pattern in patterns:
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and host != pattern[2:]:
                return True
        elif host == pattern:
            return True
    return False
