import Foundation
import SynCore
import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A kept metric of one run, summarised from its `metrics.csv` (NaN rows, "undefined", skipped;
/// nil when the metric was never defined or not finite).
public struct MetricSummary: Sendable, Equatable {
    /// The last defined value and its step.
    public var last: Double?
    public var lastStep: Int?
    public var min: Double?
    public var max: Double?
    public var mean: Double?
    /// Rows where the metric was defined.
    public var defined: Int
}

/// One run as the index knows it.
public struct IndexedRun: Sendable, Equatable {
    public var id: String
    public var index: Int
    public var seed: UInt64
    /// The overrides in axis order, values without TOML quotes (`rule.name` = `oja`).
    public var overrides: [SweepOverride]
    /// `key=value ...` of the overrides: runs with the same config differ only in their seed.
    public var config: String
    /// `ok`, `diverged`, `failed` or `pending`.
    public var status: String
    public var scene: String
    /// The rule the run ended with (empty when it did not run).
    public var rule: String
    public var steps: Int
    public var wallSeconds: Double?
    /// By metric name, in the order of the run's metrics file.
    public var metrics: [String: MetricSummary]
    public var metricNames: [String]
}

/// `--where key=value` of `synaptop runs`: a column (`scene`, `rule`, `seed`, `status`, `id`)
/// or a swept key (`rule.eta`); numbers match numerically (`0.010` finds `0.01`).
public struct RunFilter: Sendable, Equatable {
    public var key: String
    public var value: String
    public static let columns = ["scene", "rule", "seed", "status", "id"]

    /// Parses `key=value`; nil when there is no `=` or the key is empty.
    public init?(parsing text: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { return nil }
        key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        value = SweepTable.display(String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
    }
}

/// The SQLite index of a run store, `DIR/index.sqlite`: one row per run (the plan's points and
/// every run directory) with its overrides and a summary of each kept metric.
///
/// The run directories stay the source of truth: workers never touch the index, and every
/// `open` brings it up to date with them: a run whose `manifest.json` or `metrics.csv` changed
/// (modification time and size) is read again, a run gone from the store is dropped, all in one
/// `BEGIN IMMEDIATE` transaction, so processes opening the same index at once queue up on the
/// lock and each sees a complete index. The file may be deleted at any time (it is rebuilt);
/// a damaged or foreign file, or one with another schema version, is rebuilt from scratch; a
/// store the user may not write to is indexed in memory.
public final class RunIndex {
    public static let schemaVersion: Int64 = 1
    public let store: RunStore
    public let db: SQLiteDatabase
    /// False when the index could not be written next to the store (then it lives in memory).
    public let onDisk: Bool

    public var path: String { store.dir + "/index.sqlite" }

    /// Opens (creating or rebuilding) the index of `store` and brings it up to date.
    public init(_ store: RunStore) throws(SweepError) {
        self.store = store
        let plan = try store.plan()
        let file = store.dir + "/index.sqlite"
        var opened: (SQLiteDatabase, Bool)?
        var lastError = ""
        for attempt in 0..<2 {
            do throws(SQLiteError) {
                let db = try SQLiteDatabase(path: file)
                try Self.prepareSchema(db)
                try Self.sync(db, store: store, plan: plan)
                opened = (db, true)
                break
            } catch {
                lastError = error.message
                // A damaged file or an old schema: start again from the run directories.
                if attempt == 0 && (error.isCorruption || error.code == Self.schemaMismatch) { Self.remove(file); continue }
                break
            }
        }
        if opened == nil {
            // Read-only store (or a file system SQLite cannot lock): index in memory.
            do throws(SQLiteError) {
                let db = try SQLiteDatabase(path: ":memory:")
                try Self.prepareSchema(db)
                try Self.sync(db, store: store, plan: plan)
                opened = (db, false)
            } catch {
                throw SweepError(message: "\(file): cannot index the store (\(lastError); in memory: \(error.message))")
            }
        }
        guard let (db, onDisk) = opened else { throw SweepError(message: "\(file): cannot index the store (\(lastError))") }
        self.db = db
        self.onDisk = onDisk
    }

    /// Our own code for "the file holds another schema version".
    static let schemaMismatch: Int32 = 1000

    static func remove(_ file: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(file + suffix) }
    }

    static let schema = """
        CREATE TABLE IF NOT EXISTS runs(
            id TEXT PRIMARY KEY, idx INTEGER NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL,
            status TEXT NOT NULL, scene TEXT NOT NULL, rule TEXT NOT NULL, steps INTEGER NOT NULL,
            wall_seconds REAL, started TEXT, host TEXT, executor TEXT, git_commit TEXT, version TEXT,
            error TEXT, stamp TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS overrides(
            run TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, number REAL,
            PRIMARY KEY(run, key));
        CREATE INDEX IF NOT EXISTS overrides_by_key ON overrides(key, value);
        CREATE TABLE IF NOT EXISTS metrics(
            run TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, last REAL, last_step INTEGER,
            min REAL, max REAL, mean REAL, defined INTEGER NOT NULL,
            PRIMARY KEY(run, name));
        PRAGMA user_version = 1;
        """

    /// Creates the tables in a fresh file; refuses a file of another schema version.
    static func prepareSchema(_ db: SQLiteDatabase) throws(SQLiteError) {
        let version = try db.rows("PRAGMA user_version").first?.first?.int ?? 0
        if version == schemaVersion { return }
        if version != 0 {
            throw SQLiteError(message: "\(db.path): schema version \(version), expected \(schemaVersion)", code: schemaMismatch)
        }
        try db.transaction { () throws(SQLiteError) in try db.execute(schema) }
    }

    /// What identifies the files of a run on disk: modification time (ns) and size of its
    /// manifest and metrics file; "pending" without a manifest.
    static func stamp(_ store: RunStore, _ id: String) -> String {
        func one(_ path: String) -> String? {
            var st = stat()
            guard stat(path, &st) == 0 else { return nil }
            #if os(Linux)
            let t = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
            #else
            let t = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
            #endif
            return "\(t):\(st.st_size)"
        }
        guard let m = one(store.manifestPath(id)) else { return "pending" }
        return m + ";" + (one(store.metricsPath(id)) ?? "-")
    }

    /// The run ids in `runs/` (directories), sorted.
    static func runDirectories(_ store: RunStore) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store.dir + "/runs")) ?? [])
            .filter { !$0.hasPrefix(".") && FileIO.isDirectory(store.runDir($0)) }.sorted()
    }

    /// Brings the index up to date with the store's files (see the type's documentation).
    static func sync(_ db: SQLiteDatabase, store: RunStore, plan: SweepPlan) throws(SQLiteError) {
        let planned = Dictionary(plan.points.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var ids = plan.points.map(\.id)
        let known = Set(ids)
        ids += runDirectories(store).filter { !known.contains($0) }
        let stamps = ids.map { stamp(store, $0) }
        try db.transaction { () throws(SQLiteError) in
            var indexed: [String: String] = [:]
            for row in try db.rows("SELECT id, stamp FROM runs") {
                if let id = row[0].string, let s = row[1].string { indexed[id] = s }
            }
            let deleteRun = try db.prepare("DELETE FROM runs WHERE id = ?1")
            let deleteOverrides = try db.prepare("DELETE FROM overrides WHERE run = ?1")
            let deleteMetrics = try db.prepare("DELETE FROM metrics WHERE run = ?1")
            func drop(_ id: String) throws(SQLiteError) {
                for s in [deleteRun, deleteOverrides, deleteMetrics] { try s.run([.text(id)]) }
            }
            let insertRun = try db.prepare("""
                INSERT INTO runs(id, idx, seed, config, status, scene, rule, steps, wall_seconds, started, host,
                                 executor, git_commit, version, error, stamp)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
                """)
            let insertOverride = try db.prepare("INSERT INTO overrides(run, position, key, value, number) VALUES (?1, ?2, ?3, ?4, ?5)")
            let insertMetric = try db.prepare("""
                INSERT INTO metrics(run, position, name, last, last_step, min, max, mean, defined)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """)
            let wanted = Set(ids)
            for id in indexed.keys where !wanted.contains(id) { try drop(id) }
            for (id, stamp) in zip(ids, stamps) where indexed[id] != stamp {
                let manifest = stamp == "pending" ? nil : store.manifest(id)
                let point = planned[id]
                // A run directory without a readable manifest and outside the plan is not a run.
                guard manifest != nil || point != nil else {
                    if indexed[id] != nil { try drop(id) }
                    continue
                }
                if indexed[id] != nil { try drop(id) }
                let overrides = (manifest?.overrides ?? point?.overrides ?? []).map {
                    SweepOverride(key: $0.key, value: SweepTable.display($0.value))
                }
                let scene = manifest.map(\.scene).flatMap { $0.isEmpty ? nil : $0 } ?? plan.scene
                try insertRun.run([
                    .text(id), .integer(Int64(manifest?.index ?? point?.index ?? -1)),
                    .integer(Int64(bitPattern: manifest?.seed ?? point?.seed ?? 0)),
                    .text(configKey(overrides)), .text(manifest?.status.rawValue ?? "pending"),
                    .text(scene), .text(manifest?.rule ?? ""), .integer(Int64(manifest?.steps ?? 0)),
                    manifest.map { .number($0.wallSeconds) } ?? .null,
                    manifest.map { .text($0.started) } ?? .null, manifest.map { .text($0.host) } ?? .null,
                    manifest.map { .text($0.executor) } ?? .null, manifest?.gitCommit.map { .text($0) } ?? .null,
                    manifest.map { .text($0.synaptopVersion) } ?? .null, manifest?.error.map { .text($0) } ?? .null,
                    .text(stamp),
                ])
                for (k, o) in overrides.enumerated() {
                    try insertOverride.run([.text(id), .integer(Int64(k)), .text(o.key), .text(o.value),
                                            Double(o.value).map { .number($0) } ?? .null])
                }
                guard let manifest, manifest.finished else { continue }
                let columns = SweepTable.readColumns(store.metricsPath(id))
                let steps = columns["step"] ?? []
                for (k, name) in manifest.metrics.enumerated() {
                    let s = summarize(columns[name] ?? [], steps: steps)
                    try insertMetric.run([
                        .text(id), .integer(Int64(k)), .text(name), s.last.map { .number($0) } ?? .null,
                        s.lastStep.map { .integer(Int64($0)) } ?? .null, s.min.map { .number($0) } ?? .null,
                        s.max.map { .number($0) } ?? .null, s.mean.map { .number($0) } ?? .null, .integer(Int64(s.defined)),
                    ])
                }
            }
        }
    }

    /// `key=value key=value` in axis order: the configuration a run belongs to.
    public static func configKey(_ overrides: [SweepOverride]) -> String {
        overrides.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    /// The summary of one metric's series (NaN rows skipped; non-finite results nil).
    public static func summarize(_ values: [Double], steps: [Double]) -> MetricSummary {
        var s = MetricSummary(defined: 0)
        var sum = 0.0
        var lo = Double.infinity, hi = -Double.infinity
        for (i, v) in values.enumerated() where !v.isNaN {
            s.defined += 1
            sum += v
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
            s.last = v
            s.lastStep = i < steps.count && steps[i].isFinite ? Int(steps[i]) : nil
        }
        func finite(_ x: Double) -> Double? { x.isFinite ? x : nil }
        if let last = s.last, !last.isFinite { s.last = nil }
        if s.defined > 0 {
            s.min = finite(lo)
            s.max = finite(hi)
            s.mean = finite(sum / Double(s.defined))
        }
        return s
    }

    // MARK: Queries

    /// The keys a filter may name: the columns and every swept key in the index.
    public func filterKeys() throws(SweepError) -> [String] {
        let keys = try query("SELECT DISTINCT key FROM overrides ORDER BY key").compactMap { $0.first?.string }
        return RunFilter.columns + keys
    }

    /// The runs matching every filter, in plan order (then by id).
    public func runs(where filters: [RunFilter] = []) throws(SweepError) -> [IndexedRun] {
        var conditions: [String] = []
        var bindings: [SQLiteValue] = []
        let swept = Set(try filterKeys())
        for f in filters {
            let number = Double(f.value).map(SQLiteValue.number) ?? .null
            switch f.key {
            case "scene", "rule", "status", "id":
                conditions.append("r.\(f.key) = ?")
                bindings.append(.text(f.value))
            case "seed":
                guard let seed = UInt64(f.value) else {
                    throw SweepError(message: "--where seed=\(f.value): expected a non-negative integer")
                }
                conditions.append("r.seed = ?")
                bindings.append(.integer(Int64(bitPattern: seed)))
            default:
                guard swept.contains(f.key) else {
                    var msg = "--where \(f.key)=\(f.value): not a column or a swept key of \(store.dir)"
                    if let near = Suggest.closest(to: f.key, in: Array(swept)) { msg += ", did you mean \"\(near)\"?" }
                    throw SweepError(message: msg + " (keys: \(try filterKeys().joined(separator: ", ")))")
                }
                conditions.append("EXISTS (SELECT 1 FROM overrides o WHERE o.run = r.id AND o.key = ? AND (o.value = ? OR o.number = ?))")
                bindings += [.text(f.key), .text(f.value), number]
            }
        }
        let sql = "SELECT id, idx, seed, config, status, scene, rule, steps, wall_seconds FROM runs r"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY idx, id"
        var runs: [IndexedRun] = []
        for row in try query(sql, bindings) {
            runs.append(IndexedRun(
                id: row[0].string ?? "", index: Int(row[1].int ?? -1), seed: UInt64(bitPattern: row[2].int ?? 0),
                overrides: [], config: row[3].string ?? "", status: row[4].string ?? "", scene: row[5].string ?? "",
                rule: row[6].string ?? "", steps: Int(row[7].int ?? 0), wallSeconds: row[8].double, metrics: [:], metricNames: []))
        }
        let position = Dictionary(runs.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for row in try query("SELECT run, key, value FROM overrides ORDER BY run, position") {
            guard let id = row[0].string, let i = position[id] else { continue }
            runs[i].overrides.append(SweepOverride(key: row[1].string ?? "", value: row[2].string ?? ""))
        }
        for row in try query("SELECT run, name, last, last_step, min, max, mean, defined FROM metrics ORDER BY run, position") {
            guard let id = row[0].string, let i = position[id], let name = row[1].string else { continue }
            runs[i].metricNames.append(name)
            runs[i].metrics[name] = MetricSummary(
                last: row[2].double, lastStep: row[3].int.map { Int($0) }, min: row[4].double, max: row[5].double,
                mean: row[6].double, defined: Int(row[7].int ?? 0))
        }
        return runs
    }

    func query(_ sql: String, _ bindings: [SQLiteValue] = []) throws(SweepError) -> [[SQLiteValue]] {
        do { return try db.rows(sql, bindings) } catch { throw SweepError(message: error.message) }
    }
}
