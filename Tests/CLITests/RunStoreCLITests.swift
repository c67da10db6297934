import Foundation
import Testing

/// `synaptop runs`, `report` and `compare` through the binary, on a tiny sweep made by `sweep`.
@Suite struct RunStoreCLITests {
    /// The 2 x 2 sweep of `SweepCLITests.tinySweep` (eta 0.005 and 0.01, seeds 1 and 2, 200 steps).
    static func madeSweep(_ name: String) throws -> String {
        let (spec, store) = try SweepCLITests.tinySweep(name)
        let r = try CLITests.run(["sweep", spec, "--out", store, "--jobs", "2", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        return store
    }

    @Test func runsListsFiltersAndFormatsFromTheIndex() throws {
        let store = try Self.madeSweep("runs")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let all = try CLITests.run(["runs", store])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = all.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["id", "scene", "rule", "rule.eta", "seed", "status", "wall_s", "alignment", "weight_norm"])
        #expect(FileManager.default.fileExists(atPath: store + "/index.sqlite"))

        let csv = try CLITests.run(["runs", store, "--where", "rule.eta=0.01", "--where", "seed=2", "--metric", "alignment", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 2)
        #expect(rows[0] == ["id", "scene", "rule", "rule.eta", "seed", "status", "wall_s", "alignment"])
        #expect(rows[1][1...5] == ["oja", "oja", "0.01", "2", "ok"])
        // The same value as `sweep table` (the last alignment of that run).
        let table = try CLITests.run(["sweep", "table", store, "--metric", "alignment"])
        let tableRow = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix(rows[1][0]) })
        #expect(tableRow.split(separator: " ").last.map(String.init) == rows[1][7])

        let json = try CLITests.run(["runs", store, "--where", "seed=1", "--format", "json", "--at", "max"])
        #expect(json.status == 0, "\(json.stderr)")
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(objects.count == 2)
        #expect((objects.first?["overrides"] as? [String: String])?["rule.eta"] == "0.005")
        #expect((objects.first?["metrics"] as? [String: Any])?["weight_norm"] is Double)

        let bad = try CLITests.run(["runs", store, "--where", "rule.etaa=1"])
        #expect(bad.status != 0)
        #expect(bad.stderr.split(separator: "\n").count == 1 && bad.stderr.contains("did you mean \"rule.eta\"?"), "\(bad.stderr)")
        let badMetric = try CLITests.run(["runs", store, "--metric", "alignmnt"])
        #expect(badMetric.stderr.contains("--metric alignmnt: not a kept metric") && badMetric.stderr.contains("alignment"), "\(badMetric.stderr)")
    }

    @Test func reportAggregatesSeedsAndMatchesTheRunsItAverages() throws {
        let store = try Self.madeSweep("report")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let text = try CLITests.run(["report", store])
        #expect(text.status == 0, "\(text.stderr)")
        let lines = text.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.first?.hasPrefix("rule.eta  seeds  alignment (95% CI)") == true, "\(text.stdout)")
        #expect(lines.dropFirst().allSatisfy { $0.contains(" ± ") })

