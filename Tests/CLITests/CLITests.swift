import Foundation
import Testing

/// Drives the real `synaptop` binary (built next to the test bundle) as a user would.
@Suite struct CLITests {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The binary built alongside this test bundle.
    static let binary: String = {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("synaptop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root + "/.build/debug/synaptop"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the binary in the package root with the given arguments.
    static func run(_ args: [String], until: ((Process) -> Void)? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        until?(p)
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "synaptop-cli-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)-\(name)"
    }

    @Test func runRejectsAnOutputDirectoryThatDoesNotExistBeforeRunning() throws {
        let r = try Self.run(["run", "oja", "--out", "/nonexistent-synaptop-dir/o.csv"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--out /nonexistent-synaptop-dir/o.csv: directory /nonexistent-synaptop-dir does not exist"))
        #expect(!r.stdout.contains("steps in"))  // no run summary: it failed before running
    }

    @Test func benchUnknownNameListsEveryGroupIncludingTheDashboard() throws {
        let r = try Self.run(["bench", "no-such-group"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("kernels"))
        #expect(r.stderr.contains("dashboard"))
    }

    @Test func listShowsEveryScene() throws {
        let r = try Self.run(["list"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("oja"))
        #expect(r.stdout.contains("sanger-digits"))
    }

    @Test func checkPassesOnTheShippedScenes() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root + "/scenes").filter { $0.hasSuffix(".toml") }.map { "scenes/" + $0 }
        let r = try Self.run(["check"] + files)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func checkFailsWithOneLinePerBrokenFile() throws {
        let bad = Self.temp("bad.toml")
        try "title = \"t\"\nmodel = \"hebbian\"\n[network]\noutputs = 1\n[rule]\nname = \"oja\"\neta = -1\n[task]\nname = \"digits\"\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try Self.run(["check", "scenes/oja.toml", bad])
        #expect(r.status == 1)
        #expect(r.stderr == "Error: \(bad): rule.eta: expected a number in (0, 10], got -1\n")
    }

    @Test func runWritesTheMetricsSeriesAndASummary() throws {
        let out = Self.temp("o.csv")
        let r = try Self.run(["run", "oja", "--steps", "20000", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "step,time,rule,alignment,subspace_alignment,weight_norm,orthonormality_error")
        #expect(csv.count == 202)
        let last = csv[csv.count - 1].split(separator: ",")
        #expect(last[0] == "20000")
        #expect((Double(last[3]) ?? 0) > 0.99)
        #expect(r.stdout.contains("oja: 20000 steps"))
        // Not a TTY: plain progress lines on stderr.
        #expect(r.stderr.contains("100%"))
    }

    @Test func sameSeedGivesByteIdenticalFiles() throws {
        let a = Self.temp("a.jsonl"), b = Self.temp("b.jsonl")
        #expect(try Self.run(["run", "oja", "--steps", "3000", "--seed", "5", "--quiet", "--out", a]).status == 0)
        #expect(try Self.run(["run", "oja", "--steps", "3000", "--seed", "5", "--quiet", "--out", b]).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }

    @Test func ruleAndSetOverridesAreValidated() throws {
        let ok = try Self.run(["run", "oja", "--steps", "50", "--rule", "hebb", "--set", "rule.switchable=[\"hebb\",\"oja\"]", "--quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("rule hebb"))
        let bad = try Self.run(["run", "oja", "--rule", "ojaa"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("rule.name: unknown hebbian rule \"ojaa\", did you mean \"oja\"?"))
        let range = try Self.run(["run", "oja", "--set", "rule.eta=11"])
        #expect(range.status == 1)
        #expect(range.stderr.hasSuffix("scenes/oja.toml: rule.eta: expected a number in (0, 10], got 11\n"))
        let outName = try Self.run(["run", "oja", "--out", "x.txt"])
        #expect(outName.status != 0)
        #expect(outName.stderr.contains("expected a file name ending in .csv or .jsonl"))
        let unknown = try Self.run(["run", "no-such-scene"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no scene named \"no-such-scene\""))
    }

    @Test func ctrlCStopsCleanlyAndStillWritesTheFile() throws {
        let out = Self.temp("int.csv")
        let r = try Self.run(["run", "sanger-digits", "--steps", "100000000", "--out", out]) { p in
            // Wait for the first progress line (the run is under way), then interrupt.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && p.isRunning {
                if let s = try? String(contentsOfFile: "/proc/\(p.processIdentifier)/stat", encoding: .utf8),
                   let utime = s.split(separator: " ").dropFirst(13).first.flatMap({ Int($0) }), utime > 20 { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            p.interrupt()
        }
        #expect(r.status == 130)
        #expect(r.stdout.contains("(interrupted)"))
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(csv.count >= 2)
        #expect(csv.first?.hasPrefix("step,time,rule,") == true)
    }

    @Test func aDivergingRunStopsWithOneLineAndKeepsItsRows() throws {
        // Curl descent past the critical flip fraction blows up (the scene's point); the run
        // stops at the first non-finite metric, writes its rows and exits 1.
        let out = Self.temp("div.csv")
        let r = try Self.run(["run", "curl-descent", "--set", "rule.flip_fraction=0.5", "--quiet", "--out", out])
        #expect(r.status == 1)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(r.stderr.contains("scenes/curl-descent.toml: run diverged at step "))
        #expect(r.stderr.contains("metric loss is not finite"))
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(csv.count >= 3)
        #expect(csv.last?.contains("nan") == true)
    }

    @Test func benchListsGroupsAndRejectsUnknownNames() throws {
        let r = try Self.run(["bench", "nope"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("no benchmark named \"nope\""))
    }
}

@Suite struct DescribeCommandTests {
    /// `describe` prints each rule with its parameters (value, unit, range), the metrics with
    /// meanings, the views and the live controls, from the declarations.
    @Test func describeListsRulesParametersMetricsAndViews() throws {
        let r = try CLITests.run(["describe", "oja", "--set", "rule.eta=0.004"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("* oja: Oja's rule"))
        #expect(r.stdout.contains("eta = 0.004  in (0, 10] (default 0.005)"))
        #expect(r.stdout.contains("covariance: covariance rule"))
        #expect(r.stdout.contains("tau_mean = 100 samples  in [1, 1000000] (default)"))
        #expect(r.stdout.contains("alignment  "))
        #expect(r.stdout.contains("views\n  weights"))
        let bad = try CLITests.run(["describe", "nosuchscene"])
        #expect(bad.status != 0)
    }

    /// `rules FAMILY` lists the registry with equations and defaults; an unknown family is one
    /// line with a suggestion.
    @Test func rulesListsEveryRegisteredRule() throws {
        let r = try CLITests.run(["rules", "hebbian"])
        #expect(r.status == 0, "\(r.stderr)")
        for name in ["hebb", "oja", "subspace", "sanger", "bcm", "foldiak", "softhebb", "covariance"] {
            #expect(r.stdout.contains("\n  \(name): "), "missing \(name)")
        }
        #expect(r.stdout.contains("θ_i += (y_i² − θ_i) / 100"))
        let bad = try CLITests.run(["rules", "hebian"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown rule family \"hebian\", did you mean \"hebbian\"?"))
    }
}
