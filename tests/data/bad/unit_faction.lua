-- expect: unit_faction.lua:7:
-- expect: units[1].faction
-- expect: no faction 'au'
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  units = { { faction = "au", type = "infantry", region = "lumeni" } },
}
