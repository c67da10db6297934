import Foundation
import Testing
import SynCore
import SynScenes
@testable import SynSweep

/// The SQLite wrapper, the run store's index (kept in step with the run directories, rebuilt
/// when deleted or damaged), the statistics over seeds and the per-step series of `compare`.
@Suite struct RunIndexTests {
    static func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "synaptop-index-\(getpid())-\(UUID().uuidString)-\(name)"
    }

    // MARK: SQLite wrapper

    @Test func sqliteBindsReadsAndReportsErrorsInOneLine() throws {
        let db = try SQLiteDatabase(path: ":memory:")
        try db.execute("CREATE TABLE t(a INTEGER, b REAL, c TEXT)")
        let insert = try db.prepare("INSERT INTO t VALUES (?1, ?2, ?3)")
        try insert.run([.integer(Int64.min), .real(0.25), .text("it's \"quoted\", ünïcode")])
        try insert.run([.integer(7), .real(.nan), .null])
        try insert.run([.integer(8), .real(.infinity), .text("")])
        let rows = try db.rows("SELECT a, b, c FROM t ORDER BY rowid")
        #expect(rows[0] == [.integer(Int64.min), .real(0.25), .text("it's \"quoted\", ünïcode")])
        #expect(rows[1] == [.integer(7), .null, .null])  // NaN is stored as NULL
        #expect(rows[2] == [.integer(8), .null, .text("")])
        #expect(try db.rows("SELECT count(*) FROM t WHERE a > ?", [.integer(0)]) == [[.integer(2)]])

        var message = ""
        do { _ = try db.prepare("SELEC nonsense\nFROM t") } catch { message = error.message }
        #expect(message.hasPrefix(":memory:: SELEC nonsense FROM t: "), "\(message)")
        #expect(message.contains("syntax error") && !message.contains("\n"), "\(message)")
        do { try insert.run([.integer(1)]) } catch { message = error.message }
        #expect(message.contains("1 values for 3 parameters"), "\(message)")
        // A failed transaction leaves nothing behind.
        do {
            try db.transaction { () throws(SQLiteError) in
                try insert.run([.integer(99), .real(1), .text("x")])
                try db.execute("INSERT INTO nowhere VALUES (1)")
            }
        } catch { message = error.message }
        #expect(message.contains("no such table: nowhere"), "\(message)")
        #expect(try db.rows("SELECT count(*) FROM t WHERE a = 99") == [[.integer(0)]])
    }

    // MARK: Statistics

    @Test func studentTCriticalValuesMatchTheTableAndInterpolateIn1OverDof() {
        #expect(StudentT.critical95(dof: 1) == 12.7062)
        #expect(StudentT.critical95(dof: 2) == 4.3027)
        #expect(StudentT.critical95(dof: 9) == 2.2622)
        #expect(StudentT.critical95(dof: 30) == 2.0423)
        // scipy.stats.t.ppf(0.975, 50) = 2.008559; 1/dof interpolation between 40 and 60 gives 2.0086.
        #expect(abs(StudentT.critical95(dof: 50) - 2.008559) < 1e-3)
        // t.ppf(0.975, 35) = 2.030108; t.ppf(0.975, 1000) = 1.962339.
        #expect(abs(StudentT.critical95(dof: 35) - 2.030108) < 1e-3)
        #expect(abs(StudentT.critical95(dof: 1000) - 1.962339) < 1e-3)
        #expect(StudentT.critical95(dof: 0).isNaN)
    }

    @Test func seedStatisticsAgainstHandComputedValues() throws {
        // 1, 2, 3, 4: mean 2.5, s² = (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3, half-width
        // t(0.975; 3) · s / √4 = 3.1824 · 1.2909944 / 2 = 2.0542303.
        let a = try #require(SeedStatistics([1, 2, 3, 4]))
        #expect(a.n == 4 && a.mean == 2.5)
        #expect(abs(a.sd - (5.0 / 3).squareRoot()) < 1e-12)
        #expect(abs(a.halfWidth - 2.0542303) < 1e-6)
        #expect(abs(a.lower - 0.4457697) < 1e-6 && abs(a.upper - 4.5542303) < 1e-6)
        // 0.9, 1.1, 1.0: mean 1, s = 0.1, half-width 4.3027 · 0.1 / √3 = 0.2484165.
        let b = try #require(SeedStatistics([0.9, 1.1, 1.0]))
        #expect(abs(b.mean - 1) < 1e-12 && abs(b.sd - 0.1) < 1e-12)
        #expect(abs(b.halfWidth - 0.2484165) < 1e-6)
        // One seed: a mean, no interval; none: nothing.
        let c = try #require(SeedStatistics([0.7]))
        #expect(c.mean == 0.7 && c.halfWidth.isNaN)
        #expect(SeedStatistics([]) == nil)
        #expect(SweepReport.meanAndInterval(a) == "2.5 ± 2.1")
        #expect(SweepReport.meanAndInterval(b) == "1.00 ± 0.25")
        #expect(SweepReport.meanAndInterval(c) == "0.7")
        #expect(SweepReport.meanAndInterval(nil) == "-")
    }

    static func run(_ id: String, seed: UInt64, eta: String, status: String = "ok", last: Double?, loss: Double? = nil) -> IndexedRun {
        var metrics: [String: MetricSummary] = [:]
        metrics["alignment"] = MetricSummary(last: last, lastStep: 100, min: last.map { $0 - 0.5 }, max: last.map { $0 + 0.5 }, mean: last, defined: 2)
        metrics["loss"] = MetricSummary(last: loss, lastStep: 100, min: loss.map { $0 - 1 }, max: loss.map { $0 + 1 }, mean: loss, defined: 2)
        let o = [SweepOverride(key: "rule.eta", value: eta)]
        return IndexedRun(id: id, index: 0, seed: seed, overrides: o, config: RunIndex.configKey(o), status: status, scene: "oja",
                          rule: "oja", steps: 100, wallSeconds: 1, metrics: metrics, metricNames: ["alignment", "loss"])
    }

    @Test func reportGroupsSeedsPerConfigurationAndAveragesOnlyOkRuns() throws {
        let runs = [
            Self.run("a1", seed: 1, eta: "0.01", last: 1, loss: 4),
            Self.run("a2", seed: 2, eta: "0.01", last: 2, loss: 3),
            Self.run("b1", seed: 1, eta: "0.1", last: 0.9, loss: 1),
            Self.run("a3", seed: 3, eta: "0.01", last: 3, loss: 2),
            Self.run("a4", seed: 4, eta: "0.01", last: 4, loss: 1),
            Self.run("b2", seed: 2, eta: "0.1", last: 1.1),
            Self.run("b3", seed: 3, eta: "0.1", last: 1.0),
            Self.run("b4", seed: 4, eta: "0.1", status: "diverged", last: 50),
            Self.run("b5", seed: 5, eta: "0.1", status: "pending", last: nil),
        ]
        let r = SweepReport.build(runs: runs, metrics: ["alignment", "loss"], at: .last)
        #expect(r.keys == ["rule.eta"])
        #expect(r.rows.map(\.values) == [["0.01"], ["0.1"]])
        #expect(r.rows[0].ok == 4 && r.rows[1].ok == 3 && r.rows[1].diverged == 1 && r.rows[1].pending == 1)
        let a = try #require(r.rows[0].stats[0])
        #expect(a.mean == 2.5 && abs(a.halfWidth - 2.0542303) < 1e-6)
        let b = try #require(r.rows[1].stats[0])  // 0.9, 1.1, 1.0: the diverged 50 is not averaged
        #expect(abs(b.mean - 1) < 1e-12 && abs(b.halfWidth - 0.2484165) < 1e-6)
        #expect(r.rows[1].stats[1]?.n == 1)  // loss defined in one ok run only

        // best: the max of alignment, the min of loss (lower is better by name).
        let best = SweepReport.build(runs: runs, metrics: ["alignment", "loss"], at: .best)
        #expect(best.rows[0].stats[0]?.mean == 3.0)  // (1.5 + 2.5 + 3.5 + 4.5) / 4
        #expect(best.rows[0].stats[1]?.mean == 1.5)  // (3 + 2 + 1 + 0) / 4
        #expect(SeriesValue.lowerIsBetter("test_loss") && SeriesValue.lowerIsBetter("orthonormality_error"))
        #expect(!SeriesValue.lowerIsBetter("test_acc") && !SeriesValue.lowerIsBetter("alignment"))

        let csv = r.csv.split(separator: "\n").map(String.init)
        #expect(csv[0] == "rule.eta,ok,diverged,failed,pending,alignment_n,alignment_mean,alignment_sd,alignment_ci95_lo,alignment_ci95_hi,loss_n,loss_mean,loss_sd,loss_ci95_lo,loss_ci95_hi")
        #expect(csv[1].hasPrefix("0.01,4,0,0,0,4,2.5,1.29099444873580"))
        #expect(csv[2].hasPrefix("0.1,3,1,0,1,3,1.0") && csv[2].hasSuffix(",1,1.0,,,"), "\(csv[2])")
        let text = r.text.split(separator: "\n").map(String.init)
        #expect(text[0] == "rule.eta  seeds  alignment (95% CI)  loss (95% CI)  not averaged")
        #expect(text[1] == "0.01      4      2.5 ± 2.1           2.5 ± 2.1")
        #expect(text[2] == "0.1       3      1.00 ± 0.25         1              1 diverged, 1 pending")
    }

    // MARK: The index of a real store

    /// A 2-rate x 2-seed sweep of 200 `oja` steps, run in this process into a fresh store.
    static func tinyStore() throws -> (SweepSpec, RunStore) {
        let text = "scene = \"\(SweepSpecTests.oja)\"\nseeds = [1, 2]\nsteps = 200\nmetrics = [\"alignment\", \"weight_norm\"]\n[grid]\nrule.eta = [0.005, 0.01]\n"
        let spec = try SweepSpec.parse(bytes: Array(text.utf8), file: "tiny.toml")
        let store = RunStore(temp("store"))
        try store.prepare(spec)
        let ctx = RunContext(version: "test", executor: "test")
        for p in spec.points { _ = try PointRunner.run(p, of: spec, store: store, context: ctx) { false } }
        return (spec, store)
    }

    @Test func indexFollowsTheRunDirectoriesAndSurvivesDeletionAndDamage() throws {
        let (spec, store) = try Self.tinyStore()
        defer { try? FileManager.default.removeItem(atPath: store.dir) }
        var index = try RunIndex(store)
        #expect(index.onDisk)
        var runs = try index.runs()
        #expect(runs.map(\.id) == spec.points.map(\.id))
        #expect(runs.allSatisfy { $0.status == "ok" && $0.scene == "oja" && $0.rule == "oja" && $0.steps == 200 })
        #expect(runs[0].overrides == [SweepOverride(key: "rule.eta", value: "0.005")] && runs[0].config == "rule.eta=0.005")
        // The summary is the metrics file's: last value and its step.
        let cols = SweepTable.readColumns(store.metricsPath(runs[3].id))
        let align = try #require(cols["alignment"])
        #expect(runs[3].metrics["alignment"]?.last == align.last)
        #expect(runs[3].metrics["alignment"]?.lastStep == 200)
        #expect(runs[3].metrics["weight_norm"]?.max == cols["weight_norm"]?.max())

        // Filters: a swept key (numerically), a column, several at once; bad keys in one line.
        #expect(try index.runs(where: [try #require(RunFilter(parsing: "rule.eta=0.010"))]).map(\.seed) == [1, 2])
        #expect(try index.runs(where: [try #require(RunFilter(parsing: "seed=2")), try #require(RunFilter(parsing: "rule.eta=0.005"))]).map(\.id) == [spec.points[1].id])
        #expect(try index.runs(where: [try #require(RunFilter(parsing: "status=failed"))]).isEmpty)
        var message = ""
        let typo = try #require(RunFilter(parsing: "rule.etta=1"))
        do { _ = try index.runs(where: [typo]) } catch { message = error.message }
        #expect(message.contains("--where rule.etta=1: not a column or a swept key") && message.contains("did you mean \"rule.eta\"?"), "\(message)")

        // A run made again (new files) or lost (no manifest) is seen on the next open.
        let victim = spec.points[2].id
        try FileManager.default.removeItem(atPath: store.manifestPath(victim))
        index = try RunIndex(store)
        runs = try index.runs()
        #expect(runs.first { $0.id == victim }?.status == "pending")
        #expect(runs.first { $0.id == victim }?.metrics.isEmpty == true)
        _ = try PointRunner.run(spec.points[2], of: spec, store: store, context: RunContext(version: "test", executor: "test")) { false }
        #expect(try RunIndex(store).runs().first { $0.id == victim }?.status == "ok")

        // Deleted: rebuilt. Damaged (not a database): rebuilt. Same rows each time.
        let before = try RunIndex(store).runs()
        try FileManager.default.removeItem(atPath: store.dir + "/index.sqlite")
        #expect(try RunIndex(store).runs() == before)
        try Array(repeating: "not a database\n", count: 100).joined().write(toFile: store.dir + "/index.sqlite", atomically: false, encoding: .utf8)
        let rebuilt = try RunIndex(store)
        #expect(rebuilt.onDisk)
        #expect(try rebuilt.runs() == before)
        // Another schema version: rebuilt too.
        try rebuilt.db.execute("PRAGMA user_version = 7")
        #expect(try RunIndex(store).runs() == before)
        #expect(try RunIndex(store).db.userVersion == RunIndex.schemaVersion)
    }

    @Test func concurrentOpensOfOneIndexAllSeeEveryRun() async throws {
        let (spec, store) = try Self.tinyStore()
        defer { try? FileManager.default.removeItem(atPath: store.dir) }
        let counts = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { (try? RunIndex(store).runs().filter { $0.status == "ok" }.count) ?? -1 }
            }
            var out: [Int] = []
            for await c in group { out.append(c) }
            return out
        }
        #expect(counts == [Int](repeating: spec.points.count, count: 4))
    }

    @Test func seriesAverageTheSeedsOfEachConfigurationStepByStep() throws {
        let (spec, store) = try Self.tinyStore()
        defer { try? FileManager.default.removeItem(atPath: store.dir) }
        let series = SweepSeries(store: store, runs: try RunIndex(store).runs())
        #expect(series.metrics == ["alignment", "weight_norm"])
        let lines = series.series("alignment")
        #expect(lines.map(\.label) == ["eta=0.005", "eta=0.01"])
        #expect(lines.allSatisfy { $0.seeds == 2 })
        // Seeds 1 and 2 of eta = 0.01, from their files.
        let a = SweepTable.readColumns(store.metricsPath(spec.points[2].id))
        let b = SweepTable.readColumns(store.metricsPath(spec.points[3].id))
        let steps = try #require(a["step"])
        #expect(lines[1].steps == steps)
        for i in steps.indices {
            let x = a["alignment"]?[i] ?? .nan, y = b["alignment"]?[i] ?? .nan
            #expect(abs(lines[1].mean[i] - (x + y) / 2) < 1e-12)
            #expect(lines[1].min[i] == Swift.min(x, y) && lines[1].max[i] == Swift.max(x, y))
            // Two seeds: t(0.975; 1) · |x - y| / √2 / √2 = 12.7062 · |x - y| / 2.
            #expect(abs((lines[1].upper[i] - lines[1].mean[i]) - 12.7062 * abs(x - y) / 2) < 1e-9)
        }
    }
}
