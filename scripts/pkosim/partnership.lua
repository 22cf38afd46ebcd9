-- pkosim.partnership — the partnership forms of the symposium as data (DESIGN §2.2-2.3):
-- which forces deploy, when, under which command relationship, how they are funded and
-- how they are linked. A scenario calls partnership.build(cfg) and returns the pieces as
-- its `factions`, `links` and `units` (docs/MODEL.md "Partnership forms"; docs/GUIDE.md).
--
-- Forms (Gen. Khan, minutes lines 561-620; MATSUMURA, lines 1340-1400):
--   none            no foreign force
--   partner_only    a regional / non-UN force alone, with no UN support
--   traditional_un  a UN mission alone
--   regional_led    the regional force leads; the UN supports it (logistics: a support
--                   package; finance: funding.un_share of its cost, UNSC 2719) and sends
--                   its civilian components (the AMISOM / ATMIS pattern)
--   sequential      the regional force stabilises, then hands over to a UN mission
--                   (INTERFET -> UNTAET, Timor-Leste 1999)
--   parallel        both at once under separate commands (MINUSCA + Sangaris)
--   hybrid          one mission, joint command, two reporting lines (UNAMID)
--   split           a PKO mission and a Human Rights Protection Mission with separate
--                   headquarters (blue and orange helmets); by default the UN takes the
--                   PKO mission; cfg.split_pko = "partner" gives it to the regional force
local forces = require("pkosim.forces")

local partnership = {}

partnership.forms = { "none", "partner_only", "traditional_un", "regional_led", "sequential", "parallel",
                      "hybrid", "split" }

-- Doctrinal sizes of the sub-units deployed (docs/MODEL.md): an infantry company of a
-- battalion (about 170 all ranks of the 850), an FPU, a team of military observers, a
-- civil-affairs or human-rights team.
partnership.company = 170
partnership.fpu = 140
partnership.observer_team = 20
partnership.civilian_team = 15

-- The forces' character (DESIGN §2.1, minutes lines 510 and 622-640): the UN brings many
-- contingents (less standardised), slow decisions and the civilian tools; the regional
-- force is close, fast, knows the context, military-heavy and sometimes high-handed.
partnership.character = {
  un = { context = 0.4, influence = 0.5, standardisation = 0.6, heaviness = 0.4, high_handedness = 0.0,
         command_latency = 3, hq_cost = 250000 },
  partner = { context = 0.7, influence = 0.6, standardisation = 0.85, heaviness = 0.85, high_handedness = 0.3,
              command_latency = 1, hq_cost = 120000 },
  hrpm = { context = 0.5, influence = 0.2, standardisation = 0.6, heaviness = 0.2, high_handedness = 0.0,
           command_latency = 2, hq_cost = 200000 },
}

local function copy(t, extra)
  local r = {}
  for k, v in pairs(t) do r[k] = v end
  for k, v in pairs(extra or {}) do r[k] = v end
  return r
end

