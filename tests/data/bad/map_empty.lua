-- expect: geo_empty.geojson
-- expect: $.features[0].geometry.coordinates
-- expect: empty
return { map = { file = "geo_empty.geojson" } }
