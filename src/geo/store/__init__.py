"""Store: the database engine and what every persisted table shares.

- `engine`: SQLAlchemy engine (embedded SQLite by default, PostgreSQL through `DATABASE_URL`), the shared
  `METADATA` on which the concept packages declare their own tables, `init_db`.
- `config`: the mode (*lokaal* by default, or *team*) from one settings file; the start-up refusal.
- `access`: the caller's identity (`Actor`: who, which workspace), roles and `require`, the permission
  check every store function makes inside its own transaction.
- `audit`: the append-only audit trail (`record` inside each write, `read` for beheerders).
- `workspaces`: workspaces (16 networks + national, or ``lokaal``), members and per-workspace settings.

May import: `geo.errors`, `geo.paths`. Tables themselves live with their concept (`divisions.store`,
`partners.store`).
"""
