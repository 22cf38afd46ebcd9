-- expect: stray_element.lua:10: [1]: expected only named fields (name = value) here
-- expect: a misplaced line or a missing '}'?
-- A line of the factions list that slipped out of it (found by tests/unit/lua_fuzz.c:
-- before, this problem had neither a line nor a path).
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = {
    { id = "un", kind = "un" },
  },
  { id = "gov", kind = "host_gov" },
}
