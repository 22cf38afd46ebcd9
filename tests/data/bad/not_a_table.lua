-- expect: not_a_table.lua:3: a scenario file must return a table
-- expect: got number
return 42
