import Testing
import SynScenes
import SynApp

extension SceneContractTests {
    // MARK: 8. Rewinding changes nothing

    /// On the dashboard's simulation thread: stepping, switching rule (when the scene has
    /// several), stepping on, rewinding past the switch and stepping forward again gives
    /// bit-identical metrics and markers to never having rewound.
    @Test(arguments: SceneFiles.all())
    func rewindThenForwardIsBitIdentical(_ file: String) throws {
        let spec = try SceneFiles.load(file)
        let every = spec.metricsEvery
        let a = every + 3, b = 2 * every
        func run(rewinding: Bool) throws -> Snapshot {
            let runner = SimulationRunner(session: try SceneSession(spec: spec), paused: true)
            runner.start()
            defer { runner.stop() }
            runner.send([.step(a), .cycleRule(1), .step(b)])
            if rewinding { runner.send([.rewind(b + 2), .step(1), .rewind(1), .step(b + 2)]) }
            return try #require(Self.settled(runner, step: a + b), "never reached step \(a + b)")
        }
        let plain = try run(rewinding: false)
        let rewound = try run(rewinding: true)
        #expect(rewound.step == plain.step)
        #expect(rewound.switches == plain.switches)
        #expect(rewound.rewindDepth > 0)
        #expect(rewound.history.totalRows == plain.history.totalRows)
        for j in plain.metricNames.indices {
            let p = plain.history.points(metric: j), q = rewound.history.points(metric: j)
            #expect(p.map(\.x) == q.map(\.x), "\(plain.metricNames[j]): steps")
            #expect(zip(p, q).allSatisfy { $0.yMean.bitPattern == $1.yMean.bitPattern }, "\(plain.metricNames[j]): values")
        }
        #expect((plain.history.latest ?? []).map(\.bitPattern) == (rewound.history.latest ?? []).map(\.bitPattern))
    }
}

extension SceneContractTests {
    // MARK: 9. Tours point at real things

    /// Every `[[tour]]` stop of every scene names one of the scene's panels, conditions on one
    /// of its metrics, lies within the scene's `steps`, and says something; stops at fixed
    /// steps come in order.
    @Test(arguments: SceneFiles.all())
    func tourStopsReferenceExistingPanelsAndMetrics(_ file: String) throws {
        let spec = try SceneFiles.loadAsShipped(file)
        let titles = spec.panels.map(\.title)
        var lastStep = -1
        for (i, stop) in spec.tour.enumerated() {
            if let p = stop.panel { #expect(titles.contains(p), "tour stop \(i + 1): no panel \"\(p)\" (panels: \(titles))") }
            #expect(!stop.text.isEmpty, "tour stop \(i + 1): no text")
            switch stop.place {
            case .step(let n):
                #expect(n <= spec.steps, "tour stop \(i + 1): step \(n) beyond the scene's \(spec.steps) steps")
                #expect(n > lastStep, "tour stop \(i + 1): step \(n) not after the previous fixed stop")
                lastStep = n
            case .when(let c):
                #expect(spec.model.metricNames.contains(c.metric), "tour stop \(i + 1): unknown metric \(c.metric)")
            }
        }
    }
}
