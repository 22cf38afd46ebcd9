-- expect: hook_not_function.lua:5:
-- expect: on_day: expected a function, got string
return {
  map = { file = "carana.geojson", cell_km = 5 },
  on_day = "every day",
}
