"""The hub database's Alembic migrations, run by :func:`hub.db.upgrade` (no alembic.ini).

A revision is a hand-written module in ``versions/``, named ``rNNNN_what.py``, with
``revision = "NNNN_what"``, ``down_revision`` naming the previous one, and
``upgrade()`` / ``downgrade()`` written with ``alembic.op``. Name constraints and
indexes explicitly, as :data:`hub.db.metadata.NAMING_CONVENTION` would, and make
each revision self-contained: never import the models, which change later.
``tests/hub/test_db.py`` checks that the migrated schema matches the models.
"""
