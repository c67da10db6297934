import SynApp
import SynScenes

extension BenchSuite {
    /// Group `rewind`: the dashboard's rewind history through `SimulationRunner` (default
    /// budget). `cuba_one_step`: the latency of `b` (restore the newest saved state, re-simulate
    /// to one step back, publish) on the 4000-neuron CUBA network after a second of free
    /// running. One case per scene: the bytes a saved state costs beyond the live run and the
    /// steps between saved states, after a second of free running.
    public static var rewindCases: [BenchCase] {
        var cases: [BenchCase] = []
        if let cuba = SceneLocator.sceneFiles().first(where: { SceneLoader.baseName($0) == "cuba" }) {
            cases.append(BenchCase(group: "rewind", name: "cuba_one_step",
                                   figures: [BenchFigure("latency_ms", unit: "ms"), BenchFigure("interval_steps", unit: "steps")],
                                   runs: 5, warmup: false) {
                guard let spec = try? SceneLoader.load(path: cuba), let session = try? SceneSession(spec: spec) else { return [.nan, .nan] }
                let runner = SimulationRunner(session: session, speed: .max, paused: false)
                runner.start()
                defer { runner.stop() }
                let end = ContinuousClock.now + .seconds(1)
                while ContinuousClock.now < end { _ = runner.nextSnapshot(after: runner.generation, views: false, timeout: 0.2) }
                runner.send(.setPaused(true))
                guard let paused = settle(runner) else { return [.nan, .nan] }
                // Rewind a step that is not a saved state: the worst case re-simulates a whole interval.
                var latency = 0.0
                latency = BenchClock.seconds {
                    runner.send(.rewind(1))
                    _ = settle(runner)
                }
                let s = runner.snapshot
                return [s.step == paused.step - 1 ? latency * 1000 : .nan, Double(s.rewindStats.interval)]
            })
        }
        for file in SceneLocator.sceneFiles() {
            let name = SceneLoader.baseName(file)
            cases.append(BenchCase(group: "rewind", name: name,
                                   figures: [BenchFigure("state_kib", unit: "KiB"), BenchFigure("interval_steps", unit: "steps"),
                                             BenchFigure("depth_steps", unit: "steps")],
                                   runs: 1, warmup: false) {
                guard let spec = try? SceneLoader.load(path: file), let session = try? SceneSession(spec: spec) else {
                    return [.nan, .nan, .nan]
                }
                let runner = SimulationRunner(session: session, speed: .max, paused: false)
                runner.start()
                defer { runner.stop() }
                let end = ContinuousClock.now + .seconds(1)
                while ContinuousClock.now < end { _ = runner.nextSnapshot(after: runner.generation, views: false, timeout: 0.2) }
                let s = runner.snapshot
                let st = s.rewindStats
                return [Double(st.points > 1 ? st.bytes / (st.points - 1) : st.lastAddedBytes) / 1024, Double(st.interval),
                        Double(s.rewindDepth)]
            })
        }
        return cases
    }

    /// The snapshot once every command sent has been applied.
    static func settle(_ runner: SimulationRunner) -> Snapshot? {
        for _ in 0..<2000 {
            let now = runner.snapshot
            if now.commandsApplied == runner.commandsSent { return now }
            if let s = runner.nextSnapshot(after: runner.generation, views: false, timeout: 5),
               s.commandsApplied == runner.commandsSent { return s }
        }
        return nil
    }
}
