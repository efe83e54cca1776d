"""MAX (dev.max.ru) as a second transport for the same aiogram dispatcher.

MAX updates become aiogram ``Update`` objects (``bot.max.updates``) fed to the one ``Dispatcher``;
the aiogram methods the handlers call go through ``MaxSession`` (``bot.max.session``), which turns
them into MAX Bot API calls (``bot.max.api``) with the text, markup and keyboards adapted to MAX's
limits (``bot.max.render``). Handlers and services do not know which messenger they serve; the
``MaxBot`` they are given says it (``messenger_of``).
"""
