"""Outgoing webhooks: the body of one event in a webhook's format, its signature, and the
HTTP call that delivers it.

Three formats: `json` (`{event, org_id, occurred_at, data}`, for programs), and the
incoming-webhook messages of Slack (`{text, blocks}`) and Microsoft Teams (an Adaptive
Card). Every call carries `X-Tracker-Signature: sha256=<hex HMAC-SHA256 of the raw body>`,
so a receiver can check the body came from this instance untouched. The human text of the
Slack and Teams messages is rendered in the active locale: the caller wraps the rendering
in `flask_babel.force_locale` with the organization's language.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

SIGNATURE_HEADER = "X-Tracker-Signature"
#: The most characters of an error or a response kept in the delivery log.
ERROR_CHARS = 500
#: Answers that say "try again later" although they are 4xx.
RETRYABLE_4XX = frozenset({408, 425, 429})

STATUS_WORDS = {"proposed": _l("proposed"), "approved": _l("approved"),
                "in_progress": _l("in progress"), "piloting": _l("piloting"),
                "done": _l("done"), "dropped": _l("dropped")}
DECISION_WORDS = {"generalize": _l("generalize"), "adjust": _l("adjust"), "stop": _l("stop")}


@dataclass(frozen=True)
class Event:
    """One event of an organization, as every format renders it: `link` is the page of
    the record it is about (absolute URL), shown as a button in chat messages."""

    name: str
    org_id: int
    org_name: str
    occurred_at: datetime
    data: Mapping[str, Any]
    link: str


@dataclass(frozen=True)
class Outcome:
    """What one POST gave: `sent` (a 2xx), `retry` (a network error, a 5xx, a 408/429) or
    `failed` (any other answer: the receiver refuses the message for good)."""

    status: str
    response_status: int | None
    error: str | None


def render(fmt: str, event: Event) -> str:
    """The exact body posted for `event` in the format `fmt` (`json`, `slack`, `teams`)."""
    payload = {"json": json_payload, "slack": slack_payload, "teams": teams_payload}[fmt](event)
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str)


def json_payload(event: Event) -> dict[str, Any]:
    """The `json` format: `{event, org_id, occurred_at, data}` (DESIGN section 5)."""
    return {"event": event.name, "org_id": event.org_id,
            "occurred_at": event.occurred_at.isoformat(), "data": dict(event.data)}


def slack_payload(event: Event) -> dict[str, Any]:
    """A Slack incoming-webhook message: `text` (notifications, fallback) and blocks with
    the organization's name, the sentence and a button to the record's page."""
    text = summary(event)
    heading = _slack_escape(event.org_name)
    return {"text": text, "blocks": [
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": f"*{heading}*\n{_slack_escape(text)}"}},
        {"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": _("Open in tracker")},
             "url": event.link}]}]}


def teams_payload(event: Event) -> dict[str, Any]:
    """A Microsoft Teams incoming-webhook (Workflows) message carrying one Adaptive Card:
    the organization's name, the sentence and an action opening the record's page."""
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard", "version": "1.4",
            "body": [{"type": "TextBlock", "text": event.org_name, "weight": "Bolder",
                      "size": "Medium"},
                     {"type": "TextBlock", "text": summary(event), "wrap": True}],
            "actions": [{"type": "Action.OpenUrl", "title": _("Open in tracker"),
                         "url": event.link}]}
    return {"type": "message", "summary": summary(event), "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None,
         "content": card}]}


def summary(event: Event) -> str:
    """The event as one sentence in the active locale, for people."""
    return _SENTENCES.get(event.name, _other)(event.data)


def _assessment_opened(data: Mapping[str, Any]) -> str:
    return _("The assessment “%(title)s” is open.", title=data.get("title", ""))


def _assessment_closed(data: Mapping[str, Any]) -> str:
    return _("The assessment “%(title)s” is closed.", title=data.get("title", ""))


def _barometer_sent(data: Mapping[str, Any]) -> str:
    count = int(data.get("recipients") or 0)
    return ngettext("The barometer of %(period)s was sent to %(num)d person.",
                    "The barometer of %(period)s was sent to %(num)d people.", count,
                    period=data.get("period", ""))


def _status_changed(data: Mapping[str, Any]) -> str:
    return _("The initiative “%(title)s” moved from %(before)s to %(after)s.",
             title=data.get("title", ""), before=_word(STATUS_WORDS, data.get("from")),
             after=_word(STATUS_WORDS, data.get("to")))


def _pilot_decided(data: Mapping[str, Any]) -> str:
    return _("The pilot of “%(initiative)s” is decided: %(decision)s.",
             initiative=data.get("initiative_title", ""),
             decision=_word(DECISION_WORDS, data.get("decision")))


def _decision_logged(data: Mapping[str, Any]) -> str:
    return _("A decision is logged: “%(title)s”.", title=data.get("title", ""))


def _test(data: Mapping[str, Any]) -> str:
    return _("This is a test message from tracker: the webhook works.")


def _other(data: Mapping[str, Any]) -> str:
    return _("Something changed in the organization.")


_SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "assessment.opened": _assessment_opened, "assessment.closed": _assessment_closed,
    "barometer.sent": _barometer_sent, "initiative.status_changed": _status_changed,
    "pilot.decided": _pilot_decided, "decision.logged": _decision_logged,
    "webhook.test": _test}


def _word(words: Mapping[str, Any], code: Any) -> str:
    """The translated word of a code, the code itself when it has none."""
    return str(words.get(code, code or ""))


def _slack_escape(text: str) -> str:
    """Text safe inside Slack's mrkdwn (`&`, `<` and `>` are its control characters).

    >>> _slack_escape("R&D <team>")
    'R&amp;D &lt;team&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def signature(secret: str, body: bytes) -> str:
    """`sha256=<hex HMAC-SHA256 of body with secret>`, the `X-Tracker-Signature` value.

    >>> signature("s", b"{}")
    'sha256=143ca8d517ba1b181025d732b1cf275d90104fca57bb02a565542978aa18c4b6'
    """
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def private_address(url: str) -> str | None:
    """The first address `url`'s host resolves to that is not on the public internet
    (loopback, private, link-local such as a cloud's metadata service, reserved), or None;
    a host that does not resolve gives None (the call then fails and is retried).

    >>> private_address("http://127.0.0.1:8000/hook")
    '127.0.0.1'
    >>> private_address("https://[::1]/hook")
    '::1'
    """
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return str(address)
    return None


