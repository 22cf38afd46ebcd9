-- expect: unit_key.lua:8:
-- expect: units[1].strenght
-- expect: unknown key 'strenght'
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  units = {
    { faction = "un", type = "infantry", strenght = 800, region = "lumeni" },
  },
}
