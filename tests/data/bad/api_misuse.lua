-- expect: api_misuse.lua:7:
-- expect: sim.add_unit.type
-- expect: expected a unit type
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  on_start = function(sim) sim.add_unit { faction = "un", type = "tank", region = "lumeni" } end,
}
