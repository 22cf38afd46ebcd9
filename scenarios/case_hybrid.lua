-- case_hybrid.lua — one mission, two organisations, joint command, two reporting lines.
--
-- What it teaches: the hybrid form. An AU-UN hybrid operation has one force commander and
-- one joint special representative, but each side still reports to its own headquarters
-- (the AU Peace and Security Council and the UN Security Council) and every change of plan
-- waits for both: under the `joint` link a side re-plans only every (UN latency + AU
-- latency) days. Watch the `redeploy` events come in bursts, the force arrive late where a
-- camp is attacked, and the host government — which never fully accepted the mandate —
-- squeeze the mission's consent. Civilians see one mission (high association).
--
-- Case of the minutes: Darfur, UNAMID (Gen. Khan, line 610: it protected the people
-- in the camps but "could not produce all the desired results because of a number of issues
-- of legitimacy"; "if you have two different bosses, even if they're very good, they will
-- always have disputes", line 1491; the host's view, lines 1480-1486; DESIGN §2.2).
--
-- Try:  pkosim run scenarios/case_hybrid.lua --set un.command_latency=1 --set au.command_latency=1
--       pkosim run scenarios/case_hybrid.lua --set un.command_latency=10
--       pkosim run scenarios/case_hybrid.lua --set host.consent=0.15
local cases = require("pkosim.cases")

return cases.scenario {
  name = "case_hybrid",
  description = "Carana: an AU-UN hybrid operation with a joint command and two reporting lines",
  days = 365,

  params = {
    ["un.command_latency"] = { type = "int", default = 3, min = 1, max = 365,
      description = "days the UN reporting line takes to approve a change of plan" },
    ["au.command_latency"] = { type = "int", default = 2, min = 1, max = 365,
      description = "days the AU reporting line takes; under the joint command the two add up" },
    ["un.troops"] = { type = "int", default = 6000, min = 0, max = 40000,
      description = "UN military personnel (companies of 170)" },
    ["un.police"] = { type = "int", default = 1400, min = 0, max = 10000,
      description = "police (formed police units of 140)" },
    ["au.troops"] = { type = "int", default = 4000, min = 0, max = 40000,
      description = "AU military personnel (companies of 170)" },
    ["coordination.quality"] = { type = "number", default = 0.6, min = 0, max = 1,
      description = "quality of coordination inside the joint mission" },
    ["host.consent"] = { type = "number", default = 0.5, min = 0, max = 1,
      description = "host government's consent to the mission after it restricts access on day 200 (below 0.2 it is withdrawn)" },
  },

  cfg = function(p)
    return {
      form = "hybrid",
      un = { name = "UN side of the AU-UN Hybrid Operation in Carana", troops = p["un.troops"], police = p["un.police"],
             observers = 200, civilians = 300, roe = "defence_of_mandate",
             mandate = "poc,humanitarian_access,political,human_rights,rule_of_law,engagement" },
      partner = { name = "AU side of the AU-UN Hybrid Operation in Carana", unit_name = "AU company",
                  troops = p["au.troops"], roe = "defence_of_mandate" },
      coordination = p["coordination.quality"],
      -- the hybrid guards the camps: the AU side too is spread over every district
      partner_regions = cases.deploy,
    }
  end,

  adjust = function(m, p)
    cases.faction(m, "un").command_latency = p["un.command_latency"]
    local au = cases.faction(m, "partner")
    au.command_latency = p["au.command_latency"]
    -- inside a UN-led structure the AU side behaves more like blue helmets
    au.high_handedness = 0.15
  end,

  injects = function(p)
    local lat = p["un.command_latency"] + p["au.command_latency"]
    return {
      { id = "joint_command", day = 1, faction = "un",
        text = string.format("Hybrid operation established: one force commander, two reporting lines; plans change every %d days", lat) },
      { id = "camp_attack", day = 75, region = "wessagu", faction = "vdm",
        text = "Militia attack on the Wessagu camps; the response waits for both headquarters to agree",
        action = function(sim)
          sim.set_region("wessagu", "violence", 4.0)
          sim.set_region("korombi", "violence", 1.5)
        end },
      { id = "report_dispute", day = 150, faction = "partner",
        text = "The AU and the UN disagree over a human-rights report on the whole country; the host protests" },
      { id = "restrictions", day = 200, faction = "gov",
        text = "The government restricts the mission's flights and access permits",
        action = function(sim)
          sim.set_consent("un", p["host.consent"])
          sim.set_consent("partner", p["host.consent"])
        end },
    }
  end,
}
