-- expect: model_param.lua:6:
-- expect: unknown model parameter 'legitimcy' (did you mean 'legitimacy'?)
return {
  map = { file = "carana.geojson", cell_km = 5 },
  model = {
    legitimcy = 0.5,
  },
}
