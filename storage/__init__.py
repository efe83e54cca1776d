"""Persistence: SQLAlchemy models, repositories, migrations, FSM storage, region loader."""
