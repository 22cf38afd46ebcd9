-- expect: geo_swapped.geojson
-- expect: $.features[0].geometry.coordinates
-- expect: swapped
return { map = { file = "geo_swapped.geojson" } }
