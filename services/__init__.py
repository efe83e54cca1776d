"""The application layer: what the bot does, one module per capability, for any messenger.

A service function takes plain arguments (ids, values a person chose, the region's rules) and a
``UnitOfWork``; it applies the domain's rules (``domain``), reads and writes through repositories
(``storage``), queues what must be sent later (the outbox), commits, and returns a plain result:
a dataclass of its own, or ``Stale`` (an old, forged or someone else's button: nothing changed),
``Denied`` (the person may not do this) or ``Invalid`` (a typed answer that does not pass, with the
message key to show). It imports no messenger library; the handlers (``handlers``) parse an update,
call one service and render its result.

Dependencies point one way: ``bot → handlers → services → storage → domain``.
"""
