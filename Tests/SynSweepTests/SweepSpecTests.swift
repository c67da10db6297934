import Foundation
import Testing
import SynCore
import SynScenes
@testable import SynSweep

/// Sweep files: validation (one line naming the key and the accepted range), grid expansion,
/// run ids, emitted scripts, one point run in-process.
@Suite struct SweepSpecTests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let oja = root + "/scenes/oja.toml"

    func parse(_ text: String) throws(SceneError) -> SweepSpec {
        try SweepSpec.parse(bytes: Array(text.utf8), file: "s.toml")
    }

    func error(_ text: String) -> String {
        do { _ = try parse(text); return "" } catch { return error.description }
    }

    @Test func validationErrorsAreOneLineAndNameTheKeyAndRange() {
        let head = "scene = \"\(Self.oja)\"\n"
        let cases: [(String, String)] = [
            (head + "seeds = [1]\n[grid]\nrule.eta = [0.01, -1]\n", "s.toml: grid.rule.eta: expected a number in"),
            (head + "seeds = 0\n", "s.toml: seeds: expected an integer in [1, 10000], got 0"),
            (head, "s.toml: seeds: missing required key"),
            (head + "seeds = [1]\nsteps = 0\n", "s.toml: steps: expected an integer in [1, 1000000000], got 0"),
            (head + "seeds = [1]\n[grid]\nrule.etaa = [0.01]\n", "did you mean \"eta\""),
            (head + "seeds = [1]\n[grid]\nrule.eta = 0.01\n", "s.toml: grid.rule.eta: expected a list of values"),
            (head + "seeds = [1]\nmetrics = [\"alignmnt\"]\n", "s.toml: metrics: unknown value \"alignmnt\", did you mean \"alignment\"?"),
            (head + "seeds = [1]\nrules = [\"ojaa\"]\n", "s.toml: rules: unknown hebbian rule \"ojaa\", did you mean \"oja\"?"),
            (head + "seeds = [1]\nstepz = 3\n", "s.toml: stepz: unknown key, did you mean \"steps\"?"),
            (head + "seeds = [1]\n[random]\ndraws = 2\nrule.eta = { log_uniform = [0, 1] }\n", "s.toml: random.rule.eta: expected log_uniform = [lo, hi] with 0 < lo < hi"),
            ("scene = \"no-such-scene-x\"\nseeds = [1]\n", "s.toml: scene: no scene named \"no-such-scene-x\""),
            ("seeds = [1", "s.toml:1:"),
        ]
        for (text, expected) in cases {
            let e = error(text)
            #expect(e.contains(expected), "\(text) -> \(e)")
            #expect(!e.contains("\n"), "\(e)")
        }
        // The range comes from the scene's own reader.
        let e = error(head + "seeds = [1]\n[grid]\nrule.eta = [0.01, -1]\n")
        #expect(e.contains("(0, ") && e.contains("got -1"), "\(e)")
    }

    @Test func gridExpandsToTheProductWithSeedsInnermostAndStableIDs() throws {
        let text = """
        scene = "\(Self.oja)"
        seeds = 2
        steps = 100
        rules = ["oja", "hebb"]
        [grid]
        rule.eta = [0.001, 0.005, 0.01]
        """
        let s = try parse(text)
        #expect(s.points.count == 12)
        #expect(s.variedKeys == ["rule.name", "rule.eta"])
        #expect(s.points.map(\.seed).prefix(4) == [1, 2, 1, 2])
        #expect(s.points[0].setArguments == ["rule.name=\"oja\"", "rule.eta=0.001"])
        #expect(Set(s.points.map(\.id)).count == 12)
        #expect(s.points.allSatisfy { $0.id.count == 12 })
        // Deterministic, and independent of the order of values in the grid.
        let again = try parse(text)
        #expect(again.points.map(\.id) == s.points.map(\.id))
        let reordered = try parse(text.replacingOccurrences(of: "[0.001, 0.005, 0.01]", with: "[0.01, 0.001, 0.005]"))
        #expect(Set(reordered.points.map(\.id)) == Set(s.points.map(\.id)))
        // Another step count is another run.
        let longer = try parse(text.replacingOccurrences(of: "steps = 100", with: "steps = 200"))
        #expect(Set(longer.points.map(\.id)).isDisjoint(with: s.points.map(\.id)))
    }

    @Test func randomDrawsAreReproducibleAndInRange() throws {
        let text = """
        scene = "\(Self.oja)"
        seeds = [7]
        [random]
        draws = 5
        seed = 3
        rule.eta = { log_uniform = [0.0001, 0.01] }
        """
        let a = try parse(text), b = try parse(text)
        #expect(a.points.count == 5)
        #expect(a.points.map(\.id) == b.points.map(\.id))
        for p in a.points {
            let v = Double(p.value(of: "rule.eta") ?? "") ?? -1
            #expect(v >= 0.0001 && v <= 0.01)
        }
        #expect(a.randomKeys == ["rule.eta"])
    }

    @Test func slurmScriptIsAJobArrayRunningTheSameBinary() {
        let s = ClusterScripts.slurm(executable: "/opt/bin/synaptop", specPath: "/w/s.toml", dir: "/w/out", name: "oja", tasks: 4, extra: ["--time=00:10:00"])
        #expect(s.hasPrefix("#!/bin/bash\n"))
        #expect(s.contains("#SBATCH --array=0-3\n"))
        #expect(s.contains("#SBATCH --output=/w/out/slurm/%A_%a.out\n"))
        #expect(s.contains("#SBATCH --time=00:10:00\n"))
        #expect(s.contains("exec /opt/bin/synaptop sweep /w/s.toml --out /w/out --task-index \"$SLURM_ARRAY_TASK_ID\" --task-count 4 --quiet\n"))
        #expect(ClusterScripts.taskCount(points: 10, maxTasks: 4) == 4)
        #expect(ClusterScripts.taskCount(points: 3, maxTasks: 1000) == 3)
        let jobs = ClusterScripts.parallelJobs(executable: "/b/synaptop", specPath: "/w/s.toml", dir: "/w/o d", points: 2)
        #expect(jobs == "/b/synaptop sweep /w/s.toml --out '/w/o d' --task-index 0 --task-count 2 --quiet\n/b/synaptop sweep /w/s.toml --out '/w/o d' --task-index 1 --task-count 2 --quiet\n")
    }

    @Test func onePointRunsInProcessIntoTheStoreWithTheSameNumbersAsRun() throws {
        let s = try parse("scene = \"\(Self.oja)\"\nseeds = [3]\nsteps = 200\n[grid]\nrule.eta = [0.01]\n")
        let dir = NSTemporaryDirectory() + "synaptop-sweep-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = RunStore(dir)
        try store.prepare(s)
        let ctx = RunContext(version: "test", executor: "test")
        let p = s.points[0]
        #expect(try PointRunner.run(p, of: s, store: store, context: ctx) { false } == .finished(.ok))
        #expect(try PointRunner.run(p, of: s, store: store, context: ctx) { false } == .skipped)
        let m = try #require(store.manifest(p.id))
        #expect(m.status == .ok && m.seed == 3 && m.steps == 200 && m.overrides == p.overrides)
        #expect(m.sceneText.contains("Oja"))
        // The same session `synaptop run` drives: byte-identical metrics.
        var session = try SceneSession(spec: try SceneLoader.load(path: Self.oja, overrides: ["rule.eta=0.01"]), seed: 3)
        let rows = [session.measureRow()] + session.advance(200)
        let expected = MetricsWriter.render(rows, names: session.metricNames, format: .csv)
        let got = String(decoding: try FileIO.read(store.metricsPath(p.id)), as: UTF8.self)
        #expect(got == expected)
        // An interrupted run leaves nothing: it stays pending.
        let q = SweepPoint(index: 1, id: "interrupted0", overrides: p.overrides, seed: 4)
        #expect(try PointRunner.run(q, of: s, store: store, context: ctx) { true } == .interrupted)
        #expect(store.manifest(q.id) == nil)
        #expect(store.counts(try store.plan()) == SweepCounts(total: 1, done: 1, diverged: 0, failed: 0))
    }
}