        let out = store + "-report.csv"
        let csv = try CLITests.run(["report", store, "--format", "csv", "--metric", "alignment", "--csv", out])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == csv.stdout)
        let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0] == ["rule.eta", "ok", "diverged", "failed", "pending", "alignment_n", "alignment_mean", "alignment_sd", "alignment_ci95_lo", "alignment_ci95_hi"])
        // Recompute eta = 0.01 from the two runs' values listed by `runs`.
        let runs = try CLITests.run(["runs", store, "--where", "rule.eta=0.01", "--metric", "alignment", "--format", "csv"])
        let values = runs.stdout.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(values.count == 2)
        let row = try #require(rows.first { $0.first == "0.01" })
        let mean = (values[0] + values[1]) / 2
        let half = 12.7062 * abs(values[0] - values[1]) / 2  // t(0.975; 1) · s / √2 with s = |x - y| / √2
        #expect(row[1] == "2" && row[5] == "2")
        #expect(abs((Double(row[6]) ?? .nan) - mean) < 1e-5)  // `runs` prints 6 significant digits
        #expect(abs((Double(row[9]) ?? .nan) - (mean + half)) < 1e-4)
    }

    @Test func compareRendersOneFrameWithALinePerConfiguration() throws {
        let store = try Self.madeSweep("compare")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let r = try CLITests.run(["compare", store, "--render", "80x24", "--metric", "weight_norm"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= 24)
        #expect(lines[0].hasPrefix("compare store ") && lines[0].contains("weight_norm (2/2)"), "\(lines[0])")
        #expect(lines[2].contains("eta=0.005") && lines[2].contains("eta=0.01"), "\(r.stdout)")
        #expect(lines[23].contains("m/M metric") && lines[23].contains("q quit"), "\(lines[23])")
        #expect(r.stdout == Self.golden, "\(r.stdout)")

        let none = try CLITests.run(["compare", store, "--render", "80x24", "--band", "none", "--ascii"])
        #expect(none.status == 0 && none.stdout.contains("alignment (1/2)") && !none.stdout.contains("⣿"), "\(none.stdout)")
        let tty = try CLITests.run(["compare", store])
        #expect(tty.status != 0 && tty.stderr.contains("--render"), "\(tty.stderr)")
    }

    /// `synaptop compare store --render 80x24 --metric weight_norm` on the tiny sweep (the band
    /// edges of eta = 0.005 in sparse dots, the two mean lines solid and dashed).
    static let golden = """
    compare store  2 configurations x 2 seeds                      weight_norm (2/2)
    ╭ weight_norm over steps, mean over seeds ─────────────────────────────────────╮
    │⠒⠒⠒ eta=0.005  ⠒⠒  eta=0.01                                                   │
    │ 1.07┤⠁ ⠐  ⠂ ⠠  ⠄ ⢀  ⡀                                                        │
    │     │                 ⠈  ⠁ ⠐  ⠄ ⠠  ⡀ ⢀                                       │
    │     │                                   ⠁ ⠈  ⠁ ⠈  ⠂ ⠐  ⠂ ⠐ ⣀⣂ ⣐⣀ ⣂⣀⠐⣀⣀⠄⠤⠤ ⠤⠤ │
    │     │                                 ⣀⠤ ⠒⠒ ⠒⠒ ⠉⠉ ⠉⠉ ⠉⠉ ⠉⠉                   │
    │     │                           ⡠⠤ ⠒⠉                                    ⣀⣀⡠⠤│
    │     │                     ⡠⠤ ⠊⠉                                ⣀⣀⡠⠤⠤⠒⠒⠊⠉⠉    │
    │     │             ⢀ ⠤⠔ ⠉⠉                           ⢀⣀⣀⠤⠤⠔⠒⠒⠊⠉⠉            ⡀ │
    │     │       ⢀ ⠤⠔ ⠉⠁                       ⢀⣀⣀⠤⠤⠔⠒⠒⠉⠉⠁                   ⠐    │
    │0.831┤ ⣀ ⠤⢒⣀⣉⣁⣀⣀⣀⣀⣀⡠⠤⠤⠤⠤⠤⠤⠤⠤⠔⠒⠒⠒⠒⠒⠒⠒⠒⠊⠉⠉⠉⠉⠉⠁                        ⠠  ⠁      │
    │     │⠉⠉⠉⠉⠁                                                    ⠠  ⠁           │
    │     │                                                    ⢀  ⠁                │
    │     │                                               ⢀  ⠂                     │
    │     │                                          ⢀  ⠂                          │
    │     │                                        ⠄                               │
    │     │                              ⡀ ⠠  ⠂ ⠈                                  │
    │     │                    ⡀ ⠠  ⠂ ⠈                                            │
    │     │          ⡀ ⠠  ⠂ ⠈                                                      │
    │ 0.59┤⡀ ⠠  ⠂ ⠈                                                                │
    │     └0                                step                                200│
    ╰──────────────────────────────────────────────────────────────────────────────╯
    m/M metric  b band  c band of  l log y  q quit
    """ + "\n"
}

/// `synaptop sweep bench` runs (its timing is not checked here: speed is measured, not tested).
@Suite struct SweepBenchCLITests {
    @Test func sweepBenchRunsBothSweepsAndFindsTheSameMetrics() throws {
        let r = try CLITests.run(["sweep", "bench", "--runs", "3", "--steps", "50"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sweep of 3 runs of oja x 50 steps"), "\(r.stdout)")
        #expect(r.stdout.contains("1 worker (one after another)") && r.stdout.contains("2 workers"), "\(r.stdout)")
        #expect(r.stdout.contains("(metrics files identical)"), "\(r.stdout)")
        let bad = try CLITests.run(["sweep", "bench", "--jobs", "1"])
        #expect(bad.status != 0 && bad.stderr.contains("--jobs: expected an integer in [2, 1024], got 1"), "\(bad.stderr)")
    }
}
