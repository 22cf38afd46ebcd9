-- case_split.lua — MATSUMURA's split mission: the AU takes the PKO mission, the UN a
-- Human Rights Protection Mission.
--
-- What it teaches: separating "conflict resolution and peacebuilding" from "protection of
-- the population's human rights". The AU-led PKO mission (blue helmets) carries the
-- political process and enforces the agreement with a forceful mandate; the UN's Human
-- Rights Protection Mission (orange helmets), with its own headquarters and chain of
-- command, meets immediate needs only — medical care, food, safety —, keeps strict
-- neutrality, is armed for self-defence only, coordinates the humanitarian agencies and
-- escorts them on request. When the PKO mission goes on the offensive (day 60) the armed
-- groups turn on it: does the HRPM keep its access and the population's trust? Watch
-- trust.hrpm, attacks_on_humanitarians and humanitarian_access against trust.partner, and
-- the cost of two headquarters. `leakage` is how far civilians still blame the orange
-- helmets for what the blue ones do (MATSUMURA's challenge: some civilians side with one
-- party, line 1385).
--
-- Case of the minutes: MATSUMURA, lines 1340-1400 (the proposal; "one possible role-sharing
-- model would be that the UN would take on new human rights protection mission and a
-- regional partner such as AU takes PKO mission", line 1382); DESIGN §2.3.
--
-- Try:  pkosim run scenarios/case_split.lua --set leakage=0.6
--       pkosim run scenarios/case_split.lua --set pko.roe=defence_of_mandate
--       pkosim run scenarios/mandate_lab.lua --set partnership.form=hybrid --set partner.roe=offensive   (the unified comparison)
local cases = require("pkosim.cases")

return cases.scenario {
  name = "case_split",
  description = "Carana: an AU-led PKO mission (blue) and a UN Human Rights Protection Mission (orange)",
  days = 365,

  params = {
    ["pko.troops"] = { type = "int", default = 7000, min = 0, max = 40000,
      description = "AU PKO mission personnel (companies of 170)" },
    ["pko.roe"] = { type = "choice", default = "offensive",
      choices = { "self_defence", "defence_of_mandate", "offensive" }, description = "PKO mission rules of engagement" },
    ["hrpm.troops"] = { type = "int", default = 2000, min = 0, max = 20000,
      description = "orange helmets (companies of 170, self-defence only)" },
    ["hrpm.civilians"] = { type = "int", default = 150, min = 0, max = 3000,
      description = "HRPM human-rights and protection staff (teams of 15)" },
    leakage = { type = "number", default = 0.1, min = 0, max = 1,
      description = "how far civilians credit the HRPM with the PKO mission's acts (perception leakage)" },
    ["coordination.quality"] = { type = "number", default = 0.5, min = 0, max = 1,
      description = "coordination between the two missions, and of the HRPM with the agencies" },
  },

  cfg = function(p)
    return {
      form = "split", split_pko = "partner",
      -- the UN's presence is the HRPM: no blue helmets and no separate UN civilian teams
      un = { name = "UN (mandates the HRPM; no units of its own)", troops = 0, police = 0, civilians = 0 },
      partner = { name = "AU Peace Support Operation in Carana (PKO)", unit_name = "AU company",
                  troops = p["pko.troops"], roe = p["pko.roe"],
                  mandate = "enforcement,political,poc,rule_of_law,ddr,protection_of_mission" },
      hrpm = { name = "HRPM (UN Human Rights Protection Mission)", troops = p["hrpm.troops"], civilians = p["hrpm.civilians"] },
      coordination = p["coordination.quality"], leakage = p.leakage,
      partner_regions = cases.deploy,
    }
  end,

  adjust = function(m, p)
    -- one UN headquarters here, the HRPM's: the UN faction has no units and no cost
    cases.faction(m, "un").hq_cost = 0
    local h = cases.faction(m, "hrpm")
    h.color = "#E69F00"   -- orange helmets
  end,

  injects = function(p)
    return {
      { id = "two_missions", day = 1, faction = "hrpm",
        text = "Two missions, two headquarters: the AU leads the peace process, the UN's orange helmets protect people" },
      { id = "offensive", day = 60, region = "hoyembe", faction = "partner",
        text = "The AU PKO mission launches an offensive against CLF strongholds in Hoyembe and Zerenga",
        action = function(sim)
          sim.set_region("hoyembe", "violence", 2.0)
          sim.set_region("zerenga", "violence", 1.0)
        end },
      { id = "escort", day = 75, region = "jokovu", faction = "hum",
        text = "WFP and MSF ask the HRPM for an armed escort to the Jokovu camps" },
      { id = "neutrality", day = 120, region = "ibirasa", faction = "clf",
        text = "CLF commanders accuse the orange helmets of working for the AU; the HRPM meets them to explain its neutrality" },
      { id = "cholera", day = 180, region = "ibirasa", faction = "hrpm",
        text = "Cholera in the Ibirasa camp: HRPM field hospitals and water teams respond",
        action = function(sim) sim.set_region("ibirasa", "water", 0.3) end },
    }
  end,
}
