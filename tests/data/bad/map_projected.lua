-- expect: geo_projected.geojson
-- expect: projected
return { map = { file = "geo_projected.geojson" } }
