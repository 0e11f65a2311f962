"""Store: the database engine and what every persisted table shares.

- `engine`: SQLAlchemy engine (embedded SQLite by default, PostgreSQL through `DATABASE_URL`), the shared
  `METADATA` on which the concept packages declare their own tables, `init_db`.

May import: `geo.errors`, `geo.paths`. Tables themselves live with their concept (`divisions.store`,
`partners.store`).
"""
