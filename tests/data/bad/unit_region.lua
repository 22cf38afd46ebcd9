-- expect: unit_region.lua:7:
-- expect: units[1].region
-- expect: no region 'atlantis' in the map
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  units = { { faction = "un", type = "infantry", region = "atlantis" } },
}
