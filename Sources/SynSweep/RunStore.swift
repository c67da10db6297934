import Foundation
import SynCore
import SynScenes

/// A one-line failure of the sweep machinery (files, processes, Slurm), naming what failed.
public struct SweepError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Runs a file operation, turning its `FileIOError` into a `SweepError`.
func io<T>(_ body: () throws(FileIOError) -> T) throws(SweepError) -> T {
    do { return try body() } catch { throw SweepError(message: error.message) }
}

/// What a run directory says about a run: `runs/<id>/manifest.json`, written atomically after
/// `metrics.csv`, so a manifest means the run's files are complete.
public struct RunManifest: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Finished; metrics.csv holds the whole series.
        case ok
        /// Finished early because a metric became NaN or infinite (a result, not retried).
        case diverged
        /// Did not finish (an error or a crash); a resumed sweep runs it again.
        case failed
    }

    public var id: String
    public var index: Int
    public var status: Status
    public var exitStatus: Int32
    public var error: String?
    public var scene: String
    public var sceneFile: String
    public var sceneText: String
    public var overrides: [SweepOverride]
    public var rule: String
    public var seed: UInt64
    public var steps: Int
    public var metrics: [String]
    public var rows: Int
    public var synaptopVersion: String
    public var gitCommit: String?
    public var host: String
    /// UTC start time, ISO 8601.
    public var started: String
    public var wallSeconds: Double
    /// How the run was executed (`local`, `slurm JOBID_TASK`, `task`).
    public var executor: String

    /// A run counts as finished (skipped on resume) when it is ok or diverged.
    public var finished: Bool { status != .failed }
}

/// The plan of a sweep, written at its start: `plan.json` lists every point so that `status`
/// and `table` know what is pending without the sweep file.
public struct SweepPlan: Codable, Sendable {
    public struct Point: Codable, Sendable {
        public var index: Int
        public var id: String
        public var seed: UInt64
        public var overrides: [SweepOverride]
    }
    public var sweepFile: String
    public var scene: String
    public var sceneFile: String
    public var steps: Int?
    public var metrics: [String]
    public var variedKeys: [String]
    public var points: [Point]

    public init(_ spec: SweepSpec) {
        sweepFile = spec.file
        scene = spec.sceneName
        sceneFile = spec.scenePath
        steps = spec.steps
        metrics = spec.metrics
        variedKeys = spec.variedKeys
        points = spec.points.map { Point(index: $0.index, id: $0.id, seed: $0.seed, overrides: $0.overrides) }
    }
}

/// A sweep's directory:
/// ```
/// DIR/sweep.toml              the sweep file as submitted
/// DIR/plan.json               every point (index, id, seed, overrides)
/// DIR/runs/<id>/metrics.csv   the run's metrics series (the kept columns)
/// DIR/runs/<id>/manifest.json scene text, overrides, seed, version, commit, host, wall time, status
/// DIR/runs/<id>/worker.log    the worker's output (local executor)
/// DIR/index.csv               one row per run, rebuilt from runs/ by `status` and `table`
/// ```
/// Every file is written atomically (temp file + rename in the same directory), so readers on
/// a shared file system see a whole file or none, with any number of writers.
public struct RunStore: Sendable {
    public let dir: String

    public init(_ dir: String) { self.dir = dir }

    public var planPath: String { dir + "/plan.json" }
    public func runDir(_ id: String) -> String { "\(dir)/runs/\(id)" }
    public func manifestPath(_ id: String) -> String { runDir(id) + "/manifest.json" }
    public func metricsPath(_ id: String) -> String { runDir(id) + "/metrics.csv" }
    public func logPath(_ id: String) -> String { runDir(id) + "/worker.log" }

    /// Creates the directory, `runs/`, and writes `sweep.toml` and `plan.json`.
    public func prepare(_ spec: SweepSpec) throws(SweepError) {
        try Self.makeDirectories(dir + "/runs")
        try io { () throws(FileIOError) in try FileIO.writeAtomically(dir + "/sweep.toml", bytes: Array(spec.text.utf8)) }
        try write(SweepPlan(spec), to: planPath)
    }

    public func plan() throws(SweepError) -> SweepPlan {
        guard FileIO.isFile(planPath) else {
            throw SweepError(message: "\(dir): not a sweep directory (no plan.json; start one with `synaptop sweep SPEC.toml --out \(dir)`)")
        }
        return try read(SweepPlan.self, from: planPath)
    }

    /// The run's manifest, nil when it has none (pending) or it cannot be read.
    public func manifest(_ id: String) -> RunManifest? {
        guard FileIO.isFile(manifestPath(id)) else { return nil }
        return try? read(RunManifest.self, from: manifestPath(id))
    }

    public func isFinished(_ id: String) -> Bool { manifest(id)?.finished ?? false }

    public func writeManifest(_ m: RunManifest) throws(SweepError) {
        try Self.makeDirectories(runDir(m.id))
        try write(m, to: manifestPath(m.id))
    }

    func write<T: Encodable>(_ value: T, to path: String) throws(SweepError) {
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try enc.encode(value) } catch { throw SweepError(message: "cannot encode \(path): \(error)") }
        try io { () throws(FileIOError) in try FileIO.writeAtomically(path, bytes: Array(data) + [0x0A]) }
    }

    func read<T: Decodable>(_ type: T.Type, from path: String) throws(SweepError) -> T {
        let bytes = try io { () throws(FileIOError) in try FileIO.read(path, limit: 64 << 20) }
        let dec = JSONDecoder()
        dec.keyDecodingStrategy = .convertFromSnakeCase
        do { return try dec.decode(type, from: Data(bytes)) } catch {
            throw SweepError(message: "\(path): not a valid \(T.self) file (\(error))")
        }
    }

    /// `mkdir -p`.
    public static func makeDirectories(_ path: String) throws(SweepError) {
        var built = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            built += "/" + part
            if FileIO.isDirectory(built) { continue }
            if mkdir(built, 0o755) != 0 && errno != EEXIST {
                throw SweepError(message: "cannot create directory \(built): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Counts of a sweep's runs.
public struct SweepCounts: Sendable, Equatable {
    public var total = 0
    public var done = 0
    public var diverged = 0
    public var failed = 0
    public var pending: Int { total - done - diverged - failed }
    public var finished: Int { done + diverged }

    public var summary: String {
        "\(total) runs: \(done) done, \(diverged) diverged, \(failed) failed, \(pending) pending"
    }
}

extension RunStore {
    /// Counts the plan's runs by their manifests.
    public func counts(_ plan: SweepPlan) -> SweepCounts {
        var c = SweepCounts(total: plan.points.count)
        for p in plan.points {
            switch manifest(p.id)?.status {
            case .ok?: c.done += 1
            case .diverged?: c.diverged += 1
            case .failed?: c.failed += 1
            case nil: break
            }
        }
        return c
    }
}
