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
local forces = require("pkosim.forces")

-- every district, the most contested first: mission units are dealt out in this order
local districts = { "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo", "lumeni",
                    "farakoyo", "gorandi", "ndelemo", "tindalo", "ulendra", "sanvuma" }
local hot = { "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo" }
-- where a mission deals its companies: every district, the capital and the districts with
-- camps more than once (a company per 20 000 - 40 000 inhabitants)
local deploy = { "lumeni", "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo", "tindalo",
                 "lumeni", "farakoyo", "gorandi", "ndelemo", "ulendra", "sanvuma", "lumeni", "tindalo", "ibirasa",
                 "korombi", "batanyo" }

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
    un_regions = deploy, partner_regions = hot, hrpm_regions = deploy,
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
    ["misinformation.level"] = { type = "number", default = 0.3, min = 0, max = 1,
      description = "how hard armed groups campaign against the forces that fight them" },
    ["exit.day"] = { type = "int", default = 0, min = 0, max = 36500,
      description = "day after which every foreign force leaves (0: they stay); run on to see the years after" },
    ["handover.day"] = { type = "int", default = 180, min = 2, max = 36500,
      description = "sequential form: the day the regional force hands over to the UN" },
    ["split.pko"] = { type = "choice", default = "un", choices = { "un", "partner" },
      description = "split form: who takes the PKO mission (the HRPM is always orange)" },
    days = { type = "int", default = 365, min = 1, max = 36500,
      description = "days to simulate (run on past exit.day to see the years after)" },
    ["population.scale"] = { type = "int", default = 20, min = 1, max = 1000,
      description = "persons each civilian agent stands for (larger: fewer agents, faster, coarser)" },
    legitimacy = { type = "number", default = 0.8, min = 0, max = 1,
      description = "host government's legitimacy in the eyes of civilians" },
    services = { type = "number", default = 0.4, min = 0, max = 1,
      description = "share of basic services the government provides" },
  },

  map = { file = "carana.geojson", cell_km = 2 },

  model = function(p)
    return { legitimacy = p.legitimacy, service_level = p.services,
             misinformation_level = p["misinformation.level"] }
  end,

  -- the mission side comes from pkosim.partnership; the government, the armed groups and
  -- their units are this scenario's
  factions = function(p)
    local m = partnership.build(cfg_of(p))
    local f = m.factions
    f[#f + 1] = { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.4 }
    f[#f + 1] = { id = "clf", name = "Carana Liberation Front", kind = "armed_group", trust = 0.3 }
    f[#f + 1] = { id = "vdm", name = "Vanu Defence Militia", kind = "armed_group", trust = 0.3 }
    return f
  end,

  links = function(p) return partnership.build(cfg_of(p)).links end,

  groups = {
    { id = "kesh", name = "Kesh", population = {
        sanvuma = 70000, ulendra = 80000, tindalo = 65000, batanyo = 70000,
        hoyembe = 20000, ndelemo = 25000, korombi = 30000, lumeni = 110000 } },
    { id = "vanu", name = "Vanu", sympathises_with = "vdm", population = {
        wessagu = 60000, farakoyo = 70000, gorandi = 65000, zerenga = 25000,
        jokovu = 20000, korombi = 35000, ndelemo = 30000, lumeni = 70000 } },
    { id = "ombara", name = "Ombara", sympathises_with = "clf", risk_aversion = 0.4, population = {
        hoyembe = 50000, ibirasa = 65000, jokovu = 45000, zerenga = 45000,
        batanyo = 25000, lumeni = 40000 } },
  },

  units = function(p)
    local u = partnership.build(cfg_of(p)).units
    -- the host government: police in every district, the army in three
    for _, r in ipairs { "batanyo", "farakoyo", "ibirasa" } do
      u[#u + 1] = forces.unit("gov_army", { faction = "gov", region = r, target = r, task = "patrol", name = "Army " .. r })
    end
    for _, r in ipairs(districts) do
      u[#u + 1] = forces.unit("gov_police", { faction = "gov", region = r, target = r, task = "patrol", name = "Police " .. r })
    end
    -- the armed groups: about 2 600 fighters in eight bands
    local bands = { { "clf", "hoyembe", 400 }, { "clf", "jokovu", 350 }, { "clf", "zerenga", 300 },
                    { "clf", "ibirasa", 250 }, { "vdm", "wessagu", 400 }, { "vdm", "korombi", 300 },
                    { "vdm", "farakoyo", 300 }, { "vdm", "gorandi", 300 } }
    for i, b in ipairs(bands) do
      u[#u + 1] = forces.band { faction = b[1], region = b[2], strength = b[3], name = b[1]:upper() .. " band " .. i }
    end
    -- humanitarian agencies
    u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Tindalo IDP camp", task = "aid", name = "WFP Tindalo" })
    u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Ibirasa IDP camp", task = "aid", name = "UNHCR Ibirasa" })
    u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "lumeni", task = "aid", name = "ICRC Lumeni" })
    u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "jokovu", task = "aid", name = "MSF Jokovu" })
    u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "wessagu", task = "aid", name = "UNICEF Wessagu" })
    return u
  end,

  injects = function(p)
    return { { id = "start", day = 1, text = "Mandate lab: the " .. p["partnership.form"] .. " deployment begins" } }
  end,
}
