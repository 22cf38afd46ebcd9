-- pkosim.cases — the common ground of the six partnership case scenarios
-- (scenarios/case_*.lua): the same Carana as scenarios/mandate_lab.lua — three civilian
-- communities, two armed groups, the host government's forces and the humanitarian
-- agencies — so that the indicators of a case and of the lab can be compared directly.
-- The mission side comes from pkosim.partnership; a case only says which form, with which
-- forces and names, and tells its story with injects.
--
--   local cases = require("pkosim.cases")
--   return cases.scenario {
--     name = "case_x", description = "...", days = 365,
--     params = { ["x.y"] = { ... } },          -- the case's own parameters
--     cfg = function(p) return { form = "parallel", ... } end,  -- a partnership.build cfg
--     adjust = function(m, p) ... end,         -- optional: change the built factions/links/units
--     injects = function(p) return { ... } end,
--   }
--
-- cases.scenario adds the parameters every case shares (population.scale, legitimacy,
-- services, misinformation.level) unless the case declares them itself.
local partnership = require("pkosim.partnership")
local forces = require("pkosim.forces")

local cases = {}

-- every district, the most contested first
cases.districts = { "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo", "lumeni",
                    "farakoyo", "gorandi", "ndelemo", "tindalo", "ulendra", "sanvuma" }
-- where the armed groups are strongest (a regional force or a brigade goes there)
cases.hot = { "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo" }
-- where a mission deals its companies (as in mandate_lab: the capital and the camps more
-- than once)
cases.deploy = { "lumeni", "hoyembe", "jokovu", "zerenga", "wessagu", "korombi", "ibirasa", "batanyo", "tindalo",
                 "lumeni", "farakoyo", "gorandi", "ndelemo", "ulendra", "sanvuma", "lumeni", "tindalo", "ibirasa",
                 "korombi", "batanyo" }

-- the three communities of mandate_lab (1.1 million persons)
cases.groups = {
  { id = "kesh", name = "Kesh", population = {
      sanvuma = 70000, ulendra = 80000, tindalo = 65000, batanyo = 70000,
      hoyembe = 20000, ndelemo = 25000, korombi = 30000, lumeni = 110000 } },
  { id = "vanu", name = "Vanu", sympathises_with = "vdm", population = {
      wessagu = 60000, farakoyo = 70000, gorandi = 65000, zerenga = 25000,
      jokovu = 20000, korombi = 35000, ndelemo = 30000, lumeni = 70000 } },
  { id = "ombara", name = "Ombara", sympathises_with = "clf", risk_aversion = 0.4, population = {
      hoyembe = 50000, ibirasa = 65000, jokovu = 45000, zerenga = 45000,
      batanyo = 25000, lumeni = 40000 } },
}

-- the parameters every case shares
cases.common_params = {
  ["population.scale"] = { type = "int", default = 20, min = 1, max = 1000,
    description = "persons each civilian agent stands for (larger: fewer agents, faster, coarser)" },
  legitimacy = { type = "number", default = 0.8, min = 0, max = 1,
    description = "host government's legitimacy in the eyes of civilians" },
  services = { type = "number", default = 0.4, min = 0, max = 1,
    description = "share of basic services the government provides" },
  ["misinformation.level"] = { type = "number", default = 0.3, min = 0, max = 1,
    description = "how hard armed groups campaign against the forces that fight them" },
}

-- the host government and the armed groups (as in mandate_lab)
function cases.host_factions()
  return {
    { id = "gov", name = "Government of Carana", kind = "host_gov", trust = 0.4 },
    { id = "clf", name = "Carana Liberation Front", kind = "armed_group", trust = 0.3 },
    { id = "vdm", name = "Vanu Defence Militia", kind = "armed_group", trust = 0.3 },
  }
end

