import Foundation
import Testing
import SynCore
import SynModels
@testable import SynScenes

/// Regression tests for the defects of the reliability report (issue 18): inputs that used to
/// crash, hang or mislead now give one line naming the file and key, or run correctly.
@Suite struct ReliabilityTests {
    /// The one-line error of loading a shipped scene with overrides (nil when it loads).
    static func loadError(_ name: String, _ overrides: [String]) -> String? {
        do { _ = try SceneLoader.load(path: scenePath(name), overrides: overrides); return nil } catch { return error.description }
    }

    // MARK: D1: tiny positive numbers

    @Test func numbersThatBecomeZeroOrDenormalInAModelAreRejected() throws {
        let oja = scenePath("oja")
        #expect(Self.loadError("oja", ["rule.eta=1e-50"]) == "\(oja): rule.eta: expected a number in (0, 10] (at least 1e-30), got 1e-50")
        // These reached a model precondition (MLPRule, EventTraces, EIReservoir) before.
        #expect(Self.loadError("mlp-digits", ["rule.eta=1e-50"])?.contains("rule.eta: expected a number in (0, 10] (at least 1e-30)") == true)
        #expect(Self.loadError("cuba", ["rule.name=istdp", "rule.tau_ms=1e-322"])?.contains("rule.tau_ms:") == true)
        #expect(Self.loadError("stdp-song2000", ["rule.tau_pre_ms=5e-324"])?.contains("rule.tau_pre_ms:") == true)
        #expect(Self.loadError("reservoir-ei", ["network.leak=1e-50"])?.contains("network.leak:") == true)
        #expect(Self.loadError("oja", ["task.variances=[1.0, 5e-324]"]) == "\(oja): task.variances: expected numbers in (0, 1000000) (at least 1e-30), got 5e-324")
        // Closed at 0: 0 stays valid, a denormal does not.
        #expect(Self.loadError("reward-stdp", ["rule.a_plus=0"]) == nil)
        #expect(Self.loadError("reward-stdp", ["rule.a_plus=1e-320"])?.contains("(0 or at least 1e-30 in magnitude)") == true)
    }

    @Test func theSmallestAcceptedValuesBuildEveryModelWithoutATrap() throws {
        // At the floor, every conversion stays a positive normal number: the models build and step.
        for (name, key) in [("mlp-digits", "rule.eta=1e-30"), ("cuba", "rule.tau_ms=1e-30"), ("reservoir-ei", "network.leak=1e-30"),
                            ("stdp-song2000", "rule.tau_pre_ms=1e-30"), ("oja", "rule.eta=1e-30")] {
            var overrides = [key]
            if name == "cuba" { overrides.append("rule.name=istdp") }
            let spec = try SceneLoader.load(path: scenePath(name), overrides: overrides)
            var s = try SceneSession(spec: spec)
            _ = s.advance(2)
        }
    }

    // MARK: D2: Izhikevich delays

