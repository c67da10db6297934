import Foundation
import Testing

/// `synaptop run SCENE --spikes FILE.csv [--spikes-window W]`, driven through the binary.
@Suite struct SpikeExportCLITests {
    /// The rows of a spike CSV after its header, as (neuron, time) pairs.
    static func rows(_ path: String) throws -> (header: String, spikes: [(neuron: Int, time: Double)]) {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.isEmpty ? "" : lines.removeFirst()
        let spikes = lines.compactMap { line -> (Int, Double)? in
            let f = line.split(separator: ",")
            guard f.count == 2, let n = Int(f[0]), let t = Double(f[1]) else { return nil }
            return (n, t)
        }
        #expect(spikes.count == lines.count, "malformed rows in \(path)")
        return (header, spikes)
    }

    /// 300 steps (30 ms) of CUBA: a header, one row per spike, sorted by time, ids within the
    /// network, times on the 0.1 ms grid; as many rows as the summary says.
    @Test func cubaSpikesAreWrittenAsSortedNeuronTimeRows() throws {
        let path = CLITests.temp("cuba-spikes.csv")
        defer { unlink(path) }
        let r = try CLITests.run(["run", "cuba", "--steps", "300", "--quiet", "--spikes", path])
        #expect(r.status == 0, "\(r.stderr)")
        let (header, spikes) = try Self.rows(path)
        #expect(header == "neuron,time_s")
        #expect(!spikes.isEmpty)
        #expect(r.stdout.contains("wrote \(spikes.count) spikes to \(path) (neuron ids: network 0-3999)"), "\(r.stdout)")
        #expect(spikes.allSatisfy { (0..<4000).contains($0.neuron) && $0.time >= 0 && $0.time < 0.03 })
        #expect(spikes.allSatisfy { abs($0.time * 1e4 - ($0.time * 1e4).rounded()) < 1e-6 })
        #expect(zip(spikes, spikes.dropFirst()).allSatisfy { $0.time < $1.time || ($0.time == $1.time && $0.neuron < $1.neuron) })
        #expect(!FileManager.default.fileExists(atPath: path + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"))
    }

    /// A window keeps exactly the spikes of the run's last steps: the same rows as the tail of
    /// the whole run's file (in steps and in seconds).
    @Test func windowKeepsTheTailOfTheRun() throws {
        let all = CLITests.temp("all.csv"), tail = CLITests.temp("tail.csv"), tailSeconds = CLITests.temp("tail-s.csv")
        defer { unlink(all); unlink(tail); unlink(tailSeconds) }
        for (file, window) in [(all, nil), (tail, "100"), (tailSeconds, "10ms")] as [(String, String?)] {
            let r = try CLITests.run(["run", "cuba", "--steps", "300", "--quiet", "--spikes", file] + (window.map { ["--spikes-window", $0] } ?? []))
            #expect(r.status == 0, "\(r.stderr)")
        }
        let whole = try Self.rows(all).spikes, last = try Self.rows(tail).spikes, lastS = try Self.rows(tailSeconds).spikes
        let expected = whole.filter { $0.time >= 0.02 - 1e-9 }
        #expect(!expected.isEmpty && expected.count < whole.count)
        #expect(last.map(\.neuron) == expected.map(\.neuron) && last.map(\.time) == expected.map(\.time))
        #expect(lastS.map(\.neuron) == expected.map(\.neuron) && lastS.map(\.time) == expected.map(\.time))
    }

    /// The AdEx scene's single neuron: id 0, tonic pattern's 102 Hz over the 500 ms step.
    @Test func adexExportsItsNeuron() throws {
        let path = CLITests.temp("adex.csv")
        defer { unlink(path) }
        let r = try CLITests.run(["run", "adex-patterns", "--steps", "12000", "--quiet", "--set", "neuron.pattern=\"tonic\"", "--spikes", path])
        #expect(r.status == 0, "\(r.stderr)")
        let spikes = try Self.rows(path).spikes
        #expect(spikes.allSatisfy { $0.neuron == 0 && $0.time >= 0.05 && $0.time < 0.55 })
        #expect(spikes.count == 51, "\(spikes.count) spikes")
    }

    /// A scene without spiking neurons fails with one line, before running, and writes nothing;
    /// a malformed window and a window without --spikes are refused.
    @Test func nonSpikingScenesAndBadWindowsAreOneLineErrors() throws {
        let path = CLITests.temp("none.csv")
        let r = try CLITests.run(["run", "oja", "--steps", "10", "--spikes", path])
        #expect(r.status != 0)
        #expect(r.stderr.contains("--spikes \(path): scene oja (model hebbian) does not simulate spiking neurons"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!r.stdout.contains("steps in"))
        #expect(!FileManager.default.fileExists(atPath: path))
        let bad = try CLITests.run(["run", "cuba", "--steps", "10", "--spikes", path, "--spikes-window", "2x"])
        #expect(bad.status != 0 && bad.stderr.contains("--spikes-window 2x: expected"))
        let alone = try CLITests.run(["run", "cuba", "--steps", "10", "--spikes-window", "2s"])
        #expect(alone.status != 0 && alone.stderr.contains("--spikes-window: only with --spikes"))
        let csv = try CLITests.run(["run", "cuba", "--steps", "10", "--spikes", path + ".txt"])
        #expect(csv.status != 0 && csv.stderr.contains("expected a file name ending in .csv"))
    }
}
