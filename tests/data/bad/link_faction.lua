-- expect: link_faction.lua:12:
-- expect: links[1].b: no faction 'au' (did you mean 'aux'?)
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = {
    { id = "un", kind = "un" },
    { id = "aux", kind = "regional" },
  },
  -- links name factions by id
  links = {
    { a = "un",
      b = "au", relation = "parallel", coordination = 0.4 },
  },
}
