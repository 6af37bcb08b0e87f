"""The HTTP gateway against a local HTTP server the test starts: the URL, the bearer token and
the body it posts, and what it makes of a refusal or no answer at all."""

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured

from dukcapil.gateways import GatewayError, HttpGateway, gateway_from_settings
from dukcapil.models import OutboxMessage, OutboxStatus
from dukcapil.outbox import messages_enqueue, outbox_send_due

PHONE = "081234567890"
TEMPLATE = {"target": "{phone_intl}", "message": "{body}", "countryCode": "62"}


class Gateway(BaseHTTPRequestHandler):
    """Records each request; answers with the server's ``status``."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.received.append((self.path, dict(self.headers), self.rfile.read(length)))
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"status": true, "id": "abc123"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    httpd.received, httpd.status = [], 200
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}/send"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def gateway(url: str, body_format: str = "json") -> HttpGateway:
    return HttpGateway(
        url=url, token="rahasia-token", template=TEMPLATE, body_format=body_format, timeout=5
    )


def test_it_posts_json_with_the_bearer_token(server):
    answer = gateway(server.url).send(phone=PHONE, body="KTP-el {Anda} sudah dicetak.")

    assert answer == 'HTTP 200: {"status": true, "id": "abc123"}'
    [(path, headers, body)] = server.received
    assert path == "/send"
    assert headers["Authorization"] == "Bearer rahasia-token"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {
        "target": "6281234567890",
        "message": "KTP-el {Anda} sudah dicetak.",
        "countryCode": "62",
    }


def test_it_posts_a_form_when_configured_so(server):
    gateway(server.url, "form").send(phone=PHONE, body="KTP-el sudah dicetak & siap.")

    [(_path, headers, body)] = server.received
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(body.decode()) == {
        "target": ["6281234567890"],
        "message": ["KTP-el sudah dicetak & siap."],
        "countryCode": ["62"],
    }


def test_a_refusal_is_a_gateway_error_with_the_answer(server):
    server.status = 401
    with pytest.raises(GatewayError, match="HTTP 401"):
        gateway(server.url).send(phone=PHONE, body="x")


def test_no_server_is_a_gateway_error(server):
    url = server.url
    server.shutdown()
    server.server_close()
    with pytest.raises(GatewayError, match="tidak terjangkau"):
        gateway(url).send(phone=PHONE, body="x")


@pytest.mark.django_db
def test_the_worker_sends_through_the_configured_gateway_and_keeps_a_refused_message(
    server, settings
):
    settings.DUKCAPIL_SMS_GATEWAY = "http"
    settings.DUKCAPIL_SMS_GATEWAY_URL = server.url
    settings.DUKCAPIL_SMS_GATEWAY_TOKEN = "rahasia-token"
    settings.DUKCAPIL_SMS_GATEWAY_TEMPLATE = json.dumps(TEMPLATE)
    messages_enqueue([OutboxMessage(kind="uji", phone=PHONE, body="pertama")])
    server.status = 503

    assert outbox_send_due() == 1

    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.RETRYING
    attempt = message.attempts.get()
    assert attempt.gateway == "http" and attempt.detail.startswith("GatewayError: HTTP 503")
    assert len(server.received) == 1


def test_a_misconfigured_gateway_is_refused_at_start(settings):
    settings.DUKCAPIL_SMS_GATEWAY = "http"
    settings.DUKCAPIL_SMS_GATEWAY_URL = ""
    with pytest.raises(ImproperlyConfigured, match="URL"):
        gateway_from_settings()
    settings.DUKCAPIL_SMS_GATEWAY = "pos"
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        gateway_from_settings()
