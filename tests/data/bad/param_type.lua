-- expect: param_type.lua:6:
-- expect: params.troops.type
-- expect: expected one of number, int, bool, choice, list, string; got 'integer'
return {
  map = { file = "carana.geojson", cell_km = 5 },
  params = { troops = { type = "integer", default = 1, description = "x" } },
}
