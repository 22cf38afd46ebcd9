-- case_sequential.lua — a coalition stabilises, a UN transitional administration follows.
--
-- What it teaches: the sequential form of partnership (UN-led, a non-UN force in support,
-- deployed first). After a referendum, violence overwhelms a small UN political mission;
-- a coalition (fast, heavy, well coordinated, highly standardised) comes in and stops the
-- killing; a UN transitional administration with many civilian components (political
-- affairs, civil affairs, rule of law, DDR, human rights) arrives before the coalition
-- leaves, takes over on the handover day and works on return, reconciliation,
-- reintegration and elections. Watch whether the calm the coalition bought outlasts its
-- departure, and what the overlap and the number of civilians change.
--
-- Case of the minutes: Timor-Leste 1999, INTERFET then UNTAET (Gen. Khan, lines 574-588;
-- the form "sequential deployment", lines 561-572; DESIGN §2.2).
--
-- Try:  pkosim run scenarios/case_sequential.lua --set overlap=0
--       pkosim run scenarios/case_sequential.lua --set handover.day=60 --set untaet.civilians=100
--       pkosim run scenarios/case_sequential.lua --set coalition.troops=2000 --days 1460
local cases = require("pkosim.cases")

return cases.scenario {
  name = "case_sequential",
  description = "Carana after the referendum: a coalition stabilises, then hands over to a UN transitional administration",
  days = 730,

  params = {
    ["handover.day"] = { type = "int", default = 150, min = 2, max = 3650,
      description = "the day the coalition hands over to the UN mission and leaves" },
    ["overlap"] = { type = "int", default = 30, min = 0, max = 365,
      description = "days the UN mission is deployed before the handover (both present)" },
    ["coalition.troops"] = { type = "int", default = 5500, min = 0, max = 40000,
      description = "coalition personnel (companies of 170)" },
    ["coordination.quality"] = { type = "number", default = 0.8, min = 0, max = 1,
      description = "quality of the coordination between coalition and UN (the handover)" },
    ["untaet.troops"] = { type = "int", default = 8000, min = 0, max = 40000,
      description = "UN military component after the handover (companies of 170)" },
    ["untaet.police"] = { type = "int", default = 1400, min = 0, max = 10000,
      description = "UN police (formed police units of 140)" },
    ["untaet.civilians"] = { type = "int", default = 900, min = 0, max = 3000,
      description = "UN civilian components: political, civil affairs, rule of law, DDR, human rights (teams of 15)" },
    ["untaet.mandate"] = { type = "list",
      default = { "political", "rule_of_law", "poc", "ddr", "elections", "human_rights", "engagement" },
      choices = { "poc", "political", "humanitarian_access", "protection_of_mission", "human_rights", "rule_of_law",
                  "ddr", "elections", "disaster_response", "engagement", "enforcement" },
      description = "UN transitional administration's tasks in priority order" },
  },

  cfg = function(p)
    return {
      form = "sequential",
      un = { name = "UN Transitional Administration in Carana", troops = p["untaet.troops"],
             police = p["untaet.police"], observers = 200, civilians = p["untaet.civilians"],
             roe = "defence_of_mandate", mandate = p["untaet.mandate"] },
      partner = { name = "INFC coalition (International Force Carana)", unit_name = "Coalition company",
                  troops = p["coalition.troops"], roe = "offensive",
                  mandate = "poc,enforcement,humanitarian_access,protection_of_mission" },
      coordination = p["coordination.quality"], role_clarity = 0.8,
      handover_day = p["handover.day"], overlap = p["overlap"],
      -- the coalition goes where the killing is; the UN everywhere
      partner_regions = cases.hot,
    }
  end,

  -- a coalition of a few well-trained armies under one lead nation: faster decisions,
  -- more standardised and less high-handed than the lab's generic regional force
  adjust = function(m, p)
    local c = cases.faction(m, "partner")
    c.kind = "regional"
    c.standardisation, c.heaviness, c.high_handedness, c.command_latency = 0.9, 0.9, 0.1, 1
    c.context = 0.6
    -- the administration governs: more political weight, slower (New York) decisions
    local u = cases.faction(m, "un")
    u.influence = 0.7
  end,

  injects = function(p)
    local h, o = p["handover.day"], p["overlap"]
    local arrive = math.max(1, h - o)
    local inj = {
      { id = "referendum", day = 1, region = "hoyembe", faction = "clf",
        text = "After the referendum militias burn villages in Hoyembe and Jokovu; the UN political mission is overwhelmed",
        action = function(sim)
          sim.set_region("hoyembe", "violence", 3.0)
          sim.set_region("jokovu", "violence", 2.0)
        end },
      { id = "coalition", day = 2, faction = "partner",
        text = "The Security Council authorises a coalition to restore peace and security; its first companies land" },
      { id = "untaet_arrives", day = arrive, faction = "un",
        text = "UN transitional administration deploys: civil affairs, rule of law, DDR and electoral teams" },
      { id = "handover", day = h, faction = "partner",
        text = "Handover: the coalition transfers military command to the UN transitional administration and leaves" },
      { id = "return", day = h + 60, region = "ibirasa", faction = "un",
        text = "Refugees return from across the border; reconciliation commissions open in Ibirasa and Zerenga",
        action = function(sim)
          sim.set_region("ibirasa", "services", 0.5)
          sim.set_region("zerenga", "services", 0.5)
        end },
      { id = "elections", day = h + 400, region = "lumeni", faction = "un",
        text = "Constituent assembly elections under UN administration" },
    }
    return inj
  end,
}
