-- tutorial.lua — the worked example of docs/SCRIPTING.md: northern Carana.
--
-- What it teaches (to scenario authors): every part of a scenario file in one small
-- example. Two parameters an instructor can change with --set; a `units` function that
-- reads them; three factions (a UN mission, the host government, one armed group); two
-- civilian communities, one of which leans toward the armed group; all four hooks:
--   on_start  announces the exercise;
--   on_day    finds the UN quick-reaction force by name on day 2 (units arrive during
--             day 1), then plays two scripted injects (a services collapse on day 10, a
--             market rumour on day 20);
--   on_event  sends the quick-reaction force to the district where civilians were
--             attacked (when the `qrf` parameter is on), and keeps a tally;
--   on_end    writes a last line to the log (an event of the last day).
-- Hooks do not receive the parameter table; the `units` function keeps it in a local.
--
-- Try:  pkosim params scenarios/tutorial.lua
--       pkosim run scenarios/tutorial.lua --set qrf=false --out out/tutorial-noqrf
local forces = require("pkosim.forces")

local P         -- the parameter table, kept by `units` for the hooks
local qrf       -- handle of the quick-reaction force, found by on_day on day 2
local attacks = 0

return {
  name = "tutorial",
  description = "Northern Carana: a UN mission, the government and one armed group",
  days = 45,
  seed = 7,
  scale = 25, -- each civilian agent stands for 25 persons

  params = {
    ["un.companies"] = { type = "int", default = 3, min = 0, max = 6,
      description = "UN infantry companies patrolling the north (150 each)" },
    qrf = { type = "bool", default = true,
      description = "the UN quick-reaction force flies to each attack" },
  },

  map = { file = "carana.geojson", cell_km = 2 },

  -- model parameters may be a table or a function of the parameters
  model = { legitimacy = 0.75, service_level = 0.45 },

  factions = {
    { id = "un", name = "UN Mission in Carana", kind = "un", color = "#1F77B4" },
    { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.4 },
    { id = "nlf", name = "Northern Liberation Front", kind = "armed_group", trust = 0.3 },
  },

  -- persons per district; each agent stands for `scale` of them
  groups = {
    { id = "kesh", name = "Kesh", population = { ibirasa = 40000, hoyembe = 15000, lumeni = 30000 } },
    { id = "ombara", name = "Ombara", sympathises_with = "nlf", risk_aversion = 0.4,
      population = { hoyembe = 30000, jokovu = 25000, zerenga = 20000 } },
  },

  units = function(p)
    P = p
    local u = {}
    local districts = { "ibirasa", "hoyembe", "jokovu", "zerenga", "lumeni", "batanyo" }
    for i = 1, p["un.companies"] do
      u[#u + 1] = forces.battalion { faction = "un", strength = 150, region = districts[i],
                                     target = districts[i], task = "patrol", name = "UN company " .. i }
    end
    u[#u + 1] = forces.unit("aviation", { faction = "un", site = "UN mission base Lumeni",
                                          task = "patrol", target = "lumeni", name = "UN QRF" })
    for _, r in ipairs { "ibirasa", "hoyembe", "jokovu", "zerenga" } do
      u[#u + 1] = forces.unit("gov_police", { faction = "gov", region = r, target = r, task = "patrol",
                                              name = "Police " .. r })
    end
    -- `count` makes several identical units, named "NLF band 1", "NLF band 2"
    u[#u + 1] = forces.band { faction = "nlf", region = "jokovu", strength = 200, count = 2, name = "NLF band" }
    u[#u + 1] = forces.band { faction = "nlf", region = "zerenga", strength = 150, name = "NLF border" }
    return u
  end,

  on_start = function(sim)
    sim.inject("Exercise start: the UN mission deploys in northern Carana")
    -- sim.units() is still empty here: the units of the `units` list are queued and
    -- arrive at the start of day 1, after on_day(sim, 1) has run
  end,

  on_day = function(sim, day)
    if day == 2 then
      for _, u in ipairs(sim.units("un")) do
        if u.name == "UN QRF" then qrf = u end
      end
      log("QRF found: " .. tostring(qrf ~= nil) .. "; qrf parameter: " .. tostring(P.qrf))
    elseif day == 10 then
      sim.inject("Health centres in Jokovu and Zerenga close: no salaries for three months",
                 { region = "jokovu", faction = "gov" })
      sim.set_region("jokovu", "services", 0.15)
      sim.set_region("zerenga", "services", 0.15)
    elseif day == 20 then
      sim.inject("Rumour in Hoyembe market: the UN protects only the Kesh", { region = "hoyembe" })
      sim.set_region("hoyembe", "violence", 0.5)
    end
  end,

  on_event = function(sim, ev)
    if ev.type ~= "attack_civilians" or ev.count == 0 then return end
    attacks = attacks + 1
    if P.qrf and qrf and qrf.alive and qrf.target ~= ev.region then
      sim.set_task(qrf, "patrol", ev.region) -- applied at the start of the next day
      log(string.format("day %d: %d civilians killed in %s; QRF ordered there", ev.day, ev.count, ev.region))
    end
  end,

  on_end = function(sim)
    log(string.format("end: %d deadly attacks on civilians; trust of the Kesh in Ibirasa toward the UN %.2f",
                      attacks, sim.trust("kesh", "ibirasa", "un")))
  end,
}
