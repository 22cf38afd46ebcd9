-- expect: faction_kind.lua:
-- expect: factions[2]
-- expect: kind 'rebel': expected un, regional, hrpm, host_gov, armed_group or humanitarian
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" }, { id = "x", kind = "rebel" } },
}
