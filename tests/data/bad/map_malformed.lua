-- expect: geo_malformed.geojson:3
-- expect: not valid JSON
return { map = { file = "geo_malformed.geojson" } }
