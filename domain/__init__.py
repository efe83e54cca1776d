"""The ЕФС logic in plain Python: no aiogram, no SQLAlchemy."""
