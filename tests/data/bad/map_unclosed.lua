-- expect: geo_unclosed.geojson
-- expect: closed
return { map = { file = "geo_unclosed.geojson" } }
