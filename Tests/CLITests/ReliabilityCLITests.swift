import Foundation
import Testing

/// Regression tests (issue 18) that need the real binary: signals, output files, scene directories.
@Suite struct ReliabilityCLITests {
    /// Runs the binary with extra environment variables (and no `until`).
    static func run(_ args: [String], env: [String: String]) throws -> CLITests.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: CLITests.root)
        p.environment = ProcessInfo.processInfo.environment.merging(env) { _, new in new }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLITests.Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    /// CPU ticks used so far by process `pid` (from /proc), 0 when unreadable.
    static func cpuTicks(_ pid: Int32) -> Int {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return 0 }
        return s.split(separator: " ").dropFirst(13).first.flatMap { Int($0) } ?? 0
    }

    /// True while process `pid` has SIGINT pending (not yet delivered to its handler).
    static func sigintPending(_ pid: Int32) -> Bool {
        guard let s = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let bit: UInt64 = 1 << (UInt64(SIGINT) - 1)
        for line in s.split(separator: "\n") where line.hasPrefix("SigPnd:") || line.hasPrefix("ShdPnd:") {
            if let v = UInt64(line.split(separator: "\t").last ?? "", radix: 16), v & bit != 0 { return true }
        }
        return false
    }

    @Test func aSecondCtrlCExitsAtOnceDuringALongSetup() throws {
        // 4096-D Gaussian task: minutes of setup (a random orthonormal basis) before step 1.
        let variances = "task.variances=[" + Array(repeating: "1.0", count: 4096).joined(separator: ",") + "]"
        let out = CLITests.temp("setup.csv")
        let r = try CLITests.run(["run", "oja", "--steps", "1", "--set", variances, "--out", out]) { p in
            // Under way (handlers installed, setup started), then Ctrl-C twice: the first is
            // delivered (only a flag: setup continues), the second exits.
            while p.isRunning && Self.cpuTicks(p.processIdentifier) < 30 { Thread.sleep(forTimeInterval: 0.02) }
            p.interrupt()
            while p.isRunning && Self.sigintPending(p.processIdentifier) { Thread.sleep(forTimeInterval: 0.01) }
            Thread.sleep(forTimeInterval: 0.05)
            p.interrupt()
        }
        #expect(r.status == 130)
        #expect(r.stderr.contains("setting up oja: about"))
        #expect(!r.stdout.contains("steps in"))
        // The temp file went with the process; nothing was written.
        #expect(!FileManager.default.fileExists(atPath: out))
        let dir = (out as NSString).deletingLastPathComponent, base = (out as NSString).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasPrefix(base + ".tmp-") }.isEmpty)
    }

    @Test func staleTempFilesOfDeadRunsAreRemovedByTheNextRun() throws {
        let out = CLITests.temp("stale.csv")
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let stale = "\(out).tmp-\(done.processIdentifier)"
        #expect(FileManager.default.createFile(atPath: stale, contents: Data("half".utf8)))
        let r = try CLITests.run(["run", "oja", "--steps", "200", "--quiet", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: out))
    }

    @Test func anOutputPathThatCannotBeCreatedFailsBeforeTheRun() throws {
        let dir = CLITests.temp("res.csv")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let r = try CLITests.run(["run", "cuba", "--steps", "2000000", "--out", dir])
        #expect(r.status == 1)
        #expect(r.stderr == "Error: cannot write \(dir): Is a directory\n")
        #expect(!r.stdout.contains("steps in"))
        let long = try CLITests.run(["run", "oja", "--out", String(repeating: "x", count: 300) + ".csv"])
        #expect(long.status == 1)
        #expect(long.stderr.contains("File name too long"))
    }

    @Test func aDivergingRunNamesTheStepOfItsFirstNonFiniteRow() throws {
        let out = CLITests.temp("div.csv")
        let r = try CLITests.run(["run", "oja", "--steps", "2000", "--set", "rule.eta=10", "--quiet", "--out", out])
        #expect(r.status == 1)
        let csv = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        let firstBad = try #require(csv.dropFirst().first { $0.contains("nan") || $0.contains("inf") })
        let step = firstBad.split(separator: ",").first.map(String.init) ?? "?"
        #expect(r.stderr.contains("run diverged at step \(step): "), "\(r.stderr)")
    }

    @Test func nonRegularScenePathsAreNamedAsSuch() throws {
        let r = try CLITests.run(["check", "/dev/null"])
        #expect(r.status == 1)
        #expect(r.stderr == "Error: /dev/null: is not a regular file (a FIFO, device or socket), expected a scene file\n")
        let d = try CLITests.run(["check", "/tmp/"])
        #expect(d.stderr == "Error: /tmp/: is a directory, not a scene file\n")
    }

    @Test func brokenFilesInAScenesDirectoryDoNotTakeDownListOrCheck() throws {
        let dir = CLITests.temp("scenes")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        let files: [String: String] = [
            "a-nul.toml": "\"\\u0000\" = 1\n",
            "b-control.toml": "[\u{1}]\n",
            "c-deep.toml": "[" + Array(repeating: "a", count: 30_000).joined(separator: ".") + "]\n",
            "d-header.toml": "[\n",
        ]
        for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        try FileManager.default.copyItem(atPath: CLITests.root + "/scenes/oja.toml", toPath: "\(dir)/z-oja.toml")
        let list = try Self.run(["list"], env: ["SYNAPTOP_SCENES": dir])
        #expect(list.status == 0, "\(list.stderr)")
        for name in ["a-nul", "b-control", "c-deep", "d-header"] {
            #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix(name + " ") && $0.contains("(invalid: ") }, "\(name)")
        }
        #expect(list.stdout.contains("z-oja"))
        let check = try CLITests.run(["check"] + files.keys.sorted().map { "\(dir)/\($0)" })
        #expect(check.status == 1)
        let lines = check.stderr.split(separator: "\n")
        #expect(lines.count == files.count)
        #expect(lines.allSatisfy { $0.hasPrefix("Error: \(dir)/") })
    }

    @Test func setOverridesCannotSmuggleALineOrABadKey() throws {
        let r = try CLITests.run(["check", "scenes/oja.toml", "--set", "rule.eta=0.01\nbogus=1"])
        #expect(r.status == 1)
        #expect(r.stderr == "Error: scenes/oja.toml: --set rule.eta=0.01\\nbogus=1: control characters (such as a newline) are not allowed\n")
        let negative = try CLITests.run(["run", "oja", "--steps", "-1"])
        #expect(negative.stderr.hasPrefix("Error: --steps: expected an integer in [1, 1000000000], got -1"))
    }
}