-- their units and the humanitarian agencies (as in mandate_lab)
function cases.host_units()
  local u = {}
  for _, r in ipairs { "batanyo", "farakoyo", "ibirasa" } do
    u[#u + 1] = forces.unit("gov_army", { faction = "gov", region = r, target = r, task = "patrol", name = "Army " .. r })
  end
  for _, r in ipairs(cases.districts) do
    u[#u + 1] = forces.unit("gov_police", { faction = "gov", region = r, target = r, task = "patrol", name = "Police " .. r })
  end
  -- about 2 600 fighters in eight bands
  local bands = { { "clf", "hoyembe", 400 }, { "clf", "jokovu", 350 }, { "clf", "zerenga", 300 },
                  { "clf", "ibirasa", 250 }, { "vdm", "wessagu", 400 }, { "vdm", "korombi", 300 },
                  { "vdm", "farakoyo", 300 }, { "vdm", "gorandi", 300 } }
  for i, b in ipairs(bands) do
    u[#u + 1] = forces.band { faction = b[1], region = b[2], strength = b[3], name = b[1]:upper() .. " band " .. i }
  end
  u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Tindalo IDP camp", task = "aid", name = "WFP Tindalo" })
  u[#u + 1] = forces.unit("humanitarian", { faction = "hum", site = "Ibirasa IDP camp", task = "aid", name = "UNHCR Ibirasa" })
  u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "lumeni", task = "aid", name = "ICRC Lumeni" })
  u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "jokovu", task = "aid", name = "MSF Jokovu" })
  u[#u + 1] = forces.unit("humanitarian", { faction = "hum", region = "wessagu", task = "aid", name = "UNICEF Wessagu" })
  return u
end

-- the faction table with this id in a list built by partnership.build
function cases.faction(m, id)
  for _, f in ipairs(m.factions) do if f.id == id then return f end end
  error("no faction '" .. tostring(id) .. "'", 2)
end

-- the link between a and b (either order), or nil
function cases.link(m, a, b)
  for _, l in ipairs(m.links) do
    if (l.a == a and l.b == b) or (l.a == b and l.b == a) then return l end
  end
  return nil
end

-- Deal n companies (170 all ranks) of `faction` over `regions` (pkosim.partnership's).
cases.companies = partnership.companies

-- A complete scenario table from a case definition (see the top of this file).
function cases.scenario(def)
  local params = {}
  for k, v in pairs(cases.common_params) do params[k] = v end
  for k, v in pairs(def.params or {}) do params[k] = v end

  -- the mission side, built once per parameter set (factions, links and units are read
  -- from the same build)
  local built, built_for = nil, nil
  local function mission(p)
    if built_for ~= p then
      local cfg = def.cfg(p)
      cfg.un_regions = cfg.un_regions or cases.deploy
      cfg.partner_regions = cfg.partner_regions or cases.hot
      cfg.hrpm_regions = cfg.hrpm_regions or cases.deploy
      built = partnership.build(cfg)
      if def.adjust then def.adjust(built, p) end
      built_for = p
    end
    return built
  end

  return {
    name = def.name,
    description = def.description,
    days = def.days or 365,
    seed = def.seed or 1,
    scale = function(p) return p["population.scale"] end,
    params = params,
    map = { file = "carana.geojson", cell_km = 2 },
    model = function(p)
      return { legitimacy = p.legitimacy, service_level = p.services,
               misinformation_level = p["misinformation.level"] }
    end,
    factions = function(p)
      local f = {}
      for _, x in ipairs(mission(p).factions) do f[#f + 1] = x end
      for _, x in ipairs(cases.host_factions()) do f[#f + 1] = x end
      return f
    end,
    links = function(p) return mission(p).links end,
    groups = cases.groups,
    units = function(p)
      local u = {}
      for _, x in ipairs(mission(p).units) do u[#u + 1] = x end
      for _, x in ipairs(cases.host_units()) do u[#u + 1] = x end
      return u
    end,
    injects = def.injects,
    on_event = def.on_event,
  }
end

return cases
