-- expect: map_escape.lua:4:
-- expect: without '..'
return {
  map = { file = "../../../etc/passwd" },
}
