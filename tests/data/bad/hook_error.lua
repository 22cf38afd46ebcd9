-- expect: hook_error.lua:9:
-- expect: boom on day 3
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  groups = { { id = "a", population = { lumeni = 1000 } } },
  on_day = function(sim, day)
    if day == 3 then
      error("boom on day " .. day)
    end
  end,
}
