-- expect: syntax_error.lua:5:
-- expect: '}' expected
return {
  name = "oops"
  days = 5,
}