    @Test func izhikevichDelaysSpreadOverOneToDStepsAlsoAllToAll() throws {
        for (dt, dmax) in [(0.01, 1), (0.05, 20), (1.0, 20), (0.02, 20)] {
            let spec = try SceneLoader.load(path: scenePath("izhikevich-2003"), overrides: [
                "network.excitatory=40", "network.inhibitory=10", "network.out_degree=0",
                "network.dt_ms=\(dt)", "network.delay_max_ms=\(dmax)"])
            let sim = try #require(try spec.makeSimulation(seed: 1) as? IzhikevichNetworkSimulation)
            // Stored delays are extra steps beyond the implicit one: total 1...D steps.
            let d = Int((Double(dmax) / dt).rounded())
            let delays = sim.excitatory.delays.map { Int($0) + 1 }
            let width = 49  // all-to-all without self-connections
            #expect(delays.allSatisfy { (1...d).contains($0) }, "dt \(dt) ms, delay_max \(dmax) ms: delays \(delays.min() ?? -1)...\(delays.max() ?? -1), expected 1...\(d)")
            if d > 1 {
                #expect(delays.min() == 1)
                // Evenly spread: the largest delay reaches D when a row has at least D synapses.
                if width >= d { #expect(delays.max() == d) } else { #expect(delays.max() ?? 0 > d * (width - 1) / width - 1) }
            }
        }
    }

    // MARK: D3: Mackey-Glass delay line

    @Test func reservoirTimeStepIsBoundedByTheDelayLine() {
        let path = scenePath("reservoir-ei")
        #expect(Self.loadError("reservoir-ei", ["task.dt=1e-12"]) == "\(path): task.dt: expected tau / dt <= 100000 (the delay line's length), got 17.0 / 1e-12")
        #expect(Self.loadError("reservoir-ei", ["task.dt=0.001"]) == nil)
    }

    // MARK: D4: spectra of a diverged layer

    @Test func eigenSolverAndSpectraGiveNaNForNonFiniteInput() {
        let inf = [Double.infinity, 0, 0, 1]
        #expect(SymmetricEigen.eigenvalues(inf, n: 2).allSatisfy { $0.isNaN })
        #expect(SymmetricEigen.decompose([.nan, 0, 0, 1], n: 2).values.allSatisfy { $0.isNaN })
        // Finite activity whose Float covariance overflows.
        let m = Matrix(rows: 4, cols: 2, storage: [1e30, -1e30, -1e30, 1e30, 1e30, 1e30, -1e30, -1e30])
        let spectrum = SpectralMetrics.covarianceSpectrum(m)
        #expect(spectrum.allSatisfy { $0.isNaN })
        #expect(SpectralMetrics.spectralEntropy(spectrum).isNaN)
    }

    // MARK: D5: the parser layer

    static func parseError(_ bytes: [UInt8], overrides: [String] = []) -> String? {
        do { _ = try SceneLoader.parse(bytes: bytes, file: "x.toml", overrides: overrides); return nil } catch { return error.description }
    }

    @Test func keysWithNULOrControlCharactersAreOneLineErrors() {
        #expect(Self.parseError(Array("\"\\u0000\" = 1\n".utf8)) == "x.toml: a key holds a NUL character (\\u0000), which scene keys may not contain")
        #expect(Self.parseError(Array("[\u{1}]\n".utf8)) == "x.toml:1: not a text file (contains control character 0x01); expected a TOML scene")
        #expect(Self.parseError(Array("title = \"t\"\n\"a\\nb\" = 1\n".utf8)) == "x.toml: a\\nb: a key may not contain control characters (such as NUL or a newline)")
        #expect(Self.parseError(Array("title = \"a\\u0007b\"\n".utf8)) == "x.toml: title: a string may not contain control characters other than newline and tab")
        let valid = Array(BadSceneTests.valid.utf8)
        #expect(Self.parseError(valid, overrides: ["rule={\"\\u0000\"=1}"]) == "x.toml: rule: a key holds a NUL character (\\u0000), which scene keys may not contain")
    }

    @Test func deepNestingIsRefusedBeforeItCanExhaustTheStack() {
        let header = "[" + Array(repeating: "a", count: 30_000).joined(separator: ".") + "]\n"
        #expect(Self.parseError(Array(header.utf8)) == "x.toml:1: tables, keys or arrays nested deeper than 16 levels")
        let dotted = Array(repeating: "a", count: 30_000).joined(separator: ".") + " = 1\n"
        #expect(Self.parseError(Array(dotted.utf8)) == "x.toml:1: tables, keys or arrays nested deeper than 16 levels")
        let arrays = "title = \"t\"\nx = " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        #expect(Self.parseError(Array(arrays.utf8)) == "x.toml:2: tables, keys or arrays nested deeper than 16 levels")
        let inline = "x = " + String(repeating: "{a = ", count: 300) + "1" + String(repeating: "}", count: 300) + "\n"
        #expect(Self.parseError(Array(inline.utf8)) == "x.toml:1: tables, keys or arrays nested deeper than 16 levels")
        // Nesting built from a shallow header and shallow dotted keys is caught while converting.
        let mixed = "[" + Array(repeating: "a", count: 10).joined(separator: ".") + "]\n" + Array(repeating: "b", count: 10).joined(separator: ".") + " = 1\n"
        #expect(Self.parseError(Array(mixed.utf8))?.hasSuffix("tables nested deeper than 16 levels") == true)
        // Dots in values and strings are not nesting.
        let values = "title = \"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r\"\nx = [" + Array(repeating: "1.5", count: 100).joined(separator: ", ") + "]\n"
        #expect(Self.parseError(Array(values.utf8))?.contains("nested") == false)
    }

    @Test func aBrokenFileInAScenesDirectoryDoesNotStopTheOthers() throws {
        // `list` loads every file; each bad one is a one-line error, never a crash.
        for text in ["\"\\u0000\" = 1\n", "[\u{1}]\n", "[" + String(repeating: "a.", count: 5000) + "a]\n"] {
            let e = try #require(Self.parseError(Array(text.utf8)))
            #expect(!e.contains("\n"))
        }
    }

    // MARK: D8 / D16: --set keys

    @Test func setKeysAreBoundedAndHaveNoEmptyParts() {
        let valid = BadSceneTests.valid
        let deep = Array(repeating: "a", count: 20_000).joined(separator: ".") + "=1"
        #expect(sceneError(valid, overrides: [deep]) == "scenes/x.toml: --set: key has 20000 parts, expected at most 8 (e.g. rule.eta)")
        for o in ["rule..eta=1", ".eta=1", "rule.=1", "=1"] {
            #expect(sceneError(valid, overrides: [o]) == "scenes/x.toml: --set \(o): empty key or key part (expected e.g. rule.eta=0.02)")
        }
        #expect(sceneError(valid, overrides: ["rule.eta=0.01\nbogus=1"])
                == "scenes/x.toml: --set rule.eta=0.01\\nbogus=1: control characters (such as a newline) are not allowed")
        #expect(sceneError(valid, overrides: ["rule.eta=0.5"]) == nil)
    }

