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
