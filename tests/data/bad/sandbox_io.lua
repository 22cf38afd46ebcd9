-- expect: sandbox_io.lua:3:
-- expect: attempt to index a nil value (global 'io')
local f = io.open("/etc/passwd")
return {}
