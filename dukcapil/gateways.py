"""What carries a message to a phone: the log (the default) or an HTTP SMS/WhatsApp gateway.

A gateway's ``send`` returns a short note of what the gateway answered and raises
``GatewayError`` when the message did not go out. The one in use is named by
DUKCAPIL_SMS_GATEWAY and looked up in this module's own table, never as a dotted path.
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dukcapil.privacy import mask_phone

logger = logging.getLogger(__name__)

# What is kept of a gateway's answer in the attempt record.
ANSWER_LIMIT = 500


class GatewayError(Exception):
    """The gateway did not take the message: unreachable, timed out or refused it."""


class Gateway(Protocol):
    name: str

    def send(self, *, phone: str, body: str) -> str: ...


def phone_international(phone: str) -> str:
    """0812… → 62812…, the form most gateways expect."""
    return "62" + phone[1:] if phone.startswith("0") else phone


class LogGateway:
    """Writes each message to the log, the number masked: nothing leaves the office."""

    name = "log"

    def send(self, *, phone: str, body: str) -> str:
        # WARNING, the level the default LOG_LEVEL shows: here the log is the delivery.
        logger.warning("Pesan ke %s: %s", mask_phone(phone), body)
        return "dicatat di log"


@dataclass(frozen=True)
class HttpGateway:
    """Posts the message to a gateway's URL, as JSON or as a form, with a bearer token.

    ``template`` maps the gateway's field names to values in which {phone}, {phone_intl} and
    {body} are filled in; any 2xx answer means the gateway took the message.
    """

    url: str
    token: str
    template: Mapping[str, object]
    body_format: str = "json"
    timeout: float = 10.0

    name = "http"

    @classmethod
    def from_settings(cls) -> "HttpGateway":
        if not settings.DUKCAPIL_SMS_GATEWAY_URL:
            raise ImproperlyConfigured("DUKCAPIL_SMS_GATEWAY_URL is empty.")
        if settings.DUKCAPIL_SMS_GATEWAY_FORMAT not in ("json", "form"):
            raise ImproperlyConfigured('DUKCAPIL_SMS_GATEWAY_FORMAT must be "json" or "form".')
        try:
            template = json.loads(settings.DUKCAPIL_SMS_GATEWAY_TEMPLATE)
        except json.JSONDecodeError as exc:
            raise ImproperlyConfigured(f"DUKCAPIL_SMS_GATEWAY_TEMPLATE is not JSON: {exc}") from exc
        if not isinstance(template, dict):
            raise ImproperlyConfigured("DUKCAPIL_SMS_GATEWAY_TEMPLATE must be a JSON object.")
        return cls(
            url=settings.DUKCAPIL_SMS_GATEWAY_URL,
            token=settings.DUKCAPIL_SMS_GATEWAY_TOKEN,
            template=template,
            body_format=settings.DUKCAPIL_SMS_GATEWAY_FORMAT,
            timeout=settings.DUKCAPIL_SMS_GATEWAY_TIMEOUT,
        )

    def payload(self, *, phone: str, body: str) -> dict[str, object]:
        def fill(value):
            if not isinstance(value, str):
                return value
            # Plain replacement, not str.format: a message may hold braces of its own.
            value = value.replace("{phone_intl}", phone_international(phone))
            return value.replace("{phone}", phone).replace("{body}", body)

        return {field: fill(value) for field, value in self.template.items()}

    def send(self, *, phone: str, body: str) -> str:
        fields = self.payload(phone=phone, body=body)
        if self.body_format == "json":
            data = json.dumps(fields).encode()
            content_type = "application/json"
        else:
            data = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = response.read(ANSWER_LIMIT).decode(errors="replace")
                return f"HTTP {response.status}: {answer}"
        except urllib.error.HTTPError as exc:
            answer = exc.read(ANSWER_LIMIT).decode(errors="replace")
            raise GatewayError(f"HTTP {exc.code}: {answer}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise GatewayError(f"Gateway tidak terjangkau: {reason}") from exc


GATEWAYS = {"log": LogGateway, "http": HttpGateway.from_settings}


def gateway_from_settings() -> Gateway:
    try:
        make = GATEWAYS[settings.DUKCAPIL_SMS_GATEWAY]
    except KeyError:
        raise ImproperlyConfigured(
            f"DUKCAPIL_SMS_GATEWAY must be one of {sorted(GATEWAYS)}, "
            f"not {settings.DUKCAPIL_SMS_GATEWAY!r}."
        ) from None
    return make()
