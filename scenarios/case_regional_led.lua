-- case_regional_led.lua — an AU-led force with a UN support office, and the 25% nobody pays.
--
-- What it teaches: the regional-led form of partnership (the non-UN force leads; the UN
-- supports it with logistics — a support package —, finance and its civilian components).
-- Under UNSC resolution 2719 the UN may pay up to 75% of the AU force's cost from assessed
-- contributions; the rest must come from the AU's members or from donors. Here donors
-- cover most of that gap at first, then stop: watch the force's readiness fall, its
-- operations thin out and the armed groups take the space. The UN's own footprint is a
-- support office and civilian teams (political, civil affairs, rule of law, DDR).
--
-- Case of the minutes: Somalia, AMISOM -> ATMIS with the UN support office (Gen. Khan,
-- lines 589-598: "soon confronted with serious resource inadequacies"; the form
-- "Non-UN/Regional Forces Led Operation; UN in Support Role", lines 561-572; UNSC 2719,
-- line 650; DESIGN §2.1-2.2).
--
-- Try:  pkosim run scenarios/case_regional_led.lua --set donors.stop_day=0
--       pkosim run scenarios/case_regional_led.lua --set funding.un_share=0.5 --set funding.gap_covered=0
--       pkosim run scenarios/case_regional_led.lua --set funding.un_share=1 --set support=0
local cases = require("pkosim.cases")

return cases.scenario {
  name = "case_regional_led",
  description = "Carana: an AU-led force with a UN support office; donors stop covering the 25% gap",
  days = 365,

  params = {
    ["au.troops"] = { type = "int", default = 7000, min = 0, max = 40000,
      description = "AU force personnel (companies of 170)" },
    ["au.roe"] = { type = "choice", default = "offensive",
      choices = { "self_defence", "defence_of_mandate", "offensive" }, description = "AU force rules of engagement" },
    ["funding.un_share"] = { type = "number", default = 0.75, min = 0, max = 1,
      description = "share of the AU force's cost paid from UN assessed contributions (UNSC 2719: up to 0.75)" },
    ["funding.gap_covered"] = { type = "number", default = 0.8, min = 0, max = 1,
      description = "share of the remaining gap that donors cover until they stop" },
    ["donors.stop_day"] = { type = "int", default = 120, min = 0, max = 36500,
      description = "day donors stop covering the gap (0: they never stop)" },
    support = { type = "number", default = 1.0, min = 0, max = 1,
      description = "the UN support office's logistic package for the AU force (0: none)" },
    ["un.civilians"] = { type = "int", default = 300, min = 0, max = 3000,
      description = "UN civilian components in the field (teams of 15)" },
    ["coordination.quality"] = { type = "number", default = 0.5, min = 0, max = 1,
      description = "quality of coordination between the AU force and the UN support office" },
  },

  cfg = function(p)
    return {
      form = "regional_led",
      un = { name = "UN Support Office in Carana", civilians = p["un.civilians"],
             mandate = "political,rule_of_law,ddr,human_rights,humanitarian_access,engagement" },
      partner = { name = "AU Transition Mission in Carana", unit_name = "AU company",
                  troops = p["au.troops"], roe = p["au.roe"],
                  mandate = "enforcement,poc,protection_of_mission" },
      coordination = p["coordination.quality"],
      un_share = p["funding.un_share"], gap_covered = p["funding.gap_covered"],
      partner_regions = cases.deploy,
    }
  end,

  adjust = function(m, p)
    cases.faction(m, "partner").support = p.support
    -- a support office, not a mission headquarters
    cases.faction(m, "un").hq_cost = 80000
  end,

  injects = function(p)
    local inj = {
      { id = "start", day = 1, faction = "partner",
        text = string.format("AU force deploys; the UN pays %d%% of its cost, donors %d%% of the rest",
                             math.floor(p["funding.un_share"] * 100 + 0.5), math.floor(p["funding.gap_covered"] * 100 + 0.5)) },
      { id = "base_attack", day = 60, region = "jokovu", faction = "clf",
        text = "CLF fighters overrun an AU forward base near Jokovu",
        action = function(sim) sim.set_region("jokovu", "violence", 2.0) end },
    }
    local stop = p["donors.stop_day"]
    if stop > 0 then
      inj[#inj + 1] = { id = "donors_stop", day = stop, faction = "partner",
        text = "Donors stop paying the AU force's allowances: the 25% is unfunded",
        action = function(sim) sim.set_gap_covered("partner", 0) end }
      inj[#inj + 1] = { id = "unpaid", day = stop + 60, faction = "partner",
        text = "AU troop contributors warn that unpaid contingents will draw down" }
    end
    return inj
  end,
}
