"""A stand-in for MAX's Bot API (dev.max.ru), for tests and the sandbox; never imported by the bot.

* ``max_stub.stub`` — ``MaxStub``: the state (messages, updates, button answers, uploads), MAX's
  limits checked and errors answered in MAX's format ``{"code": "...", "message": "..."}``; tests
  inject what a person does (``message``, ``press``, ``start``) and read what the bot sent;
* ``max_stub.server`` — ``MaxStubServer``: the stand-in over HTTP on 127.0.0.1, for the bot's own
  client (``MAX_API_URL``).
"""

from max_stub.server import MaxStubServer
from max_stub.stub import MaxMessage, MaxStub

__all__ = ["MaxMessage", "MaxStub", "MaxStubServer"]
