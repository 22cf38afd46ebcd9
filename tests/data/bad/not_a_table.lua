-- expect: must return a table
-- expect: got number
return 42
