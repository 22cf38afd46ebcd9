-- pkosim.forces — standard unit sizes, so scenarios say "a UN infantry battalion" and get
-- a doctrinal strength. Figures are typical sizes (UN Infantry Battalion Manual 2020:
-- about 850 all ranks; an FPU about 140; a military observer team a few dozen) and are
-- documented in docs/MODEL.md. Every function returns a plain unit table for a scenario's
-- `units` list or for sim.add_unit; any field given in `t` overrides the preset.
local forces = {}

local sizes = {
  infantry = 850, fpu = 140, observers = 40, engineers = 200, medical = 60,
  aviation = 120, civil_affairs = 30, human_rights = 20, humanitarian = 80,
  gov_army = 1000, gov_police = 250, armed_band = 300,
}
forces.sizes = sizes

-- forces.unit("infantry", { faction = "un", region = "batanyo", name = "BANBATT 1" })
function forces.unit(type_, t)
  local u = { type = type_, strength = sizes[type_] }
  for k, v in pairs(t) do u[k] = v end
  if u.strength == nil then error("unknown unit type '" .. tostring(type_) .. "'", 2) end
  return u
end

function forces.battalion(t) return forces.unit("infantry", t) end
function forces.fpu(t) return forces.unit("fpu", t) end
function forces.observers(t) return forces.unit("observers", t) end
function forces.band(t) return forces.unit("armed_band", t) end

-- The task a mission's combat units take under a rules-of-engagement setting:
-- "offensive" sends them on offensive operations, anything else on patrol.
function forces.task_for_roe(roe)
  if roe == "offensive" then return "offensive" end
  return "patrol"
end

return forces
