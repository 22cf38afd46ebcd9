-- expect: runtime_error.lua:4:
-- expect: attempt to index a nil value
local t = nil
local x = t.field
return { name = "x" }
