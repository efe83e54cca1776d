"""Command line: ``python -m bot run | webhook | migrate | load-demo | load-region | import | sandbox``."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import logging
import signal
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.logs import setup_logging
from bot.settings import Settings
from locales import Translations, Translator
from storage.importers import KINDS

log = logging.getLogger("bot")


async def run(settings: Settings) -> int:
    """Long polling of every messenger whose token is set (Telegram, MAX or both) into one
    dispatcher, with the tick and the broadcast sender beside it (one machine, SQLite or not)."""
    from bot.factory import (
        create_bots,
        create_dispatcher,
        freeze_startup_objects,
        open_database,
        set_commands,
        utc_clock,
    )
    from bot.max.bot import MAX, TELEGRAM, MaxBot
    from bot.max.polling import poll
    from bot.workers import Background

    db = await open_database(settings)
    translations = Translations()
    bots = create_bots(settings)
    telegram, max_bot = bots.for_messenger(TELEGRAM), bots.for_messenger(MAX)
    dp = create_dispatcher(settings, db.sessionmaker, translations=translations)
    background = Background(
        bots, db.engine, db.sessionmaker, translations, utc_clock, settings, wakeup=dp["outbox_wakeup"]
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    pollers: list[asyncio.Task[None]] = []
    failed = False
    try:
        if telegram is not None:
            # A webhook left from a webhook deployment would make Telegram refuse getUpdates.
            await telegram.delete_webhook(drop_pending_updates=False)
            await set_commands(telegram, translations, settings.default_locale)
        background.start()
        freeze_startup_objects()
        if telegram is not None:
            pollers.append(
                asyncio.create_task(
                    # The session stays open for the senders' messages on their way when polling
                    # stops; it is closed below, after the background has drained.
                    dp.start_polling(
                        telegram,
                        handle_signals=False,
                        close_bot_session=False,
                        allowed_updates=dp.resolve_used_update_types(),
                    ),
                    name="telegram",
                )
            )
        if isinstance(max_bot, MaxBot):
            pollers.append(asyncio.create_task(poll(dp, max_bot, stop), name="max"))
        log.info("polling started", extra={"messengers": [task.get_name() for task in pollers]})
        # Until a signal, or a poller ending by itself (it failed: the others stop too).
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait([stopping, *pollers], return_when=asyncio.FIRST_COMPLETED)
        stop.set()
        stopping.cancel()
        if telegram is not None:
            with contextlib.suppress(RuntimeError):  # not polling (any more)
                await dp.stop_polling()
        # The updates in hand are finished.
        for task in asyncio.as_completed(pollers):
            try:
                await task
            except Exception:
                log.exception("polling failed")  # e.g. a wrong MAX_TOKEN: GET /me refused
                failed = True
    finally:
        # The message being sent is finished and marked; leased rows go back for the next start.
        await background.stop()
        for bot in bots:
            await bot.session.close()
        await dp.storage.close()
        await db.close()
        log.info("stopped")
    return 1 if failed else 0


async def migrate(settings: Settings) -> int:
    from bot.factory import open_database

    db = await open_database(settings, load_regions=False)
    await db.close()
    print("migrations applied")
    return 0


async def load_regions(settings: Settings, files: list[Path]) -> int:
    from bot.factory import open_database
    from storage.regions_loader import RegionConfigError, load_region, read_region_file, shipped_region_files

    try:
        configs = [read_region_file(path) for path in (files or shipped_region_files())]
    except RegionConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    db = await open_database(settings, load_regions=False)
    try:
        async with db.sessionmaker() as session:
            for config in configs:
                await load_region(session, config)
            await session.commit()
    finally:
        await db.close()
    for config in configs:
        print(f"loaded region {config.code}: {len(config.municipalities)} municipalities")
    return 0


async def load_demo(settings: Settings) -> int:
    """The shipped regions, then the demo catalogue (programmes, internship sites, events)."""
    from bot.factory import open_database
    from storage.importers import load_demo_catalogue

    code = await load_regions(settings, [])
    if code:
        return code
    db = await open_database(settings, load_regions=False)
    try:
        async with db.sessionmaker() as session:
            reports = await load_demo_catalogue(session)
            await session.commit()
    finally:
        await db.close()
    for report in reports:
        print(f"loaded demo {report.kind}: {report.created} created, {report.updated} updated")
    return 0


def import_file(settings: Settings, kind: str, path: Path, region: str) -> int:
    """Import one catalogue file; exit code 2 when the file was rejected (nothing written)."""
    t = Translations().get(settings.default_locale)
    try:
        content = path.read_bytes()
    except OSError as exc:
        message = t("cli-import-cannot-read", path=str(path), reason=exc.strerror or str(exc))
        print(html.unescape(message), file=sys.stderr)  # the translator escapes for Telegram's HTML
        return 2
    return asyncio.run(_import_content(settings, t, kind, path.name, content, region))


async def _import_content(
    settings: Settings, t: Translator, kind: str, filename: str, content: bytes, region: str
) -> int:
    from bot.factory import open_database, telegram_presenters, utc_clock
    from services import catalogues
    from services.uow import UnitOfWork

    db = await open_database(settings)
    try:
        async with db.sessionmaker() as session:
            uow = UnitOfWork(session, utc_clock)
            if kind == "records":  # contests, опыт, roles: not a catalogue (storage/records_import.py)
                from services import records

                result = await records.import_file(uow, region, filename, content)
            else:
                result = await catalogues.import_file(uow, kind, region, filename, content)
    finally:
        await db.close()
    if isinstance(result, catalogues.Rejected):
        print(telegram_presenters().import_file_error(result.error, t, plain=True), file=sys.stderr)
        return 2
    report = result.report
    # A terminal has no message limit: list every error.
    print(
        telegram_presenters().import_report(report, t, limit=len(report.errors), plain=True, max_chars=None)
    )
    return 0 if report.applied else 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="ЕФС teacher-support bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "run", help="run the bot with long polling on Telegram (BOT_TOKEN), MAX (MAX_TOKEN) or both"
    )
    sub.add_parser(
        "webhook",
        help="run one webhook worker (BOT_TOKEN and/or MAX_TOKEN, WEBHOOK_BASE_URL; README: Deployment)",
    )
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser(
        "load-demo",
        help="load the shipped regions (demo: Kostroma), their directories and the demo catalogue",
    )
    region = sub.add_parser("load-region", help="load or update a region from a YAML file")
    region.add_argument("files", nargs="+", type=Path)
    importer = sub.add_parser(
        "import", help="import a catalogue from a CSV or XLSX file (storage/catalog/README.md)"
    )
    importer.add_argument("kind", choices=(*KINDS, "records"))
    importer.add_argument("file", type=Path)
    importer.add_argument("--region", help="region code (default: REGION from the settings)")
    sandbox = sub.add_parser(
        "sandbox",
        help="the bot in this terminal, without Telegram: several people (:as N), a clock (:later 1d)",
    )
    sandbox.add_argument("--user-id", type=int, default=1001, help="your pretend Telegram id at the start")
    sandbox.add_argument(
        "--admin", action="store_true", help="make that user an admin (others: ADMIN_IDS=9001,9002)"
    )
    sandbox.add_argument("--database", help="database URL (default: a sandbox file under ./data)")
    sandbox.add_argument(
        "--messenger",
        choices=("telegram", "max"),
        default="telegram",
        help="the messenger to pretend to be (MAX: its keyboards, limits and stand-in)",
    )
    args = parser.parse_args(argv)

    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"configuration error:\n{exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level if args.command != "sandbox" else "WARNING", settings.log_format)

    if args.command in ("run", "webhook") and settings.bot_token is None and settings.max_token is None:
        print(Translations().get(settings.default_locale)("cli-no-token"), file=sys.stderr)
        return 2
    if args.command == "run":
        return asyncio.run(run(settings))
    if args.command == "webhook":
        if not settings.webhook_base_url:
            t = Translations().get(settings.default_locale)
            print(html.unescape(t("cli-no-webhook-url", path=settings.webhook_path)), file=sys.stderr)
            return 2
        from bot.webhook import serve

        serve(settings)
        return 0
    if args.command == "migrate":
        return asyncio.run(migrate(settings))
    if args.command == "load-demo":
        return asyncio.run(load_demo(settings))
    if args.command == "import":
        return import_file(settings, args.kind, args.file, args.region or settings.region)
    if args.command == "load-region":
        return asyncio.run(load_regions(settings, args.files))
    from bot.sandbox import run_sandbox

    return asyncio.run(
        run_sandbox(
            settings, args.user_id, admin=args.admin, database_url=args.database, messenger=args.messenger
        )
    )


if __name__ == "__main__":
    sys.exit(main())