    // MARK: D15: message hygiene

    @Test func echoedValuesAreClippedAndEveryMessageIsOneLine() throws {
        let long = String(repeating: "A", count: 100_000)
        let e = try #require(sceneError(BadSceneTests.valid, overrides: ["rule.name=\(long)"]))
        #expect(e.count < 400)
        #expect(e.contains(String(repeating: "A", count: 60) + "…"))
        let keyed = SceneError(file: "f\nx.toml", key: "a\nb", message: "bad\nvalue")
        #expect(keyed.description == "f\\nx.toml: a\\nb: bad value")
        let bigArray = "[" + Array(repeating: "5e-324", count: 4000).joined(separator: ",") + "]"
        let e2 = try #require(sceneError(BadSceneTests.valid.replacingOccurrences("[2.0, 1.0]", "[1.0, 2.0]"), overrides: ["rule.eta=\(bigArray)"]))
        #expect(e2.count < 200)
    }

    // MARK: D6 / D7 / D12 / D14: data files

    static func idxScene(images: String, labels: String? = nil, limit: Int? = nil) -> String {
        """
        title = "idx"
        model = "hebbian"
        [network]
        outputs = 2
        [rule]
        name = "sanger"
        eta = 0.01
        [task]
        name = "idx"
        images = "\(images)"
        """ + (labels.map { "\nlabels = \"\($0)\"" } ?? "") + (limit.map { "\nlimit = \($0)" } ?? "") + "\n"
    }

    static func sessionError(_ text: String) -> String? {
        do {
            let spec = try SceneLoader.parse(bytes: Array(text.utf8), file: "idx.toml")
            _ = try SceneSession(spec: spec)
            return nil
        } catch { return error.description }
    }

    @Test func idxWithZeroImagesIsAnError() throws {
        let ip = tempPath("zero-idx3")
        try FileIO.writeAtomically(ip, bytes: [0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 8])
        defer { unlink(ip) }
        #expect(Self.sessionError(Self.idxScene(images: ip)) == "idx.toml: task.images: \(ip): expected at least one image, the IDX header says 0")
    }

