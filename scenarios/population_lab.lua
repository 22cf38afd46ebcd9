-- population_lab.lua — a laboratory for the population and conflict model (issue 3), on
-- the Carana map of the demo.
--
-- What it teaches: how civilians' grievance, recruitment, trust and flight answer to what
-- the government and the armed groups do. Each switch isolates one mechanism:
--   services        the government's services (and so needs met and legitimacy): better
--                   services mean fewer active civilians and fewer recruits
--   misinformation  the CLF runs a misinformation campaign against the UN mission:
--                   trust in the UN falls where CLF bands are, unless the UN engages
--   engage          the UN answers with community engagement teams
--   violence        a massacre in Zerenga (next to the border post) on day 10: people flee
--                   to camps and across the border; `sustained` repeats it every 10 days
--   peacekeepers    UN battalions deployed to Zerenga from day 30: security returns and
--                   the displaced come home
-- Read `pkosim explain RUN_DIR --indicator trust --faction un --region zerenga` after a run.
--
-- Try:  pkosim run scenarios/population_lab.lua --set services=0.8
--       pkosim run scenarios/population_lab.lua --set misinformation=true --set engage=true
--       pkosim run scenarios/population_lab.lua --set violence=sustained --set peacekeepers=0
local P -- the parameters, kept by `model` (called at load) for the hooks

return {
  name = "population_lab",
  description = "Carana: switches for services, misinformation, violence and peacekeepers",
  days = 90,
  seed = 1,
  scale = 50,

  params = {
    services = { type = "number", default = 0.4, min = 0, max = 1,
      description = "share of basic services the government provides" },
    legitimacy = { type = "number", default = 0.85, min = 0, max = 1,
      description = "host government's legitimacy" },
    misinformation = { type = "bool", default = false,
      description = "the CLF misinforms against the UN mission wherever its bands are" },
    engage = { type = "bool", default = false,
      description = "UN community-engagement teams in the CLF's regions" },
    violence = { type = "choice", default = "none", choices = { "none", "once", "sustained" },
      description = "a massacre in Zerenga on day 10 (once) or every 10 days (sustained)" },
    peacekeepers = { type = "int", default = 0, min = 0, max = 4,
      description = "UN battalions sent to Zerenga on day 30" },
  },

  map = { file = "carana.geojson", cell_km = 2 },

  model = function(p)
    P = p
    return { legitimacy = p.legitimacy, service_level = p.services }
  end,

  factions = {
    { id = "un", name = "UN Mission in Carana", kind = "un" },
    { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.45 },
    { id = "clf", name = "Carana Liberation Front", kind = "armed_group", trust = 0.3 },
    { id = "vdm", name = "Vanu Defence Militia", kind = "armed_group", trust = 0.3 },
  },

  groups = {
    { id = "kesh", name = "Kesh", population = {
        sanvuma = 60000, ulendra = 70000, tindalo = 55000, batanyo = 60000,
        hoyembe = 15000, ndelemo = 20000, korombi = 25000, lumeni = 90000, zerenga = 20000 } },
    { id = "vanu", name = "Vanu", sympathises_with = "vdm", population = {
        wessagu = 50000, farakoyo = 60000, gorandi = 55000, zerenga = 20000,
        jokovu = 15000, korombi = 30000, ndelemo = 25000, lumeni = 60000 } },
    { id = "ombara", name = "Ombara", sympathises_with = "clf", risk_aversion = 0.4, population = {
        hoyembe = 40000, ibirasa = 55000, jokovu = 35000, zerenga = 35000,
        batanyo = 20000, lumeni = 35000 } },
  },

  units = function(p)
    local u = {
      { faction = "un", type = "infantry", strength = 850, region = "lumeni", task = "patrol", target = "lumeni",
        name = "UN battalion Lumeni" },
      { faction = "clf", type = "armed_band", strength = 300, region = "hoyembe", name = "CLF north" },
      { faction = "clf", type = "armed_band", strength = 300, region = "jokovu", name = "CLF east" },
      { faction = "vdm", type = "armed_band", strength = 250, region = "wessagu", name = "VDM south" },
    }
    for _, r in ipairs { "sanvuma", "tindalo", "korombi", "wessagu", "ulendra", "ndelemo", "gorandi", "hoyembe",
                         "jokovu", "zerenga", "lumeni", "batanyo", "farakoyo", "ibirasa" } do
      u[#u + 1] = { faction = "gov", type = "gov_police", strength = 150, region = r, target = r, task = "patrol",
                    name = "Police " .. r }
    end
    if p.engage then
      for _, r in ipairs { "hoyembe", "jokovu" } do
        u[#u + 1] = { faction = "un", type = "civil_affairs", strength = 20, region = r, target = r, task = "engage",
                      name = "UN civil affairs " .. r }
      end
    end
    return u
  end,

  on_day = function(sim, day)
    local p = P
    if day == 1 and p.misinformation then
      sim.misinformation { by = "clf", target = "un", strength = 0.8,
                           text = "rumours that the UN arms the Kesh militias" }
    end
    if p.violence ~= "none" and day >= 10 and (day == 10 or (p.violence == "sustained" and day % 10 == 0)) then
      sim.inject("Massacre near the Zerenga border post", { region = "zerenga", faction = "clf" })
      sim.set_region("zerenga", "violence", 3.0)
    end
    if day == 30 then
      for i = 1, p.peacekeepers do
        sim.add_unit { faction = "un", type = "infantry", strength = 850, region = "lumeni", task = "patrol",
                       target = "zerenga", name = "UN battalion Zerenga " .. i }
      end
    end
  end,
}
