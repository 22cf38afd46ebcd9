-- central_africa.lua — the view on a map nobody here wrote: four real countries (Central
-- African Republic, Chad, Cameroon, Republic of the Congo) from Natural Earth, via the
-- public johan/world.geo.json files (see ../shared/reference/geojson/README.md).
--
-- What it teaches: nothing about those countries — it has one generic community and no
-- forces worth the name. It proves that a GeoJSON file from QGIS or the internet renders
-- as well as our own Carana: names, borders, scale. The map file is not shipped: copy
-- central_africa.geojson into assets/maps/ (or into a folder named by PKOSIM_ASSETS, under
-- maps/) first.
--
-- Try:  cp ../shared/reference/geojson/central_africa.geojson assets/maps/
--       pkosim view scenarios/central_africa.lua
return {
  name = "central_africa",
  description = "Four real countries from Natural Earth, to show the view on a foreign map",
  days = 30,
  seed = 1,
  scale = 500,

  map = { file = "central_africa.geojson", cell_km = 15 },
  -- a calm baseline: this scenario is about the map, not a crisis (with a handful of units
  -- for 55 million people, a fragile government would see its whole population rise)
  model = { legitimacy = 0.95, service_level = 0.6 },

  factions = {
    { id = "un", name = "UN mission", kind = "un" },
    { id = "gov", name = "Host governments", kind = "host_gov", trust = 0.5 },
    { id = "arm", name = "Armed groups", kind = "armed_group", trust = 0.3 },
  },

  groups = {
    { id = "people", name = "Civilians", population = {
        CAF = 5000000, TCD = 17000000, CMR = 27000000, COG = 6000000 } },
  },

  units = {
    { faction = "un", type = "infantry", strength = 850, region = "CAF", task = "patrol", target = "CAF",
      name = "UN battalion" },
    { faction = "gov", type = "gov_army", strength = 1000, region = "TCD", task = "patrol", target = "TCD",
      name = "Army" },
    { faction = "arm", type = "armed_band", strength = 300, region = "CAF", name = "Armed band" },
  },
}