    @Test func dataFilesMustBeRegularFilesAndCheckSaysSo() throws {
        let fifo = tempPath("fifo-idx3")
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        // Refused when the scene is decoded (`check`), without opening the FIFO.
        #expect(sceneError(Self.idxScene(images: fifo)) == "scenes/x.toml: task.images: \(fifo) is not a regular file")
        #expect(sceneError(Self.idxScene(images: "/dev/zero")) == "scenes/x.toml: task.images: /dev/zero is not a regular file")
        #expect(sceneError(Self.idxScene(images: "/nonexistent-synaptop/x")) == "scenes/x.toml: task.images: no such file /nonexistent-synaptop/x")
        // And by the reader itself (a file replaced between check and run).
        #expect(throws: DataError.self) { try IDX.loadImages(fifo) }
        #expect(throws: DataError.self) { try IDX.loadImages("/dev/zero") }
    }

    @Test func labelErrorsNameTheLabelsKeyAndLimitBoundsTheRead() throws {
        // 5 images of 2x2 pixels, labels for 5.
        let ip = tempPath("img-idx3"), lp = tempPath("lab-idx1")
        try FileIO.writeAtomically(ip, bytes: [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2] + (0..<20).map { UInt8($0) })
        try FileIO.writeAtomically(lp, bytes: [0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 3])
        defer { unlink(ip); unlink(lp) }
        #expect(Self.sessionError(Self.idxScene(images: ip, labels: lp))
                == "idx.toml: task.labels: \(lp): expected 1-D labels with at least 5 entries, got shape [3]")
        // With limit 3, only 3 images (and labels) are read.
        #expect(Self.sessionError(Self.idxScene(images: ip, labels: lp, limit: 3)) == nil)
        let t = try IDX.loadImages(ip, limit: 2)
        #expect(t.shape == [2, 2, 2] && t.bytes == (0..<8).map { UInt8($0) })
        // The pixel cap is applied from the header.
        #expect(throws: DataError.self) { try IDX.loadImages(ip, maxPixels: 3) }
    }

    @Test func checkCatchesDigitsOutputsBeyondTheInputDimension() {
        #expect(Self.loadError("sanger-digits", ["network.outputs=100"])
                == "\(scenePath("sanger-digits")): network.outputs: expected an integer in [1, 64] (at most the input dimension), got 100")
    }

    // MARK: D9 / D13: streamed output and stale temp files

    @Test func metricsStreamWritesRowsAsTheyComeAndRenamesAtTheEnd() throws {
        let out = tempPath("o.csv")
        defer { unlink(out) }
        let s = try MetricsStream(path: out, format: .csv)
        try s.begin(names: ["a"])
        try s.append([MetricRow(step: 0, time: 0, rule: "r", values: [1])])
        #expect(!FileIO.isFile(out) && FileIO.isFile(s.tempPath))
        try s.append([MetricRow(step: 1, time: 0, rule: "r", values: [.nan])])
        try s.commit()
        #expect(try FileIO.read(out) == Array("step,time,rule,a\n0,0,r,1\n1,0,r,nan\n".utf8))
        #expect(!FileIO.isFile(s.tempPath))
        // A directory target fails when the stream is created, before any work.
        #expect(throws: FileIOError.self) { _ = try MetricsStream(path: "/tmp", format: .csv) }
    }

    @Test func staleTempFilesOfDeadProcessesAreRemoved() throws {
        let out = tempPath("o.csv")
        // A pid that has exited: a child we waited for.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/true")
        try p.run()
        p.waitUntilExit()
        let dead = "\(out).tmp-\(p.processIdentifier)"
        let alive = "\(out).tmp-\(getppid())"
        let other = "\(out).tmp-x1"
        for f in [dead, alive, other] { try FileIO.writeAtomically(f, bytes: [1]) }
        defer { for f in [dead, alive, other] { unlink(f) } }
        #expect(FileIO.removeStaleTemps(for: out) == [dead])
        #expect(!FileIO.isFile(dead) && FileIO.isFile(alive) && FileIO.isFile(other))
    }

    // MARK: D17: divergence

    @Test func divergenceStepIsTheFirstNonFiniteRow() throws {
        let spec = try SceneLoader.load(path: scenePath("oja"), overrides: ["rule.eta=10"])
        var s = try SceneSession(spec: spec)
        var rows = [s.measureRow()]
        while s.divergence == nil && s.step < 5000 { rows += s.advance(105) }
        let first = try #require(rows.first { $0.values.contains { !$0.isFinite } })
        #expect(s.divergenceStep == first.step)
        #expect(first.step % spec.metricsEvery == 0)
    }

    // MARK: D11: cost estimate

    @Test func costEstimatesAreBelowTheLimitForShippedScenesAndGrowWithSizes() throws {
        for f in allSceneFiles() {
            let spec = try SceneLoader.load(path: f)
            let c = CostEstimate.of(spec)
            #expect(c.bytes > 0 && c.bytes < 2 * 1024 * 1024 * 1024, "\(f): \(CostEstimate.bytesText(c.bytes))")
        }
        let big = try SceneLoader.load(path: scenePath("eqprop"), overrides: ["network.hidden=[2048,2048]", "rule.relax_steps=1000", "rule.etas=[0.05,0.02,0.02]"])
        #expect(CostEstimate.seconds(CostEstimate.of(big).setupFlops) > 60)
        #expect(CostEstimate.bytesText(8 * 1024 * 1024 * 1024) == "8.0 GiB")
    }

    // MARK: Property: mutated scenes

    /// Byte flips, truncations, control bytes and edge-case values in the shipped scenes (fixed
    /// seed, 3000 inputs): every one decodes or gives exactly one line; none crashes.
    @Test func mutatedShippedScenesDecodeOrGiveOneLine() throws {
        let scenes = try allSceneFiles().sorted().map { try FileIO.read($0) }
        let edge = ["0", "-1", "1e30", "5e-324", "1e-50", "nan", "inf", "9223372036854775807", "\"abc\"", "[]", "{}",
                    "[4096, 4096]", "\"\\u0000\"", "true", "[[1]]", "{ a = { b = 1 } }"].map { Array($0.utf8) }
        var g: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            g = g &* 6364136223846793005 &+ 1442695040888963407
            return Int((g >> 33) % UInt64(max(1, n)))
        }
        var accepted = 0
        for k in 0..<3000 {
            var b = scenes[k % scenes.count]
            switch next(4) {
            case 0: for _ in 0...next(4) { b[next(b.count)] = UInt8(truncatingIfNeeded: next(256)) }
            case 1: b = Array(b.prefix(next(b.count)))
            case 2: b.insert(contentsOf: [0x5B, UInt8(next(2) == 0 ? 0x0A : 0x7D), 0x2C, 0x7D], at: next(b.count))
            default:
                // Replace the value after one `=` by an edge case.
                let eqs = b.indices.filter { b[$0] == UInt8(ascii: "=") }
                if let e = eqs.isEmpty ? nil : eqs[next(eqs.count)], let nl = b[e...].firstIndex(of: 0x0A) {
                    b.replaceSubrange((e + 1)..<nl, with: [0x20] + edge[next(edge.count)])
                }
            }
            if let e = Self.parseError(b) { #expect(!e.contains("\n"), "input \(k)") } else { accepted += 1 }
        }
        #expect(accepted > 0)
    }

    // MARK: Fuzz regressions

    /// Every input the fuzzer ever crashed on (Fuzz/regressions) now parses or fails with one line.
    @Test func fuzzRegressionInputsGiveOneLineOrSuccess() throws {
        let dir = "\(packageRoot)/Fuzz/regressions"
        let files = FileIO.list(dir)
        #expect(!files.isEmpty)
        for f in files {
            let bytes = try FileIO.read("\(dir)/\(f)")
            if let e = Self.parseError(bytes) { #expect(!e.contains("\n"), "\(f)") }
        }
    }
}
