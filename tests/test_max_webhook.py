"""MAX's webhook in a webhook worker, beside Telegram's: subscribed on start with a secret, POSTs
without it refused, an update answered once handled."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bot.factory import create_bot
from bot.max.webhook import SECRET_HEADER
from bot.settings import Settings
from bot.webhook import create_app
from max_stub import MaxStub, MaxStubServer
from telegram_stub import StubSession, TelegramStub


async def test_max_webhook_subscribes_checks_the_secret_and_serves_updates(settings: Settings) -> None:
    max_stub = MaxStub()
    async with MaxStubServer(max_stub) as max_server:
        worker_settings = settings.model_copy(
            update={
                "webhook_base_url": "https://bot.example.org",
                "max_token": SecretStr("max-webhook-token"),
                "max_api_url": max_server.url,
                "max_webhook_secret": SecretStr("max-secret-123"),
            }
        )
        bot = create_bot(worker_settings, session=StubSession(TelegramStub()))
        app = await create_app(worker_settings, bot=bot)
        async with TestClient(TestServer(app)) as client:
            assert max_stub.subscriptions == [
                {
                    "url": "https://bot.example.org/max/webhook",
                    "update_types": ["message_created", "message_callback", "bot_started"],
                    "secret": "max-secret-123",
                }
            ]
            update = max_stub.start(9009)
            for wrong in ({}, {SECRET_HEADER: "guess"}):
                response = await client.post("/max/webhook", json=update, headers=wrong)
                assert response.status == 401
            assert max_stub.sent_to(9009) == []
            response = await client.post(
                "/max/webhook", json=update, headers={SECRET_HEADER: "max-secret-123"}
            )
            assert response.status == 200
            assert any("Согласие" in m.plain_text for m in max_stub.sent_to(9009))
    assert max_stub.violations == []


async def test_a_webhook_worker_with_only_max_token_serves_max(settings: Settings) -> None:
    max_stub = MaxStub()
    async with MaxStubServer(max_stub) as max_server:
        worker_settings = settings.model_copy(
            update={
                "bot_token": None,
                "webhook_base_url": "https://bot.example.org",
                "max_token": SecretStr("max-only-token"),
                "max_api_url": max_server.url,
            }
        )
        app = await create_app(worker_settings)
        async with TestClient(TestServer(app)) as client:
            [subscription] = max_stub.subscriptions
            secret = subscription["secret"]
            assert len(secret) == 64 and "max-only-token" not in secret  # derived, not the token
            telegram = await client.post("/telegram/webhook", json={"update_id": 1})
            assert telegram.status == 404  # no Telegram here
            update = max_stub.start(9010)
            response = await client.post("/max/webhook", json=update, headers={SECRET_HEADER: secret})
            assert response.status == 200
            assert any("Согласие" in m.plain_text for m in max_stub.sent_to(9010))
    assert max_stub.violations == []
