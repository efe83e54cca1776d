"""The application: settings, bot and dispatcher factories, middlewares, CLI (``python -m bot``)."""
