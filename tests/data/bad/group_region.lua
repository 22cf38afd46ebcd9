-- expect: group_region.lua:7:
-- expect: groups[1].population.nowhere
-- expect: no region 'nowhere' in the map
return {
  map = { file = "carana.geojson", cell_km = 5 },
  groups = {
    { id = "a", population = { lumeni = 1000, nowhere = 500 } },
  },
}
