-- expect: misspelt_key.lua:5:
-- expect: unknown key 'factons' (did you mean 'factions'?)
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factons = { { id = "un", kind = "un" } },
}
