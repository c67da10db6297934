import Testing
import SynCore
import SynModels
@testable import SynScenes

@Suite struct RateSceneTests {
    static let rateScenes = ["mlp-digits"]

    @Test(arguments: rateScenes)
    func sceneLoadsStepsAndMeasuresFiniteMetrics(_ name: String) throws {
        let spec = try SceneLoader.load(path: scenePath(name))
        var s = try SceneSession(spec: spec)
        let first = s.measureRow()
        #expect(first.values.count == s.metricNames.count)
        let rows = s.advance(spec.metricsEvery)
        let last = try #require(rows.last)
        let finite = last.values.allSatisfy(\.isFinite)
        #expect(finite, "\(name): \(last.values)")
        let views = s.sim.views()
        for v in spec.model.viewNames { #expect(views[v] != nil, "\(name): view \(v) missing") }
    }

    /// advance(a); advance(b) == advance(a + b) bit for bit, and the same seed gives the same
    /// views (weights), for every rule of the scene (perturbation rules draw random numbers).
    @Test(arguments: rateScenes)
    func chunkingAndSeedDoNotChangeTheNumbers(_ name: String) throws {
        let spec = try SceneLoader.load(path: scenePath(name))
        for rule in spec.model.ruleNames.indices {
            var a = try spec.makeSimulation(seed: 5)
            var b = try spec.makeSimulation(seed: 5)
            a.selectRule(rule); b.selectRule(rule)
            a.advance(37); a.advance(1); a.advance(62)
            b.advance(100)
            #expect(a.views() == b.views(), "\(name) rule \(spec.model.ruleNames[rule])")
            if rule == 0 { #expect(a.measure() == b.measure()) }
        }
    }

    @Test func mlpDigitsSwitchKeepsWeightsAndBackpropLearns() throws {
        let spec = try SceneLoader.load(path: scenePath("mlp-digits"))
        var s = try SceneSession(spec: spec)
        _ = s.advance(1500)
        let sim = try #require(s.sim as? MLPSimulation)
        let row = s.measureRow()
        let acc = row.values[try #require(s.metricNames.firstIndex(of: "test_acc"))]
        #expect(acc > 0.85, "test accuracy after one epoch of backprop: \(acc)")
        let before = sim.net.params
        let switched = s.selectRule(named: "feedback_alignment")
        #expect(switched)
        let after = try #require(s.sim as? MLPSimulation).net.params
        #expect(after == before)
        #expect(s.switches == [RuleSwitch(step: 1500, rule: "feedback_alignment")])
        #expect(s.sim.ruleEquation.contains("B^T"))
    }

    @Test func badRuleKeysAreRejectedWithTheirRange() {
        let base = "title = \"t\"\nmodel = \"mlp\"\n[task]\nname = \"xor\"\n"
        #expect(sceneError(base + "[rule]\nname = \"backprop\"\neta = -1\n") == "scenes/x.toml: rule.eta: expected a number in (0, 10], got -1")
        #expect(sceneError(base + "[rule]\nname = \"backprop\"\nswitchable = [\"curl\"]\n")?.contains("must contain the starting rule") == true)
        #expect(sceneError(base + "[network]\nhidden = [5000]\n")?.contains("network.hidden: expected integers in [1, 4096], got 5000") == true)
        #expect(sceneError(base + "[network]\nhiden = [5]\n")?.contains("did you mean \"hidden\"") == true)
        #expect(sceneError(base + "[rule]\nname = \"backprop\"\netas = { curll = 1 }\n")?.contains("rule.etas.curll: unknown key, did you mean \"curl\"") == true)
    }
}
