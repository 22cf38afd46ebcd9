-- demo.lua — the built-in default scenario: the fictional Republic of Carana.
--
-- What it teaches: a UN mission and a regional (AU) force deployed in parallel, under
-- separate commands, in a country with three civilian communities and two armed groups
-- (the MINUSCA + Sangaris pattern of the symposium minutes, lines 561-620). Civilians'
-- grievance follows Epstein's civil-violence rule; armed groups raid communities that do
-- not support them; people flee to camps when violence rises and go home when it falls.
-- Two scripted injects show how an exercise director steers a run: an IED on the
-- northern road (day 20) and a funding cut for the AU force (day 30, the 25% that UNSC
-- resolution 2719 leaves unfunded, minutes lines 139-160).
--
-- Try:  pkosim run scenarios/demo.lua --set un.battalions=0
--       pkosim run scenarios/demo.lua --set legitimacy=0.9 --set services=0.7
local forces = require("pkosim.forces")

return {
  name = "demo",
  description = "Carana: a UN mission and an AU force in parallel, three communities, two armed groups",
  days = 60,
  seed = 1,
  scale = 20, -- each civilian agent stands for 20 persons

  params = {
    ["un.battalions"] = { type = "int", default = 4, min = 0, max = 12,
      description = "UN infantry battalions (about 850 each)" },
    ["partner.battalions"] = { type = "int", default = 2, min = 0, max = 6,
      description = "AU force battalions (about 850 each)" },
    ["un.roe"] = { type = "choice", default = "defence_of_mandate",
      choices = { "self_defence", "defence_of_mandate", "offensive" },
      description = "rules of engagement of the UN mission" },
    legitimacy = { type = "number", default = 0.8, min = 0, max = 1,
      description = "host government's legitimacy in the eyes of civilians" },
    services = { type = "number", default = 0.4, min = 0, max = 1,
      description = "share of basic services the government provides" },
    aid = { type = "bool", default = true,
      description = "humanitarian agencies distribute aid" },
    ["partner.funding"] = { type = "number", default = 1.0, min = 0, max = 1,
      description = "share of the AU force's cost that is funded at the start" },
  },

  map = { file = "carana.geojson", cell_km = 2 },

  model = function(p)
    return { legitimacy = p.legitimacy, service_level = p.services }
  end,

  factions = function(p)
    return {
      { id = "un", name = "UN Mission in Carana", kind = "un" },
      { id = "partner", name = "AU Force in Carana", kind = "regional", funding_share = p["partner.funding"] },
      { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.45 },
      { id = "clf", name = "Carana Liberation Front", kind = "armed_group", trust = 0.3 },
      { id = "vdm", name = "Vanu Defence Militia", kind = "armed_group", trust = 0.3 },
      { id = "hum", name = "Humanitarian agencies", kind = "humanitarian", trust = 0.6 },
    }
  end,

  -- three communities in distinct but overlapping areas (persons per district)
  groups = {
    { id = "kesh", name = "Kesh", population = {
        sanvuma = 60000, ulendra = 70000, tindalo = 55000, batanyo = 60000,
        hoyembe = 15000, ndelemo = 20000, korombi = 25000, lumeni = 90000 } },
    { id = "vanu", name = "Vanu", sympathises_with = "vdm", population = {
        wessagu = 50000, farakoyo = 60000, gorandi = 55000, zerenga = 20000,
        jokovu = 15000, korombi = 30000, ndelemo = 25000, lumeni = 60000 } },
    { id = "ombara", name = "Ombara", sympathises_with = "clf", risk_aversion = 0.4, population = {
        hoyembe = 40000, ibirasa = 55000, jokovu = 35000, zerenga = 35000,
        batanyo = 20000, lumeni = 35000 } },
  },

  units = function(p)
    local u = {}
    local task = forces.task_for_roe(p["un.roe"])
    local un_sites = { "lumeni", "batanyo", "ibirasa", "farakoyo", "hoyembe", "korombi",
                       "jokovu", "tindalo", "ulendra", "gorandi", "zerenga", "wessagu" }
    for i = 1, p["un.battalions"] do
      u[#u + 1] = forces.battalion { faction = "un", region = un_sites[i], target = un_sites[i], task = task,
                                     name = "UN battalion " .. i }
    end
    if p["un.battalions"] > 0 then
      u[#u + 1] = forces.fpu { faction = "un", region = "lumeni", task = "protect", name = "UN FPU 1" }
      u[#u + 1] = forces.fpu { faction = "un", region = "ibirasa", task = "protect", name = "UN FPU 2" }
      u[#u + 1] = forces.observers { faction = "un", region = "jokovu", task = "observe", name = "UNMO team" }
      u[#u + 1] = forces.unit("engineers", { faction = "un", region = "lumeni", task = "repair", name = "UN engineers" })
    end
    for i = 1, p["partner.battalions"] do
      u[#u + 1] = forces.battalion { faction = "partner", site = "AU force base Gorandi",
                                     task = "offensive", name = "AU battalion " .. i }
    end
    for _, r in ipairs { "batanyo", "farakoyo", "ibirasa" } do
      u[#u + 1] = forces.unit("gov_army", { faction = "gov", region = r, target = r, task = "patrol", name = "Army " .. r })
    end
    for _, r in ipairs { "sanvuma", "tindalo", "korombi", "wessagu", "ulendra", "ndelemo",
                         "gorandi", "hoyembe", "jokovu", "zerenga", "lumeni" } do
      u[#u + 1] = forces.unit("gov_police", { faction = "gov", region = r, target = r, task = "patrol", name = "Police " .. r })
    end
    u[#u + 1] = forces.band { faction = "clf", region = "hoyembe", name = "CLF north" }
    u[#u + 1] = forces.band { faction = "clf", region = "jokovu", name = "CLF east" }
    u[#u + 1] = forces.band { faction = "clf", region = "zerenga", strength = 200, name = "CLF border" }
    u[#u + 1] = forces.band { faction = "vdm", region = "wessagu", strength = 250, name = "VDM south" }
    u[#u + 1] = forces.band { faction = "vdm", region = "korombi", strength = 150, name = "VDM west" }
    if p.aid then
      u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Tindalo IDP camp", task = "aid", name = "WFP Tindalo" })
      u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Ibirasa IDP camp", task = "aid", name = "UNHCR Ibirasa" })
      u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "lumeni", task = "aid", name = "ICRC Lumeni" })
    end
    return u
  end,

  on_start = function(sim)
    sim.inject("Exercise start: the UN mission and the AU force deploy under separate commands")
  end,

  -- the exercise's injects (its MSEL): each fires on its day, before on_day, unless the
  -- exercise director skips it or fires it early from the view's console (Tab)
  injects = {
    { id = "ied_north", day = 20, text = "IED on the northern road near Jokovu",
      region = "jokovu", faction = "clf",
      action = function(sim) sim.set_region("jokovu", "violence", 2.0) end },
    { id = "au_funding_cut", day = 30,
      text = "AU force funding falls to 75% (UNSC 2719 cap, donors do not cover the gap)",
      faction = "partner",
      action = function(sim) sim.set_funding("partner", 0.75) end },
  },

  on_event = function(sim, ev)
    if ev.type == "unit_destroyed" then
      log("unit destroyed in " .. tostring(ev.region) .. " on day " .. ev.day)
    end
  end,
}
