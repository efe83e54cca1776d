"""Settings from the environment and `.env`, one section of concern each."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.audience import FREE_RATE, MAX_RATE, PAID_RATE
from locales import SUPPORTED

TELEGRAM_API_URL = "https://api.telegram.org"
# dev.max.ru asks bots to call platform-api2.max.ru instead of platform-api.max.ru (its TLS
# certificate is issued by the Russian Ministry of Digital Development's CA: README, «MAX»).
MAX_API_URL = "https://platform-api2.max.ru"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = "sqlite+aiosqlite:///./data/bot.db"
    telegram_api_url: str = TELEGRAM_API_URL
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    # MAX (README, «MAX»): a bot token from business.max.ru; its admins by their MAX user ids.
    max_token: SecretStr | None = None
    max_api_url: str = MAX_API_URL
    max_webhook_secret: SecretStr | None = None
    max_webhook_path: str = "/max/webhook"
    max_admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    default_locale: str = "ru"
    timezone: str = "Europe/Moscow"
    region: str = "kostroma"
    log_level: str = "INFO"
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 30)
    # Broadcasts' and reminders' shares of Telegram's ~30 messages/s, per bot: shared through Redis
    # when REDIS_URL is set, otherwise split evenly between the WORKERS.
    broadcast_rate: float = Field(default=25, ge=1, le=PAID_RATE)
    outbox_rate: float = Field(default=5, gt=0, le=30)
    # Telegram's paid broadcasts: up to 1,000 messages/s, the messages past the free limit paid in
    # Stars from the bot's balance. Opt-in; BROADCAST_RATE above 30 needs it.
    allow_paid_broadcast: bool = False
    # MAX's own shares of its platform limit, 30 requests a second per bot (MAX Bot API FAQ, as
    # GREEN-API publishes it: «максимальное количество запросов в секунду на platform-api.max.ru
    # — 30 rps»), paced apart from Telegram's; MAX has no paid broadcasts.
    max_broadcast_rate: float = Field(default=25, ge=1, le=MAX_RATE)
    max_outbox_rate: float = Field(default=5, gt=0, le=MAX_RATE)

    # Past one machine (README, "Deployment"): FSM and per-user locks in Redis, updates by webhook.
    redis_url: str | None = None
    webhook_base_url: str | None = None  # the public https address Telegram posts to
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64)  # how many webhook workers share the limits
    log_format: Literal["text", "json"] = "text"

    @model_validator(mode="after")
    def _paid_to_go_faster(self) -> Settings:
        if self.broadcast_rate > FREE_RATE and not self.allow_paid_broadcast:
            raise ValueError(
                f"BROADCAST_RATE above {FREE_RATE} needs ALLOW_PAID_BROADCAST=true"
                " (Telegram's paid broadcasts, in Stars)"
            )
        return self

    @field_validator("admin_ids", "max_admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in value.replace(";", ",").replace(" ", ",").split(",") if p]
            try:
                return tuple(int(p) for p in parts)
            except ValueError:
                raise ValueError("ADMIN_IDS must be Telegram user ids separated by commas") from None
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("max_webhook_secret")
    @classmethod
    def _max_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not re.fullmatch(r"[A-Za-z0-9_-]{5,256}", value.get_secret_value()):
            raise ValueError("MAX_WEBHOOK_SECRET must be 5-256 characters of A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("default_locale")
    @classmethod
    def _supported_locale(cls, value: str) -> str:
        if value not in SUPPORTED:
            raise ValueError(f"DEFAULT_LOCALE must be one of {', '.join(SUPPORTED)}")
        return value

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()
