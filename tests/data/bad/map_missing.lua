-- expect: map_missing.lua:5:
-- expect: map.file
-- expect: no file 'nosuchmap.geojson'
return {
  map = { file = "nosuchmap.geojson" },
}