-- Deal `n` units round-robin over `regions` (a list of district ids).
local function spread(units, n, regions, make)
  for i = 1, n do
    units[#units + 1] = make(regions[(i - 1) % #regions + 1], i)
  end
end

-- Deal n infantry companies of `faction` over `regions`, named prefix .. " " .. i.
function partnership.companies(units, faction, n, regions, prefix)
  spread(units, n, regions, function(r, i)
    return forces.unit("infantry", { faction = faction, region = r, strength = partnership.company,
                                     name = prefix .. " " .. i })
  end)
end

-- cfg fields (all optional but form):
--   form, un = { troops, police, observers, civilians, roe, mandate, deploy_day },
--   partner = { troops, roe, mandate, deploy_day, name, id_name },
--   hrpm = { troops, civilians }, coordination (0..1), role_clarity, un_share, gap_covered,
--   exit_day (0 = never), handover_day, overlap, leakage, split_pko ("un" | "partner"),
--   un_regions, partner_regions, hrpm_regions (district ids to deploy in), aid_regions.
-- Returns { factions = {...}, links = {...}, units = {...} } for the mission side (un,
-- partner, hrpm and the humanitarian agencies `hum`); the scenario adds the host
-- government, the armed groups and their units.
function partnership.build(cfg)
  local form = cfg.form or "traditional_un"
  local ok = false
  for _, f in ipairs(partnership.forms) do if f == form then ok = true end end
  if not ok then error("unknown partnership form '" .. tostring(form) .. "'", 2) end
  local un_cfg, p_cfg, h_cfg = cfg.un or {}, cfg.partner or {}, cfg.hrpm or {}
  local exit_day = cfg.exit_day or 0
  local coordination = cfg.coordination or 0.5
  local C = partnership.character

  local has_un = form == "traditional_un" or form == "sequential" or form == "parallel" or form == "hybrid"
    or form == "split" or form == "regional_led"
  local un_troops = has_un and form ~= "regional_led" and (un_cfg.troops or 0) or 0
  local un_police = has_un and form ~= "regional_led" and (un_cfg.police or 0) or 0
  local has_partner = form == "partner_only" or form == "regional_led" or form == "sequential"
    or form == "parallel" or form == "hybrid" or (form == "split" and cfg.split_pko == "partner")
  local has_hrpm = form == "split"
  -- in a split mission with the regional force as PKO, the UN is the HRPM: no blue helmets
  if form == "split" and cfg.split_pko == "partner" then un_troops, un_police = 0, 0 end

  local un = copy(C.un, { id = "un", name = un_cfg.name or "UN mission", kind = "un", roe = un_cfg.roe or "defence_of_mandate",
                          mandate = un_cfg.mandate or "poc,political,humanitarian_access,human_rights,rule_of_law,ddr,engagement",
                          deploy_day = un_cfg.deploy_day or 1, exit_day = exit_day, trust = 0.5 })
  local partner = copy(C.partner, { id = "partner", name = p_cfg.name or "AU force", kind = "regional",
                                    roe = p_cfg.roe or "offensive",
                                    mandate = p_cfg.mandate or "enforcement,poc,protection_of_mission",
                                    deploy_day = p_cfg.deploy_day or 1, exit_day = exit_day, trust = 0.5 })
  local hrpm = copy(C.hrpm, { id = "hrpm", name = h_cfg.name or "Human Rights Protection Mission", kind = "hrpm",
                              roe = "self_defence",
                              mandate = "humanitarian_access,human_rights,disaster_response,engagement",
                              deploy_day = 1, exit_day = exit_day, trust = 0.5 })
  if not has_un and not (form == "split") then un.hq_cost = 0 end
  if not has_partner then partner.hq_cost = 0 end
  if not has_hrpm then hrpm.hq_cost = 0 end

  -- funding: the UN's own missions are assessed (fully funded); a regional-led force gets
  -- un_share of its cost from the UN (UNSC 2719: up to 75%), donors cover gap_covered of
  -- the rest; alone, it lives on its members and donors (half, plus what donors cover)
  if form == "regional_led" then
    partner.funding_share = cfg.un_share or 0.75
    partner.gap_covered = cfg.gap_covered or 0
    partner.support = 1.0
  elseif form == "partner_only" then
    partner.funding_share = 0.5
    partner.gap_covered = cfg.gap_covered or 0
  end
  -- sequential: the regional force hands over on handover_day; the UN arrives `overlap`
  -- days before
  if form == "sequential" then
    local handover = cfg.handover_day or 180
    local overlap = cfg.overlap or 30
    partner.exit_day = (exit_day > 0 and exit_day < handover) and exit_day or handover
    un.deploy_day = math.max(1, handover - overlap)
  end
  -- a hybrid mission shares one humanitarian and political face
  if form == "hybrid" then partner.mandate = "poc,enforcement,protection_of_mission" end

  local factions = { un, partner, hrpm,
    { id = "hum", name = "Humanitarian agencies", kind = "humanitarian", trust = 0.6 } }

  local links = {}
  local q = coordination
  if form == "parallel" then
    links[#links + 1] = { a = "un", b = "partner", relation = "parallel", coordination = q,
                          role_clarity = cfg.role_clarity or 0.5, association = 0.3 }
  elseif form == "hybrid" then
    links[#links + 1] = { a = "un", b = "partner", relation = "joint", coordination = q,
                          role_clarity = cfg.role_clarity or 0.7, association = 0.7 }
  elseif form == "regional_led" then
    links[#links + 1] = { a = "partner", b = "un", relation = "support", coordination = q,
                          role_clarity = cfg.role_clarity or 0.6, association = 0.5 }
  elseif form == "sequential" then
    links[#links + 1] = { a = "partner", b = "un", relation = "sequence", coordination = q,
                          role_clarity = cfg.role_clarity or 0.7, association = 0.2 }
  end
  -- who coordinates the humanitarian agencies: the HRPM in a split mission (neutral,
  -- escorts them on request); otherwise the UN mission (an integrated mission), or the
  -- regional force when it is alone
  if has_hrpm then
    links[#links + 1] = { a = "hrpm", b = "hum", relation = "coordinates", coordination = q, role_clarity = 0.8,
                          association = 0.6 }
    local pko = cfg.split_pko == "partner" and "partner" or "un"
    links[#links + 1] = { a = pko, b = "hrpm", relation = "parallel", coordination = q, role_clarity = 0.8,
                          association = cfg.leakage or 0.1 }
  elseif has_un then
    links[#links + 1] = { a = "un", b = "hum", relation = "coordinates", coordination = q, role_clarity = 0.6,
                          association = 0.6 }
  elseif has_partner then
    links[#links + 1] = { a = "partner", b = "hum", relation = "coordinates", coordination = q, role_clarity = 0.5,
                          association = 0.6 }
  end

  local units = {}
  local un_regions = cfg.un_regions
  local partner_regions = cfg.partner_regions or un_regions
  local hrpm_regions = cfg.hrpm_regions or un_regions
  local company, fpu, team = partnership.company, partnership.fpu, partnership.observer_team
  if has_un then
    partnership.companies(units, "un", math.floor(un_troops / company + 0.5), un_regions, "UN company")
    spread(units, math.floor(un_police / fpu + 0.5), un_regions, function(r, i)
      return forces.fpu { faction = "un", region = r, strength = fpu, name = "UN FPU " .. i }
    end)
    if form ~= "regional_led" then
      spread(units, math.floor((un_cfg.observers or 0) / team + 0.5), un_regions, function(r, i)
        return forces.observers { faction = "un", region = r, strength = team, name = "UNMO team " .. i }
      end)
    end
    -- civilian components: three civil-affairs teams (political, civil affairs, DDR,
    -- rule of law) to one human-rights team; in a split mission human rights are the HRPM's
    local teams = math.floor((un_cfg.civilians or 0) / partnership.civilian_team + 0.5)
    spread(units, teams, un_regions, function(r, i)
      local hr = (i % 4 == 0) and not has_hrpm
      return forces.unit(hr and "human_rights" or "civil_affairs",
        { faction = "un", region = r, strength = partnership.civilian_team,
          name = (hr and "UN human rights team " or "UN civil affairs team ") .. i })
    end)
  end
  if has_partner then
    partnership.companies(units, "partner", math.floor((p_cfg.troops or 0) / company + 0.5), partner_regions,
                          p_cfg.unit_name or "AU company")
  end
  if has_hrpm then
    partnership.companies(units, "hrpm", math.floor((h_cfg.troops or 0) / company + 0.5), hrpm_regions, "HRPM company")
    spread(units, math.floor((h_cfg.civilians or 60) / partnership.civilian_team + 0.5), hrpm_regions, function(r, i)
      return forces.unit("human_rights", { faction = "hrpm", region = r, strength = partnership.civilian_team,
                                           name = "HRPM human rights team " .. i })
    end)
    spread(units, 2, hrpm_regions, function(r, i)
      return forces.unit("medical", { faction = "hrpm", region = r, strength = 60, name = "HRPM field hospital " .. i })
    end)
  end
  return { factions = factions, links = links, units = units }
end

return partnership
