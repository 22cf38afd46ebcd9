-- expect: hook_c_error.lua:10: bad argument #2 to 'string.format'
-- An error raised inside a library function the hook calls carries the hook's own line
-- (found by tests/unit/lua_fuzz.c: before, it had no file or line).
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un" } },
  on_day = function(sim, day)
    local share = day / 2.5
    -- %d needs a whole number
    log(string.format("%d", share))
  end,
}