def post(url: str, body: str, secret: str, event: str, delivery_id: int,
         timeout: float, allow_private: bool = False) -> Outcome:
    """POST `body` to `url`, signed with `secret`, within `timeout` seconds; refused (no
    retry) when the host is on a loopback or private network, unless `allow_private`, so
    that a webhook cannot make this server call the services beside it."""
    if not allow_private and (address := private_address(url)):
        return Outcome("failed", None, _(
            "Refused: %(host)s is a private or local network address (%(address)s). An "
            "operator may allow it with TRACKER_WEBHOOK_ALLOW_PRIVATE=on.",
            host=urlsplit(url).hostname, address=address))
    raw = body.encode()
    headers = {"Content-Type": "application/json; charset=utf-8",
               "User-Agent": "tracker-webhooks", SIGNATURE_HEADER: signature(secret, raw),
               "X-Tracker-Event": event, "X-Tracker-Delivery": str(delivery_id)}
    try:
        response = requests.post(url, data=raw, headers=headers, timeout=timeout,
                                 allow_redirects=False)
    except requests.RequestException as error:
        return Outcome("retry", None, f"{type(error).__name__}: {error}"[:ERROR_CHARS])
    return _outcome(response)


def _outcome(response: requests.Response) -> Outcome:
    """Sent on a 2xx; otherwise the status and the start of the answer, to retry or not."""
    code = response.status_code
    if 200 <= code < 300:
        return Outcome("sent", code, None)
    error = f"HTTP {code}: {response.text[:ERROR_CHARS]}".strip()
    final = 400 <= code < 500 and code not in RETRYABLE_4XX
    return Outcome("failed" if final else "retry", code, error)
