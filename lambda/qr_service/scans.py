"""What one scan of a dynamic code is counted as: a person or a bot, and a country, from the request's
headers alone. Nothing here is stored: the counters (qr_service.codes) keep numbers, never the headers."""

import re

# Crawlers and link previewers that fetch short links before (or instead of) people.
_BOTS = re.compile(
    r"bot\b|bot/|crawler|spider|preview|slurp|facebookexternalhit|facebookcatalog|whatsapp|telegrambot|"
    r"discordbot|linkedinbot|slackbot|twitterbot|applebot|embedly|skypeuripreview|bingpreview|"
    r"google-inspectiontool|headlesschrome|python-requests|curl/|wget/|go-http-client|okhttp",
    re.IGNORECASE,
)
_COUNTRY = re.compile(r"[A-Z]{2}")
UNKNOWN_COUNTRY = "unknown"
# CloudFront adds it when the origin request policy names it (stacks/codes.py); make run has none.
COUNTRY_HEADER = "CloudFront-Viewer-Country"


def is_bot(user_agent: str | None) -> bool:
    """A missing user agent is a program, not a phone's camera or browser."""
    return not user_agent or bool(_BOTS.search(user_agent))


def country(header: str | None) -> str:
    """The viewer's ISO country code as CloudFront says it, else "unknown"."""
    code = (header or "").strip().upper()
    return code if _COUNTRY.fullmatch(code) else UNKNOWN_COUNTRY
