"""Database models, migrations, storage, search and export."""
