-- expect: faction_mandate.lua:9:
-- expect: factions[1].mandate
-- expect: mandate[2]: unknown mandate task 'human_right' (did you mean 'human_rights'?); expected one of: poc, political,
-- A mandate is a list of tasks in priority order (or "poc,political,..." as one string).
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = {
    { id = "un", kind = "un",
      mandate = { "poc", "human_right", "ddr" } },
  },
}
