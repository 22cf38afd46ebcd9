-- case_parallel.lua — a UN mission and a national force side by side, under separate commands.
--
-- What it teaches: the contemporaneous (parallel) form of partnership. A multidimensional
-- UN mission deploys amid escalating violence while a national force, under the same
-- Security Council mandate but its own command, does the heavy fighting. Together they
-- can cut violence more than either alone — if they coordinate: with a poor coordination
-- mechanism and unclear roles their units get in each other's way (confusion events),
-- duplicate effort and the heavy force's conduct rubs off on the UN. On day 90 a massacre
-- in Zerenga tests who responds and how well they deconflict.
--
-- Case of the minutes: Central African Republic 2014, MINUSCA and the French Sangaris
-- force in parallel for two years (Gen. Khan, lines 599-607; "contemporaneous
-- deployment", lines 561-572; the challenge of coordination, line 636; DESIGN §2.2).
--
-- Try:  pkosim run scenarios/case_parallel.lua --set coordination.quality=0.1 --set role_clarity=0.2
--       pkosim run scenarios/case_parallel.lua --set national.troops=0
--       pkosim run scenarios/case_parallel.lua --set national.exit_day=180 --days 1095
local cases = require("pkosim.cases")

return cases.scenario {
  name = "case_parallel",
  description = "Carana: a UN mission and a national force in parallel under separate commands",
  days = 365,

  params = {
    ["coordination.quality"] = { type = "number", default = 0.5, min = 0, max = 1,
      description = "quality of the coordination mechanism between the UN mission and the national force" },
    role_clarity = { type = "number", default = 0.5, min = 0, max = 1,
      description = "how clearly their roles are divided (who protects, who fights)" },
    association = { type = "number", default = 0.3, min = 0, max = 1,
      description = "how far civilians credit each force with the other's acts" },
    ["un.troops"] = { type = "int", default = 8000, min = 0, max = 40000,
      description = "UN military personnel (companies of 170)" },
    ["un.police"] = { type = "int", default = 1400, min = 0, max = 10000,
      description = "UN police (formed police units of 140)" },
    ["national.troops"] = { type = "int", default = 2000, min = 0, max = 40000,
      description = "national force personnel (companies of 170)" },
    ["national.roe"] = { type = "choice", default = "offensive",
      choices = { "self_defence", "defence_of_mandate", "offensive" }, description = "national force rules of engagement" },
    ["national.exit_day"] = { type = "int", default = 0, min = 0, max = 36500,
      description = "day the national force leaves (0: it stays)" },
  },

  cfg = function(p)
    return {
      form = "parallel",
      un = { name = "UN Multidimensional Mission in Carana", troops = p["un.troops"], police = p["un.police"],
             observers = 200, civilians = 300, roe = "defence_of_mandate",
             mandate = "poc,political,humanitarian_access,human_rights,rule_of_law,ddr,engagement",
             -- the UN is slower to arrive than the national force
             deploy_day = 30 },
      partner = { name = "SABRE national force (Operation Sabre)", unit_name = "Sabre company",
                  troops = p["national.troops"], roe = p["national.roe"],
                  mandate = "enforcement,poc,protection_of_mission" },
      coordination = p["coordination.quality"], role_clarity = p.role_clarity,
    }
  end,

  adjust = function(m, p)
    local l = cases.link(m, "un", "partner")
    l.association = p.association
    local n = cases.faction(m, "partner")
    -- one national army: highly standardised, heavy, fast; not a neighbour, so less context
    n.standardisation, n.heaviness, n.context, n.high_handedness = 0.95, 0.9, 0.5, 0.2
    n.exit_day = p["national.exit_day"]
  end,

  injects = function(p)
    local inj = {
      { id = "mandate", day = 1, faction = "partner",
        text = "Security Council resolution: the national force may use all necessary means in support of the UN mission" },
      { id = "un_arrives", day = 30, faction = "un",
        text = "The UN mission takes over from the regional force it absorbs and begins to deploy" },
      { id = "massacre", day = 90, region = "zerenga", faction = "clf",
        text = "Massacre in Zerenga: both forces are asked to respond; their liaison officers meet only weekly",
        action = function(sim)
          sim.set_region("zerenga", "violence", 4.0)
          sim.set_region("jokovu", "violence", 1.0)
        end },
    }
    if p["national.exit_day"] > 0 then
      inj[#inj + 1] = { id = "drawdown", day = p["national.exit_day"], faction = "partner",
        text = "The national force ends its operation; the UN mission is on its own" }
    end
    return inj
  end,
}
