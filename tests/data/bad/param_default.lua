-- expect: param_default.lua:7:
-- expect: params.troops
-- expect: default: expected a value in [0, 5000], got 9000
return {
  map = { file = "carana.geojson", cell_km = 5 },
  params = {
    troops = { type = "int", default = 9000, min = 0, max = 5000, description = "x" },
  },
}
