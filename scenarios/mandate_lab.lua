-- mandate_lab.lua — the mandate laboratory: the fictional Republic of Carana with every
-- mission mechanism switchable by a parameter.
--
-- What it teaches: how the choice of partnership form (Gen. Khan's forms, minutes lines
-- 561-620, and MATSUMURA's split mission, lines 1340-1400), force size and mix, rules of
-- engagement, mandate, coordination, funding and misinformation change what happens to
-- civilians, to trust in each force and to the years after the mission leaves (the "test
-- of time", line 658). Planners and students run it many times with different seeds and
-- settings and compare; instructors use it to settle arguments with evidence.
--
-- Try:  pkosim run scenarios/mandate_lab.lua --set partnership.form=parallel
--       pkosim run scenarios/mandate_lab.lua --set partnership.form=none
--       pkosim run scenarios/mandate_lab.lua --set partnership.form=split --set un.roe=offensive
--       pkosim run scenarios/mandate_lab.lua --set partnership.form=partner_only --set exit.day=365 --days 4000
local partnership = require("pkosim.partnership")
-- the Carana of the six case scenarios: districts, communities, government, armed groups
local cases = require("pkosim.cases")

-- the parameters as a pkosim.partnership configuration
local function cfg_of(p)
  return {
    form = p["partnership.form"],
    un = { troops = p["un.troops"], police = p["un.police"], observers = p["un.observers"],
           civilians = p["un.civilians"], roe = p["un.roe"], mandate = p["un.mandate"],
           deploy_day = p["un.deploy_day"] },
    partner = { troops = p["partner.troops"], roe = p["partner.roe"] },
    hrpm = { troops = p["hrpm.troops"] },
    coordination = p["coordination.quality"],
    un_share = p["funding.un_share"], gap_covered = p["funding.gap_covered"],
    exit_day = p["exit.day"], handover_day = p["handover.day"], split_pko = p["split.pko"],
    un_regions = cases.deploy, partner_regions = cases.hot, hrpm_regions = cases.deploy,
  }
end

return {
  name = "mandate_lab",
  description = "Carana mandate laboratory: every partnership form and mission mechanism as a parameter",
  days = function(p) return p.days end, -- --days N overrides it too
  seed = 1,
  -- each civilian agent stands for 20 persons: 1.1 million persons, 55 750 agents; sweeps
  -- and tests may trade detail for speed with --set population.scale=100
  scale = function(p) return p["population.scale"] end,

  params = {
    ["partnership.form"] = { type = "choice", default = "parallel", choices = partnership.forms,
      description = "none, partner_only, traditional_un, regional_led, sequential, parallel, hybrid or split" },
    ["un.troops"] = { type = "int", default = 8000, min = 0, max = 40000,
      description = "UN military personnel (deployed as companies of 170)" },
    ["un.police"] = { type = "int", default = 1400, min = 0, max = 10000,
      description = "UN police in formed police units of 140" },
    ["un.observers"] = { type = "int", default = 200, min = 0, max = 2000,
      description = "UN military observers (teams of 20)" },
    ["un.civilians"] = { type = "int", default = 300, min = 0, max = 3000,
      description = "UN civilian components in the field: civil affairs, political, DDR, rule of law, human rights (teams of 15)" },
    ["un.roe"] = { type = "choice", default = "defence_of_mandate",
      choices = { "self_defence", "defence_of_mandate", "offensive" }, description = "UN rules of engagement" },
    ["un.mandate"] = { type = "list",
      default = { "poc", "political", "humanitarian_access", "human_rights", "rule_of_law", "ddr", "engagement" },
      choices = { "poc", "political", "humanitarian_access", "protection_of_mission", "human_rights", "rule_of_law",
                  "ddr", "elections", "disaster_response", "engagement", "enforcement" },
      description = "UN mandated tasks in priority order (e.g. --set un.mandate=poc,political,ddr)" },
    ["un.deploy_day"] = { type = "int", default = 1, min = 1, max = 3650,
      description = "day the UN mission becomes operational (deployment delay)" },
    ["partner.troops"] = { type = "int", default = 5000, min = 0, max = 40000,
      description = "regional (AU) force personnel (companies of 170)" },
    ["partner.roe"] = { type = "choice", default = "offensive",
      choices = { "self_defence", "defence_of_mandate", "offensive" }, description = "regional force rules of engagement" },
    ["hrpm.troops"] = { type = "int", default = 2000, min = 0, max = 20000,
      description = "orange helmets of the Human Rights Protection Mission (split form only)" },
    ["coordination.quality"] = { type = "number", default = 0.5, min = 0, max = 1,
      description = "quality of the coordination mechanism between the partners" },
    ["funding.un_share"] = { type = "number", default = 0.75, min = 0, max = 1,
      description = "share of a regional-led force's cost the UN pays (UNSC 2719: up to 0.75)" },
    ["funding.gap_covered"] = { type = "number", default = 0.0, min = 0, max = 1,
      description = "share of the remaining gap that donors cover" },
    ["misinformation.level"] = cases.common_params["misinformation.level"],
    ["exit.day"] = { type = "int", default = 0, min = 0, max = 36500,
      description = "day after which every foreign force leaves (0: they stay); run on to see the years after" },
    ["handover.day"] = { type = "int", default = 180, min = 2, max = 36500,
      description = "sequential form: the day the regional force hands over to the UN" },
    ["split.pko"] = { type = "choice", default = "un", choices = { "un", "partner" },
      description = "split form: who takes the PKO mission (the HRPM is always orange)" },
    days = { type = "int", default = 365, min = 1, max = 36500,
      description = "days to simulate (run on past exit.day to see the years after)" },
    ["population.scale"] = cases.common_params["population.scale"],
    legitimacy = cases.common_params["legitimacy"],
    services = cases.common_params["services"],
  },

  map = { file = "carana.geojson", cell_km = 2 },

  model = function(p)
    return { legitimacy = p.legitimacy, service_level = p.services,
             misinformation_level = p["misinformation.level"] }
  end,

  -- the mission side comes from pkosim.partnership; the government, the armed groups,
  -- their units and the humanitarian agencies from pkosim.cases
  factions = function(p)
    local f = partnership.build(cfg_of(p)).factions
    for _, h in ipairs(cases.host_factions()) do f[#f + 1] = h end
    return f
  end,

  links = function(p) return partnership.build(cfg_of(p)).links end,

  groups = cases.groups,

  units = function(p)
    local u = partnership.build(cfg_of(p)).units
    for _, h in ipairs(cases.host_units()) do u[#u + 1] = h end
    return u
  end,

  injects = function(p)
    return { { id = "start", day = 1, text = "Mandate lab: the " .. p["partnership.form"] .. " deployment begins" } }
  end,
}
