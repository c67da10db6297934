import Foundation
import Testing

/// `synaptop sweep` end to end through the binary: the local executor, resuming, the store's
/// queries, and (where `sbatch` exists) a real Slurm job array.
@Suite struct SweepCLITests {
    /// A 2 x 2 sweep of 200 `oja` steps in a fresh directory; returns (spec, store dir).
    static func tinySweep(_ name: String, points etas: [String] = ["0.005", "0.01"], seeds: String = "[1, 2]") throws -> (String, String) {
        let dir = CLITests.temp(name)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let spec = dir + "/tiny.toml"
        try """
        scene = "\(CLITests.root)/scenes/oja.toml"
        steps = 200
        seeds = \(seeds)
        metrics = ["alignment", "weight_norm"]
        [grid]
        rule.eta = [\(etas.joined(separator: ", "))]
        """.write(toFile: spec, atomically: true, encoding: .utf8)
        return (spec, dir + "/store")
    }

    static func metricsFiles(_ store: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for id in try FileManager.default.contentsOfDirectory(atPath: store + "/runs") {
            out[id] = try String(contentsOfFile: "\(store)/runs/\(id)/metrics.csv", encoding: .utf8)
        }
        return out
    }

    @Test func localSweepRunsEveryPointResumesAndTabulates() throws {
        let (spec, store) = try Self.tinySweep("local")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let r = try CLITests.run(["sweep", spec, "--out", store, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("4 runs: 4 done, 0 diverged, 0 failed, 0 pending (0 already finished)"), "\(r.stdout)")
        #expect(r.stderr.contains("4/4 runs"), "\(r.stderr)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: store + "/runs")
        #expect(runs.count == 4)
        for id in runs {
            let m = try String(contentsOfFile: "\(store)/runs/\(id)/manifest.json", encoding: .utf8)
            for key in ["\"scene_text\"", "\"overrides\"", "\"seed\"", "\"synaptop_version\"", "\"host\"", "\"wall_seconds\"", "\"exit_status\" : 0", "\"status\" : \"ok\""] {
                #expect(m.contains(key), "\(key) in \(m)")
            }
        }
        // Same numbers as a plain `run` of the same point.
        let single = store + "-single.csv"
        let one = try CLITests.run(["run", "oja", "--steps", "200", "--seed", "2", "--set", "rule.eta=0.01", "--out", single, "--quiet"])
        #expect(one.status == 0, "\(one.stderr)")
        let table = try CLITests.run(["sweep", "table", store, "--metric", "alignment", "--csv", store + "/t.csv"])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n")
        #expect(lines.count == 5)
        #expect(lines.first?.hasPrefix("id ") == true && lines.first?.contains("rule.eta") == true && lines.first?.contains("alignment") == true)
        // The CSV export: the row of seed 2, eta 0.01 holds the last alignment of that run.
        let csv = try String(contentsOfFile: store + "/t.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(csv.first == ["id", "seed", "rule.eta", "status", "wall_s", "alignment"])
        let row = try #require(csv.first { $0.count == 6 && $0[1] == "2" && $0[2] == "0.01" })
        let singleCSV = try String(contentsOfFile: single, encoding: .utf8)
        let last = try #require(singleCSV.split(separator: "\n").last).split(separator: ",")
        let header = try #require(singleCSV.split(separator: "\n").first).split(separator: ",")
        let col = try #require(header.firstIndex(of: "alignment"))
        #expect(row[5] == String(format: "%.6g", Double(last[col]) ?? .nan), "\(row) vs \(last)")
        #expect(FileManager.default.fileExists(atPath: store + "/t.csv"))
        #expect(FileManager.default.fileExists(atPath: store + "/index.csv"))

        // Resume: nothing to redo; remove one run and only that one is made again.
        let before = try Self.metricsFiles(store)
        let again = try CLITests.run(["sweep", spec, "--out", store])
        #expect(again.stdout.contains("(4 already finished)"), "\(again.stdout)")
        let victim = try #require(runs.sorted().first)
        try FileManager.default.removeItem(atPath: "\(store)/runs/\(victim)/manifest.json")
        let status = try CLITests.run(["sweep", "status", store])
        #expect(status.stdout.contains("4 runs: 3 done, 0 diverged, 0 failed, 1 pending"), "\(status.stdout)")
        let resumed = try CLITests.run(["sweep", spec, "--out", store])
        #expect(resumed.status == 0 && resumed.stdout.contains("4 done") && resumed.stdout.contains("(3 already finished)"), "\(resumed.stdout)")
        #expect(try Self.metricsFiles(store) == before)
    }

    @Test func emitWritesScriptsAndValidationFailsInOneLine() throws {
        let (spec, store) = try Self.tinySweep("emit")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let s = try CLITests.run(["sweep", spec, "--out", store, "--emit", "slurm"])
        #expect(s.status == 0, "\(s.stderr)")
        let script = try String(contentsOfFile: store + "/slurm.sh", encoding: .utf8)
        #expect(script.contains("#SBATCH --array=0-3\n"))
        #expect(script.contains("--task-index \"$SLURM_ARRAY_TASK_ID\" --task-count 4"))
        let p = try CLITests.run(["sweep", spec, "--out", store, "--emit", "parallel"])
        #expect(p.status == 0, "\(p.stderr)")
        let jobs = try String(contentsOfFile: store + "/jobs.txt", encoding: .utf8)
        #expect(jobs.split(separator: "\n").count == 4)
        // No run was made by emitting.
        #expect(try FileManager.default.contentsOfDirectory(atPath: store + "/runs").isEmpty)

        let (bad, badStore) = try Self.tinySweep("bad", points: ["0.01", "-2"])
        let b = try CLITests.run(["sweep", bad, "--out", badStore])
        #expect(b.status == 1)
        #expect(b.stderr.split(separator: "\n").count == 1, "\(b.stderr)")
        #expect(b.stderr.contains("tiny.toml: grid.rule.eta: expected a number in (0, "), "\(b.stderr)")
    }

    static let hasSbatch = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
        FileManager.default.isExecutableFile(atPath: "\($0)/sbatch")
    }
    static let slurmRequired = ProcessInfo.processInfo.environment["SYNAPTOP_REQUIRE_SLURM"] == "1"

    /// Against a real Slurm (`.ci/run` starts a one-node cluster with `.ci/slurm-up` and sets
    /// SYNAPTOP_REQUIRE_SLURM=1): submit a 2-point sweep, wait, and compare with local runs.
    /// Skipped where there is no `sbatch`, unless SYNAPTOP_REQUIRE_SLURM=1 (then it fails).
    @Test(.enabled(if: hasSbatch || slurmRequired, "needs sbatch on PATH (or SYNAPTOP_REQUIRE_SLURM=1 to fail without it)"))
    func slurmExecutorRunsAJobArrayIntoTheStore() throws {
        try #require(Self.hasSbatch, "SYNAPTOP_REQUIRE_SLURM=1 but sbatch is not on PATH (run .ci/slurm-up)")
        let (spec, store) = try Self.tinySweep("slurm", points: ["0.005", "0.01"], seeds: "[1]")
        defer { try? FileManager.default.removeItem(atPath: (store as NSString).deletingLastPathComponent) }
        let submit = try CLITests.run(["sweep", spec, "--out", store, "--executor", "slurm"])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stdout.contains("submitted Slurm job"), "\(submit.stdout)")
        let wait = try CLITests.run(["sweep", "status", store, "--wait", "--timeout", "180"])
        #expect(wait.status == 0, "\(wait.stdout) \(wait.stderr)")
        #expect(wait.stdout.contains("2 runs: 2 done"), "\(wait.stdout)")
        let viaSlurm = try Self.metricsFiles(store)
        #expect(viaSlurm.count == 2)
        let manifest = try String(contentsOfFile: "\(store)/runs/\(try #require(viaSlurm.keys.first))/manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"executor\" : \"slurm "), "\(manifest)")
        // The same points made locally give the same files.
        let local = store + "-local"
        let r = try CLITests.run(["sweep", spec, "--out", local, "--jobs", "2"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.metricsFiles(local) == viaSlurm)
    }
}
