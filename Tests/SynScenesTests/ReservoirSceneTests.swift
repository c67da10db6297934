import Testing
import SynCore
import SynModels
@testable import SynScenes

@Suite struct ReservoirSceneTests {
    /// Overrides that keep the scene cheap in debug builds.
    static let small = ["network.units=60", "readout.window=100", "metrics.every=100"]

    @Test func sceneLoadsStepsAndShowsEveryView() throws {
        let spec = try SceneLoader.load(path: scenePath("reservoir-ei"), overrides: Self.small)
        #expect(spec.model.ruleNames == ["homeostatic", "none", "intrinsic"])
        var s = try SceneSession(spec: spec)
        _ = s.measureRow()
        let rows = s.advance(spec.metricsEvery)
        let last = try #require(rows.last)
        #expect(last.values.count == s.metricNames.count)
        let finite = last.values.allSatisfy(\.isFinite)
        #expect(finite, "\(last.values)")
        let views = s.sim.views()
        for v in spec.model.viewNames { #expect(views[v] != nil, "view \(v) missing") }
        if case .heatmap(let h) = views["activity"] { #expect(h.values.count == h.rows * h.cols && h.scale == .fixed(0, 1)) }
        else { Issue.record("activity is not a heatmap") }
        if case .spectrum(let sp) = views["spectrum"] { #expect(sp.eigenvalues.count == 60 && sp.eigenvalues.allSatisfy { $0 >= 0 }) }
        else { Issue.record("spectrum is not a spectrum") }
        if case .traces(let t) = views["traces"] { #expect(t.series.count == t.names.count && t.series[0].count == t.series[1].count) }
        else { Issue.record("traces is not traces") }
        #expect(!s.sim.probe().isEmpty)
        var sim = s.sim
        #expect(sim.setControl("gain", to: 2) == nil)
        #expect(sim.setControl("gain", to: 5) != nil)
        #expect(sim.controls.first?.value == 2)
    }

    /// Chunking and measuring do not change the numbers, for every rule; another seed differs.
    @Test func chunkingAndSeedDoNotChangeTheNumbers() throws {
        let spec = try SceneLoader.load(path: scenePath("reservoir-ei"), overrides: Self.small)
        for rule in spec.model.ruleNames.indices {
            var a = try spec.makeSimulation(seed: 5)
            var b = try spec.makeSimulation(seed: 5)
            a.selectRule(rule); b.selectRule(rule)
            a.advance(37); _ = a.measure(); _ = a.views(); _ = a.probe(); a.advance(63)
            b.advance(100)
            _ = a.measure(); _ = b.measure()
            #expect(a.views() == b.views(), "rule \(spec.model.ruleNames[rule])")
        }
        var c = try spec.makeSimulation(seed: 5), d = try spec.makeSimulation(seed: 6)
        c.advance(50); d.advance(50)
        #expect(c.measure() != d.measure())
    }

    @Test func badKeysAreRejectedWithTheirRange() {
        let base = "title = \"t\"\nmodel = \"reservoir\"\n"
        #expect(sceneError(base) == nil)
        #expect(sceneError(base, overrides: ["network.units=5000"]) == "scenes/x.toml: network.units: expected an integer in [16, 1000], got 5000")
        #expect(sceneError(base, overrides: ["network.leak=0"]) == "scenes/x.toml: network.leak: expected a number in (0, 1], got 0")
        #expect(sceneError(base, overrides: ["readout.forgetting=0.5"]) == "scenes/x.toml: readout.forgetting: expected a number in [0.9, 1], got 0.5")
        #expect(sceneError(base, overrides: ["readout.horizon=0"]) == "scenes/x.toml: readout.horizon: expected an integer in [1, 500], got 0")
        #expect(sceneError(base, overrides: ["rule.name=\"intrinsic\"", "rule.target_rate=1"]) == "scenes/x.toml: rule.target_rate: expected a number in (0, 1), got 1")
        #expect(sceneError(base, overrides: ["rule.target_rate=0.2"])?.contains("rule.target_rate: is a parameter of intrinsic, not of homeostatic") == true)
        #expect(sceneError(base, overrides: ["network.radiuss=2"])?.contains("did you mean \"radius\"") == true)
        #expect(sceneError(base + "[rule]\nname = \"oja\"\n")?.contains("rule.name") == true)
        #expect(sceneError(base + "[rule]\nname = \"none\"\nswitchable = [\"homeostatic\"]\n")?.contains("must contain the starting rule") == true)
        #expect(sceneError(base + "[task]\nname = \"sines\"\nperiods = [1.0]\n")?.contains("task.periods") == true)
    }
}
