-- expect: instruction budget exhausted
-- expect: hook_loop.lua
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  on_day = function(sim, day)
    while true do end
  end,
}
