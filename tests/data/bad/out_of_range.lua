-- expect: out_of_range.lua:5:
-- expect: scale: expected a whole number in [1, 1000000], got 0
return {
  map = { file = "carana.geojson", cell_km = 5 },
  scale = 0,
}
