"""Settings of a workspace: named budget settings and the workspace's defaults for other pages.

- `formula`: one budget setting (`FormulaSetting`: division, resource, total and step, population, year and
  indicator, correction form and weight, missing-index policy, Brussels, coordination, floor and cap) as a
  JSON payload; `check` refuses unknown keys and bad values with a Dutch message and fills keys that an
  older version did not store with their defaults; `params` turns it into `geo.budget.allocation.Params`
  exactly as the Budget page and `python -m geo allocate` do.
- `defaults`: the workspace's defaults (`WorkspaceDefaults`): the editor's unit level and target band, the
  partners' coverage distance.
- `store`: save, list, open, delete and choose the default budget setting, read and save the defaults,
  always with the caller's identity (through `geo.store.workspaces`: role checked and audited there).

May import: `geo.budget`, `geo.data`, `geo.divisions`, `geo.store`, shared helpers.
"""
