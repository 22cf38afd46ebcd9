-- expect: duplicate_faction.lua:
-- expect: duplicate faction id 'un'
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" }, { id = "un", kind = "regional" } },
}
