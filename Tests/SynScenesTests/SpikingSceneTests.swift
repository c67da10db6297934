import Testing
import SynModels
@testable import SynScenes

@Suite struct SpikingSceneTests {
    /// The package root, from this file's path (…/Tests/SynScenesTests/SpikingSceneTests.swift).
    static var root: String {
        let path = "\(#filePath)"
        guard let r = path.range(of: "/Tests/SynScenesTests/") else { return "." }
        return String(path[..<r.lowerBound])
    }

    static func load(_ name: String, _ overrides: [String] = []) throws -> SceneSpec {
        try SceneLoader.load(path: "\(root)/scenes/\(name).toml", overrides: overrides)
    }

    /// Loads a scene, steps one metrics interval (or `steps`), and checks metrics and views.
    static func stepScene(_ name: String, overrides: [String] = [], steps: Int? = nil) throws {
        let spec = try load(name, overrides)
        var sim = try spec.makeSimulation()
        #expect(sim.metricNames == spec.model.metricNames)
        #expect(sim.ruleNames == spec.model.ruleNames)
        sim.advance(steps ?? spec.metricsEvery)
        let m = sim.measure()
        #expect(m.count == sim.metricNames.count)
        let views = sim.views()
        for v in sim.viewNames { #expect(views[v] != nil, "\(name): view \(v) missing") }
        for p in spec.panels {
            if case .view(let v) = p.content { #expect(sim.viewNames.contains(v)) }
        }
        #expect(!sim.ruleEquation.isEmpty)
        #expect(sim.step == (steps ?? spec.metricsEvery))
        for (name, view) in views {
            if case .heatmap(let h) = view { #expect(h.values.count == h.rows * h.cols, "\(name)") }
            if case .raster(let r) = view {
                #expect(r.steps.count == r.neurons.count)
                #expect(r.neurons.allSatisfy { $0 >= 0 && Int($0) < r.neuronCount })
                #expect(r.steps.allSatisfy { Int($0) >= r.fromStep && Int($0) < r.toStep })
            }
        }
        for c in sim.controls {
            #expect(sim.setControl(c.name, to: c.value) == nil, "\(name): \(c.name)")
            #expect(sim.setControl(c.name, to: c.range.upperBound + 1) != nil)
        }
        #expect(sim.setControl("no_such_control", to: 1) != nil)
    }

    @Test func cubaSceneLoadsAndSteps() throws {
        // Shrunk for debug speed; the full network is exercised in SpikingCubaTests.
        try Self.stepScene("cuba", overrides: ["network.excitatory=400", "network.inhibitory=100", "network.p=0.1"])
        let spec = try Self.load("cuba")
        #expect(spec.model.ruleNames == ["none", "istdp"])
    }

    @Test func stdpSceneLoadsAndSteps() throws {
        try Self.stepScene("stdp-song2000")
        let spec = try Self.load("stdp-song2000")
        #expect(spec.model.ruleNames.first == "additive")
        #expect(Self.loadError("stdp-song2000", ["rule.name=hebb"])?.contains("rule.name: unknown stdp rule \"hebb\"") == true)
        // Composite names resolve each part; an unknown part is a one-line error with a suggestion.
        let composite = Self.loadError("stdp-song2000", ["rule.name=additive+scalin"])
        #expect(composite?.contains("unknown stdp rule \"additive+scalin\", did you mean \"additive+scaling\"?") == true, "\(composite ?? "")")
        #expect(composite?.contains("\n") == false)
        // A key only an unlisted rule takes names its owner.
        #expect(Self.loadError("stdp-song2000", ["rule.switchable=[\"additive\"]"])?.contains("rule.alpha: is a parameter of gutig") == true)
        #expect(Self.loadError("stdp-song2000", ["network.inputs=100000", "network.outputs=1000"])?.contains("network.outputs") == true)
    }

    /// The Gütig rule is reachable from the scene: switching to it keeps the weights and
    /// shows its equation; its parameters come from the scene.
    @Test func stdpSceneSwitchesToGutig() throws {
        let spec = try Self.load("stdp-song2000", ["network.inputs=200"])
        let index = try #require(spec.model.ruleNames.firstIndex(of: "gutig"))
        var sim = try spec.makeSimulation()
        sim.advance(2000)
        guard let before = sim as? STDPNeuronSimulation else { Issue.record("unexpected type"); return }
        sim.selectRule(index)
        guard let s = sim as? STDPNeuronSimulation else { Issue.record("unexpected type"); return }
        #expect(s.synapses.weight == before.synapses.weight)
        #expect(s.ruleEquation.contains("Gütig"))
        let gutig = try #require(s.stdp.rule as? GutigSTDP)
        #expect(gutig.mu == 0.4 && gutig.alpha == 1.05)
        sim.advance(2000)
        let m = sim.measure()
        #expect(m.allSatisfy { $0.isFinite })
    }

    /// The input-rate control changes the Poisson rate from the next step on.
    @Test func stdpInputRateControlTakesEffect() throws {
        var sim = try Self.load("stdp-song2000", ["network.inputs=200"]).makeSimulation()
        sim.advance(1000)
        #expect(sim.setControl("input_rate_hz", to: 40) == nil)
        _ = sim.measure()
        guard let s = sim as? STDPNeuronSimulation else { Issue.record("unexpected type"); return }
        let before = s.inputRecorder.totalSpikes
        var t = s
        t.advance(20_000)
        let rate = Double(t.inputRecorder.totalSpikes - before) / (200 * 2.0)
        #expect(abs(rate - 40) < 2, "\(rate) Hz")
    }

    @Test func izhikevichSceneLoadsAndSteps() throws {
        try Self.stepScene("izhikevich-2003")
    }

    @Test func rewardSceneLoadsStepsAndSwitchesRules() throws {
        try Self.stepScene("reward-stdp", steps: 500)
        let spec = try Self.load("reward-stdp")
        #expect(spec.model.metricNames.contains("w_target"))
        var sim = try spec.makeSimulation()
        sim.advance(200)
        sim.selectRule(1)
        #expect(sim.ruleNames[sim.activeRule] == "stdp")
        #expect(sim.ruleEquation.contains("STDP"))
        #expect(!sim.probe().isEmpty)
        #expect(Self.loadError("reward-stdp", ["task.name=distal-rewad"])?.contains("did you mean \"distal_reward\"") == true)
        #expect(Self.loadError("reward-stdp", ["rule.name=da-stpd"])?.contains("did you mean \"da_stdp\"") == true)
    }

    /// The benchmarks (`SynBench`) use the library defaults: they must equal the scene files' networks.
    @Test func benchConfigurationsEqualTheSceneFiles() throws {
        let cuba = try #require(try Self.load("cuba").model as? LIFNetworkSceneModel)
        var c = cuba.config
        c.rules = [c.rules[c.start]]
        c.start = 0
        #expect(c == LIFNetworkConfig())
        let song = try #require(try Self.load("stdp-song2000").model as? STDPNeuronSceneModel)
        var s = song.config
        s.rules = [s.rules[s.start]]
        s.start = 0
        #expect(s == STDPNeuronConfig())
    }

    /// The one-line error for loading `name` with `overrides` (nil if it loads).
    static func loadError(_ name: String, _ overrides: [String]) -> String? {
        do throws(SceneError) {
            _ = try SceneLoader.load(path: "\(root)/scenes/\(name).toml", overrides: overrides)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func cubaSceneRejectsBadKeysWithRanges() {
        #expect(Self.loadError("cuba", ["network.p=1.5"])?.hasSuffix("network.p: expected a number in [0, 1], got 1.5") == true)
        #expect(Self.loadError("cuba", ["network.excitatory=1000000"])?
            .hasSuffix("network.excitatory: expected an integer in [1, 200000], got 1000000") == true)
        #expect(Self.loadError("cuba", ["network.tau_mm_ms=3"])?.contains("did you mean \"tau_m_ms\"") == true)
        #expect(Self.loadError("cuba", ["rule.name=istdp", "rule.switchable=[\"none\"]"])?.contains("rule.switchable") == true)
        #expect(Self.loadError("cuba", ["network.v_reset_mv=-40"])?.contains("network.v_reset_mv") == true)
    }
}
