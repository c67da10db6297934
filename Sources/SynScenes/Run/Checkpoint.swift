import SynCore
import SynModels

/// A resumable point of a run, stored as the recipe rather than the state: the scene text,
/// overrides and seed, the step `k`, the log of rule switches and control changes, and the last
/// metrics row at or before `k` (bit patterns) as a digest. Resuming re-simulates from the seed
/// to `k` replaying the log (exact, because every simulation is deterministic from its seed, and
/// the same for every model), checks the digest, and goes on.
///
/// File format (`format 1`): the line `SYNAPTOP-CHECKPOINT`, then records `KEY LENGTH\n` +
/// LENGTH bytes + `\n`, the last one `fnv1a64` holding the 64-bit FNV-1a hash (hex) of every
/// byte before it. Another format, another synaptop version, a bad checksum or a truncated
/// file is refused with one line.
public struct Checkpoint: Sendable, Equatable {
    /// The version of the file layout this code reads and writes.
    public static let format = 1
    static let magic = "SYNAPTOP-CHECKPOINT\n"
    /// Largest checkpoint read (the scene text is at most 1 MiB; events are small).
    public static let maxBytes = 16 << 20

    /// Version of the synaptop that wrote it (must equal the reader's).
    public var version: String
    /// The scene's path when saved (for messages and the scene's name).
    public var file: String
    /// The scene file's exact text.
    public var scene: [UInt8]
    /// `--set` overrides (with `rule.name=` for `--rule`), in order.
    public var overrides: [String]
    public var seed: UInt64
    /// The step the run had reached.
    public var step: Int
    /// Rule switches and control changes up to `step`, in order.
    public var events: [SessionEvent]
    /// The last metrics row at or before `step` (its step and values).
    public var digestStep: Int
    public var digest: [Double]

    public init(version: String, file: String, scene: [UInt8], overrides: [String], seed: UInt64, step: Int,
                events: [SessionEvent], digestStep: Int, digest: [Double]) {
        self.version = version
        self.file = file
        self.scene = scene
        self.overrides = overrides
        self.seed = seed
        self.step = step
        self.events = events
        self.digestStep = digestStep
        self.digest = digest
    }

    /// The checkpoint of `session` as it is now; `last` is the newest metrics row measured.
    public init(version: String, spec: SceneSpec, overrides: [String], session: SceneSession, last: MetricRow) {
        self.init(version: version, file: spec.file, scene: spec.source, overrides: overrides, seed: session.seed,
                  step: session.step, events: session.events.filter { $0.step <= session.step },
                  digestStep: last.step, digest: last.values)
    }

    // MARK: - Encoding

    /// The file's bytes.
    public func encoded() -> [UInt8] {
        var out = Array(Self.magic.utf8)
        func record(_ key: String, _ value: [UInt8]) {
            out += Array("\(key) \(value.count)\n".utf8)
            out += value
            out.append(0x0A)
        }
        func record(_ key: String, _ value: String) { record(key, Array(value.utf8)) }
        record("format", String(Self.format))
        record("version", version)
        record("file", file)
        record("scene", scene)
        for o in overrides { record("override", o) }
        record("seed", String(seed))
        record("step", String(step))
        for e in events {
            switch e.kind {
            case .rule(let name): record("event", "\(e.step) rule \(name)")
            case .control(let name, let v): record("event", "\(e.step) control \(name) \(Self.hex(v.bitPattern))")
            }
        }
        record("digest", "\(digestStep) " + digest.map { Self.hex($0.bitPattern) }.joined(separator: ","))
        record("fnv1a64", Self.hex(Self.fnv1a64(out[...])))
        return out
    }

    /// Writes the checkpoint atomically (temp file + rename).
    public func write(to path: String) throws(FileIOError) {
        try FileIO.writeAtomically(path, bytes: encoded())
    }

    // MARK: - Decoding

    /// Reads and checks a checkpoint file; one-line errors name the file.
    public static func read(_ path: String, expectingVersion: String) throws(SceneError) -> Checkpoint {
        let bytes: [UInt8]
        do throws(FileIOError) { bytes = try FileIO.read(path, limit: maxBytes) } catch {
            throw SceneError(file: path, key: nil, message: error.description)
        }
        return try decode(bytes, file: path, expectingVersion: expectingVersion)
    }

