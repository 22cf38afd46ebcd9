-- million.lua — the demo's Carana with one civilian agent per person: about one million
-- agents (1 030 000 persons, scale 1), a few units, no scripted injects.
--
-- What it teaches: nothing new about peace operations — it is the load test of the map
-- view and of the simulation's agent loops. The view draws civilians as a density layer
-- computed from the agent arrays each day, so a million agents stay smooth on screen;
-- the simulation itself takes about 40 ms per simulated day at this size (one thread).
--
-- Try:  pkosim view scenarios/million.lua
--       pkosim view scenarios/million.lua --headless --frames 30 --screenshot million.png
--       pkosim bench scenarios/million.lua --days 10
return {
  name = "million",
  description = "Carana with one agent per person (about 1 000 000 agents), a few units",
  days = 30,
  seed = 1,
  scale = 1,

  map = { file = "carana.geojson", cell_km = 2 },

  model = { legitimacy = 0.8, service_level = 0.4 },

  factions = {
    { id = "un", name = "UN Mission in Carana", kind = "un" },
    { id = "partner", name = "AU Force in Carana", kind = "regional" },
    { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.45 },
    { id = "clf", name = "Carana Liberation Front", kind = "armed_group", trust = 0.3 },
    { id = "vdm", name = "Vanu Defence Militia", kind = "armed_group", trust = 0.3 },
  },

  groups = {
    { id = "kesh", name = "Kesh", population = {
        sanvuma = 60000, ulendra = 70000, tindalo = 55000, batanyo = 60000,
        hoyembe = 15000, ndelemo = 20000, korombi = 25000, lumeni = 130000 } },
    { id = "vanu", name = "Vanu", sympathises_with = "vdm", population = {
        wessagu = 50000, farakoyo = 90000, gorandi = 55000, zerenga = 20000,
        jokovu = 15000, korombi = 30000, ndelemo = 25000, lumeni = 60000 } },
    { id = "ombara", name = "Ombara", sympathises_with = "clf", risk_aversion = 0.4, population = {
        hoyembe = 40000, ibirasa = 55000, jokovu = 35000, zerenga = 35000,
        batanyo = 20000, lumeni = 35000 } },
  },

  units = {
    { faction = "un", type = "infantry", strength = 850, region = "lumeni", task = "patrol", target = "lumeni",
      name = "UN battalion 1" },
    { faction = "un", type = "infantry", strength = 850, region = "ibirasa", task = "patrol", target = "ibirasa",
      name = "UN battalion 2" },
    { faction = "partner", type = "infantry", strength = 850, region = "gorandi", task = "offensive", target = "jokovu",
      name = "AU battalion 1" },
    { faction = "gov", type = "gov_police", strength = 150, region = "batanyo", task = "patrol", target = "batanyo",
      name = "Police Batanyo" },
    { faction = "clf", type = "armed_band", strength = 300, region = "hoyembe", name = "CLF north" },
    { faction = "vdm", type = "armed_band", strength = 250, region = "wessagu", name = "VDM south" },
  },
}
