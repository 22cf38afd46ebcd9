-- expect: inject_key.lua:9:
-- expect: injects[1].regoin
-- expect: unknown key 'regoin' (did you mean 'region'?)
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  injects = {
    { id = "ied_north", day = 20, text = "IED on the northern road",
      regoin = "jokovu" },
  },
}
