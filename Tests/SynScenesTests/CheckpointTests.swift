import Testing
import SynCore
import SynModels
@testable import SynScenes

/// Checkpoints: a run resumed at step k measures, from k on, exactly what the uninterrupted
/// run measured; damaged, truncated or foreign files are refused with one line.
@Suite struct CheckpointTests {
    static let version = "test-1"

    /// A curl-descent run with a rule switch and a control change, checkpointed at `k`.
    static func run(to total: Int, checkpointAt k: Int) throws -> (rows: [MetricRow], checkpoint: Checkpoint?) {
        let spec = try SceneLoader.load(path: scenePath("curl-descent"), overrides: ["metrics.every=50"])
        var s = try SceneSession(spec: spec, seed: 3)
        var rows = [s.measureRow()]
        var checkpoint: Checkpoint?
        let rule = s.sim.ruleNames[1]
        while s.step < total {
            let next = [130, 260, k, total].filter { $0 > s.step }.min() ?? total
            rows += s.advance(next - s.step)
            if s.step == 130 { #expect(s.apply(SessionEvent(step: 130, kind: .rule(rule))) == nil) }
            if s.step == 260 { #expect(s.setControl("eta", to: 0.006) == nil) }
            if s.step == k, let last = rows.last {
                checkpoint = Checkpoint(version: version, spec: spec, overrides: ["metrics.every=50"], session: s, last: last)
            }
        }
        return (rows, checkpoint)
    }

    @Test func resumedRunMeasuresWhatTheUninterruptedRunMeasured() throws {
        let k = 333
        let (full, saved) = try Self.run(to: 600, checkpointAt: k)
        let checkpoint = try #require(saved)
        #expect(checkpoint.events.map(\.step) == [130, 260])
        // Through the file format.
        let decoded = try Checkpoint.decode(checkpoint.encoded(), file: "x.ckpt", expectingVersion: Self.version)
        #expect(decoded == checkpoint)
        var replayed: [MetricRow] = []
        var session = try decoded.replay(spec: try decoded.spec(), chunk: 37, rows: { replayed.append($0) })
        #expect(session.step == k)
        #expect(replayed.map(\.step) == full.filter { $0.step <= k }.map(\.step))
        var after: [MetricRow] = []
        while session.step < 600 { after += session.advance(min(71, 600 - session.step)) }
        let want = full.filter { $0.step > k }
        #expect(after.map(\.step) == want.map(\.step))
        for (a, b) in zip(after, want) {
            #expect(a.rule == b.rule)
            #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern), "row \(a.step)")
        }
    }

    @Test func damagedTruncatedOrForeignCheckpointsAreRefused() throws {
        let checkpoint = try #require(try Self.run(to: 120, checkpointAt: 120).checkpoint)
        let bytes = checkpoint.encoded()
        func refusal(_ b: [UInt8], version: String = Self.version) -> String? {
            do throws(SceneError) {
                _ = try Checkpoint.decode(b, file: "c.ckpt", expectingVersion: version)
                return nil
            } catch { return error.description }
        }
        #expect(refusal(bytes) == nil)
        var flipped = bytes
        flipped[bytes.count / 2] ^= 0x01
        #expect(refusal(flipped)?.contains("c.ckpt: corrupted checkpoint") == true, "\(refusal(flipped) ?? "accepted")")
        for cut in [bytes.count - 1, bytes.count - 30, bytes.count / 2, 25] {
            let r = refusal(Array(bytes[0..<cut]))
            #expect(r?.hasPrefix("c.ckpt: ") == true && (r?.contains("truncated") == true || r?.contains("corrupted") == true),
                    "cut at \(cut): \(r ?? "accepted")")
        }
        #expect(refusal(Array("hello".utf8))?.contains("not a synaptop checkpoint") == true)
        #expect(refusal(bytes, version: "9.9.9")?.contains("written by synaptop test-1, this is 9.9.9") == true)
        // Another format, with a valid checksum: refused by its format record.
        var other = checkpoint.encoded()
        let text = String(decoding: other, as: UTF8.self).replacingOccurrences(of: "format 1\n1\n", with: "format 1\n2\n")
        other = Array(text.utf8)
        other = Array(other[0..<(other.count - 28)])
        other += Array("fnv1a64 16\n\(Checkpoint.hex(Checkpoint.fnv1a64(other[...])))\n".utf8)
        #expect(refusal(other)?.contains("checkpoint format 2, this synaptop reads format 1") == true, "\(refusal(other) ?? "accepted")")
        for r in [refusal(flipped), refusal(other), refusal(bytes, version: "9")] { #expect(r?.contains("\n") == false) }
    }

    /// A checkpoint whose digest the replay does not reproduce (here: the scene text changed)
    /// is refused instead of resuming another run.
    @Test func aCheckpointThatDoesNotReplayIsRefused() throws {
        var checkpoint = try #require(try Self.run(to: 120, checkpointAt: 120).checkpoint)
        checkpoint.seed += 1
        #expect(throws: SceneError.self) { _ = try checkpoint.replay(spec: try checkpoint.spec()) }
    }
}

extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: a) {
            out += rest[..<r.lowerBound] + b
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
