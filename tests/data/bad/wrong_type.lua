-- expect: wrong_type.lua:5:
-- expect: days: expected a number, got string
return {
  map = { file = "carana.geojson", cell_km = 5 },
  days = "sixty",
}
