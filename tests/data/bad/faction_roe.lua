-- expect: faction_roe.lua:6:
-- expect: factions[1].roe
-- expect: unknown roe 'defense_of_mandate' (did you mean 'defence_of_mandate'?); expected one of: self_defence, defence_of_mandate, offensive
return {
  map = { file = "carana.geojson", cell_km = 5 },
  factions = { { id = "un", kind = "un", roe = "defense_of_mandate" } },
}
