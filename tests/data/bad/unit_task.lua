-- expect: unit_task.lua:11:
-- expect: units[2].task: a unit of type observers cannot offensive; it can: idle, patrol, engage, observe
-- Unarmed military observers observe, patrol and engage; they do not fight.
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  units = {
    { faction = "un", type = "infantry", region = "lumeni", task = "offensive" },
    { faction = "un", type = "observers",
      region = "lumeni",
      task = "offensive" },
  },
}