    /// Parses checkpoint bytes named `file` in errors.
    public static func decode(_ bytes: [UInt8], file: String, expectingVersion: String) throws(SceneError) -> Checkpoint {
        func fail(_ m: String) -> SceneError { SceneError(file: file, key: nil, message: m) }
        let magic = Array(Self.magic.utf8)
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw fail("not a synaptop checkpoint (expected a file written by `:save` or `run --checkpoint-every`)")
        }
        var records: [(key: String, value: ArraySlice<UInt8>, start: Int)] = []
        var i = magic.count
        while i < bytes.count {
            let start = i
            guard let nl = bytes[i...].prefix(64).firstIndex(of: 0x0A),
                  let header = String(validating: bytes[i..<nl], as: UTF8.self),
                  let space = header.lastIndex(of: " "), let n = Int(header[header.index(after: space)...]), n >= 0 else {
                throw fail("corrupted checkpoint (bad record header at byte \(i))")
            }
            let key = String(header[..<space])
            let valueStart = nl + 1
            guard n <= bytes.count - valueStart - 1 else {
                throw fail("truncated checkpoint (record \"\(SceneError.clip(key, 20))\" ends after the file's \(bytes.count) bytes)")
            }
            guard bytes[valueStart + n] == 0x0A else { throw fail("corrupted checkpoint (record \"\(SceneError.clip(key, 20))\" not terminated)") }
            records.append((key, bytes[valueStart..<(valueStart + n)], start))
            i = valueStart + n + 1
        }
        guard let sum = records.last, sum.key == "fnv1a64" else {
            throw fail("truncated checkpoint (no checksum record at the end)")
        }
        guard String(decoding: sum.value, as: UTF8.self) == hex(fnv1a64(bytes[0..<sum.start])) else {
            throw fail("corrupted checkpoint (checksum mismatch)")
        }
        func text(_ v: ArraySlice<UInt8>) -> String { String(decoding: v, as: UTF8.self) }
        func one(_ key: String) throws(SceneError) -> ArraySlice<UInt8> {
            guard let r = records.first(where: { $0.key == key }) else { throw fail("checkpoint has no \"\(key)\" record") }
            return r.value
        }
        let format = text(try one("format"))
        guard format == String(Self.format) else {
            throw fail("checkpoint format \(SceneError.clip(format, 20)), this synaptop reads format \(Self.format)")
        }
        let version = text(try one("version"))
        guard version == expectingVersion else {
            throw fail("checkpoint written by synaptop \(SceneError.clip(version, 30)), this is \(expectingVersion) (a replay is exact only within one version)")
        }
        guard let seed = UInt64(text(try one("seed"))), let step = Int(text(try one("step"))), step >= 0 else {
            throw fail("corrupted checkpoint (seed or step is not a non-negative integer)")
        }
        var events: [SessionEvent] = []
        for r in records where r.key == "event" {
            let parts = text(r.value).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3, let s = Int(parts[0]), s >= 0, s <= step else { throw fail("corrupted checkpoint (bad event \"\(SceneError.clip(text(r.value)))\")") }
            if parts[1] == "rule", parts.count == 3 {
                events.append(SessionEvent(step: s, kind: .rule(parts[2])))
            } else if parts[1] == "control", parts.count == 4, let bits = UInt64(parts[3], radix: 16) {
                events.append(SessionEvent(step: s, kind: .control(parts[2], Double(bitPattern: bits))))
            } else {
                throw fail("corrupted checkpoint (bad event \"\(SceneError.clip(text(r.value)))\")")
            }
        }
        let digestParts = text(try one("digest")).split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard digestParts.count == 2, let digestStep = Int(digestParts[0]), digestStep <= step else {
            throw fail("corrupted checkpoint (bad digest)")
        }
        var digest: [Double] = []
        for h in digestParts[1].split(separator: ",") {
            guard let bits = UInt64(h, radix: 16) else { throw fail("corrupted checkpoint (bad digest)") }
            digest.append(Double(bitPattern: bits))
        }
        return Checkpoint(version: version, file: text(try one("file")), scene: Array(try one("scene")),
                          overrides: records.filter { $0.key == "override" }.map { text($0.value) },
                          seed: seed, step: step, events: events, digestStep: digestStep, digest: digest)
    }

    // MARK: - Resuming

    /// The scene of the checkpoint, parsed from the embedded text with its overrides.
    public func spec() throws(SceneError) -> SceneSpec {
        try SceneLoader.parse(bytes: scene, file: file, overrides: overrides)
    }

    /// Re-simulates from the seed to `step`, replaying the event log, and checks the digest.
    /// `rows` receives every metrics row measured (step 0 included); `progress(done)` is called
    /// between chunks of about `chunk` steps; returning false from it stops (an error).
    public func replay(spec: SceneSpec, threads: Int = 1, chunk: Int = 10_000, rows: (MetricRow) -> Void = { _ in },
                       progress: (Int) -> Bool = { _ in true }) throws(SceneError) -> SceneSession {
        var session = try SceneSession(spec: spec, seed: seed, threads: threads)
        var last = session.measureRow()
        rows(last)
        var next = 0
        func applyDue() throws(SceneError) {
            while next < events.count, events[next].step == session.step {
                if let err = session.apply(events[next]) {
                    throw SceneError(file: file, key: nil, message: "checkpoint event at step \(events[next].step): \(err)")
                }
                next += 1
            }
        }
        try applyDue()
        while session.step < step {
            let to = min(step, next < events.count ? events[next].step : step, session.step + max(1, chunk))
            for r in session.advance(to - session.step) {
                rows(r)
                last = r
            }
            try applyDue()
            guard progress(session.step) else {
                throw SceneError(file: file, key: nil, message: "resume interrupted at step \(session.step) of \(step)")
            }
        }
        guard last.step == digestStep, last.values.count == digest.count,
              zip(last.values, digest).allSatisfy({ $0.bitPattern == $1.bitPattern }) else {
            let names = session.metricNames
            let j = zip(last.values, digest).enumerated().first { $0.element.0.bitPattern != $0.element.1.bitPattern }?.offset
            let what = j.map { "metric \(names.indices.contains($0) ? names[$0] : "\($0)"): saved \(digest[$0]), replayed \(last.values[$0])" }
                ?? "saved row at step \(digestStep) with \(digest.count) values, replayed row at step \(last.step) with \(last.values.count)"
            throw SceneError(file: file, key: nil, message: "checkpoint does not replay to the same state at step \(digestStep) (\(what)); refusing to resume")
        }
        return session
    }

    // MARK: - Helpers

    /// 64-bit FNV-1a of `bytes`.
    public static func fnv1a64(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    static func hex(_ x: UInt64) -> String {
        let s = String(x, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
