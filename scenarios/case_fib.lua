-- case_fib.lua — an intervention brigade inside a UN mission, with an offensive mandate.
--
-- What it teaches: what happens when a UN mission that protects civilians under
-- defence-of-mandate rules gets, inside itself, a brigade whose mandate is to neutralise
-- armed groups. The brigade wears the same blue helmet and answers to the same force
-- commander (a `joint` link with a high association): civilians and armed groups see one
-- mission. It can break an armed group that the mission could only contain — and the
-- whole mission then becomes a party in the armed groups' eyes: reprisals, misinformation
-- and collateral harm colour trust in the UN, and in the humanitarian work it
-- coordinates. On day 45 the CLF seizes Hoyembe; the brigade arrives on `fib.deploy_day`.
--
-- Case of the minutes: DR Congo 2013, the Force Intervention Brigade of MONUSCO against
-- M23 (Gen. Khan, line 614: "it helped counter the activities of M23 ... provided
-- the UN mission with much-needed space"; "FIB in Congo and AMISOM are examples that
-- showed some complications", same line; DESIGN §2.2).
--
-- Try:  pkosim run scenarios/case_fib.lua --set fib.troops=0
--       pkosim run scenarios/case_fib.lua --set association=0.3 --set fib.restraint=0.2
--       pkosim run scenarios/case_fib.lua --set fib.deploy_day=1 --set misinformation.level=0.8
local cases = require("pkosim.cases")
local forces = require("pkosim.forces")

return cases.scenario {
  name = "case_fib",
  description = "Carana: a UN stabilisation mission with a Force Intervention Brigade inside it",
  days = 365,

  params = {
    ["fib.troops"] = { type = "int", default = 3000, min = 0, max = 20000,
      description = "brigade personnel: three battalions (companies of 170), plus an aviation unit" },
    ["fib.deploy_day"] = { type = "int", default = 90, min = 1, max = 3650,
      description = "day the brigade is operational" },
    ["fib.restraint"] = { type = "number", default = 0.1, min = 0, max = 1,
      description = "the brigade's high-handedness toward civilians (0: none)" },
    association = { type = "number", default = 0.9, min = 0, max = 1,
      description = "how far civilians and armed groups credit the mission with the brigade's acts" },
    ["coordination.quality"] = { type = "number", default = 0.7, min = 0, max = 1,
      description = "coordination inside the mission between the brigade and the rest of the force" },
    ["un.troops"] = { type = "int", default = 8000, min = 0, max = 40000,
      description = "the mission's other military personnel (companies of 170)" },
    ["un.police"] = { type = "int", default = 1400, min = 0, max = 10000,
      description = "UN police (formed police units of 140)" },
  },

  -- the mission is a traditional UN mission; the brigade is added to it below
  cfg = function(p)
    return {
      form = "traditional_un",
      un = { name = "UN Stabilization Mission in Carana", troops = p["un.troops"], police = p["un.police"],
             observers = 200, civilians = 300, roe = "defence_of_mandate",
             mandate = "poc,political,humanitarian_access,human_rights,rule_of_law,ddr,engagement" },
      coordination = p["coordination.quality"],
    }
  end,

  adjust = function(m, p)
    local b = cases.faction(m, "partner")
    b.kind = "un"                      -- a UN brigade, not a regional force
    b.name = "FIB (Force Intervention Brigade)"
    b.roe, b.mandate = "offensive", "enforcement,poc,protection_of_mission"
    b.deploy_day = p["fib.deploy_day"]
    -- three troop contributors from the region: context and standardisation of a
    -- regional force, the UN's funding (assessed) and a brigade headquarters
    b.context, b.standardisation, b.heaviness, b.high_handedness = 0.6, 0.8, 0.9, p["fib.restraint"]
    b.command_latency, b.hq_cost, b.funding_share = 1, 40000, 1
    m.links[#m.links + 1] = { a = "un", b = "partner", relation = "joint", coordination = p["coordination.quality"],
                              role_clarity = 0.8, association = p.association }
    local companies = math.floor(p["fib.troops"] / 170 + 0.5)
    cases.companies(m.units, "partner", companies, cases.hot, "FIB company")
    if companies > 0 then
      m.units[#m.units + 1] = forces.unit("aviation", { faction = "partner", region = "lumeni",
                                                        name = "FIB attack helicopter unit" })
    end
  end,

  injects = function(p)
    return {
      { id = "offensive", day = 45, region = "hoyembe", faction = "clf",
        text = "The CLF seizes Hoyembe town; UN peacekeepers hold their base but do not intervene",
        action = function(sim)
          sim.set_region("hoyembe", "violence", 4.0)
          sim.set_region("jokovu", "violence", 1.5)
        end },
      { id = "resolution", day = math.max(1, p["fib.deploy_day"] - 30), faction = "un",
        text = "Security Council creates an intervention brigade within the mission to neutralise armed groups" },
      { id = "fib_ready", day = p["fib.deploy_day"], faction = "partner",
        text = "The Force Intervention Brigade is operational and moves on Hoyembe" },
      { id = "reprisal_warning", day = p["fib.deploy_day"] + 60, region = "jokovu", faction = "clf",
        text = "CLF radio: every blue helmet is now a target; humanitarian convoys are told to keep away" },
    }
  end,
}
