import ArgumentParser
import Foundation
import SynCore
import SynModels
import SynScenes
import SynSweep

enum RunsFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, json }
extension SeriesValue: ExpressibleByArgument {}

/// `synaptop runs [DIR...]`: the runs of one or more sweep stores, through their SQLite index.
struct Runs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the runs of sweep stores (scene, rule, overrides, seed, status, wall time, final metrics), filtered.",
        discussion: """
        Reads each store's SQLite index (DIR/index.sqlite, brought up to date from the run directories first). \
        Without DIR: every sweep store under ./sweeps. See README, "Sweeps".
        """)

    @Argument(help: "Sweep store directories, or sweep files (their default store sweeps/<name>).")
    var dirs: [String] = []

    @Option(name: .customLong("where"), help: ArgumentHelp("Keep runs with KEY=VALUE (repeatable, all must hold): scene, rule, seed, status, id or a swept key such as rule.eta.", valueName: "key=value"))
    var filters: [String] = []

    @Option(name: .long, help: ArgumentHelp("A metric column (repeatable; default: every kept metric).", valueName: "name"))
    var metric: [String] = []

    @Option(name: .long, help: "Which value of each metric's series: last, best, min, max or mean.")
    var at: SeriesValue = .last

    @Option(name: .long, help: "table (aligned text), csv or json.")
    var format: RunsFormat = .table

    func run() throws {
        let stores = try SweepStores.resolve(dirs)
        let parsed = try SweepStores.filters(filters)
        var sets: [(name: String, runs: [IndexedRun])] = []
        for store in stores {
            let runs: [IndexedRun]
            do { runs = try RunIndex(store).runs(where: parsed) } catch { throw CLIError(error.description) }
            sets.append((SceneLoader.baseName(store.dir), runs))
        }
        let available = SweepStores.metricNames(sets.flatMap(\.runs))
        let metrics = try SweepStores.choose(metric, from: available)
        let table = RunsTable(sets: sets, metrics: metrics, at: at, showSweep: stores.count > 1)
        switch format {
        case .table: print(SweepReport.align([table.header] + table.rows), terminator: "")
        case .csv: print(([table.header] + table.rows).map { $0.map(SweepReport.csvField).joined(separator: ",") }.joined(separator: "\n"))
        case .json: print(try table.json())
        }
    }
}

/// The rows of `synaptop runs`.
struct RunsTable {
    var sets: [(name: String, runs: [IndexedRun])]
    var metrics: [String]
    var at: SeriesValue
    var showSweep: Bool

    var keys: [String] {
        var keys: [String] = []
        for r in sets.flatMap(\.runs) { for o in r.overrides where !keys.contains(o.key) { keys.append(o.key) } }
        return keys
    }

    var suffix: String { at == .last ? "" : "@\(at.rawValue)" }

    var header: [String] {
        (showSweep ? ["sweep"] : []) + ["id", "scene", "rule"] + keys + ["seed", "status", "wall_s"] + metrics.map { $0 + suffix }
    }

    var rows: [[String]] {
        let keys = self.keys
        return sets.flatMap { set in
            set.runs.map { r in
                var row = showSweep ? [set.name] : []
                row += [r.id, r.scene, r.rule]
                row += keys.map { k in r.overrides.first { $0.key == k }?.value ?? "" }
                row += [String(r.seed), r.status, r.wallSeconds.map { String(format: "%.2f", $0) } ?? ""]
                row += metrics.map { m in r.metrics[m].flatMap { at.value($0, metric: m) }.map(SweepStores.format) ?? "" }
                return row
            }
        }
    }

    struct Entry: Encodable {
        var sweep: String
        var id: String
        var scene: String
        var rule: String
        var overrides: [String: String]
        var seed: UInt64
        var status: String
        var wallSeconds: Double?
        var steps: Int
        var metrics: [String: Double?]
    }

    /// A JSON array, one object per run (undefined metrics are null).
    func json() throws -> String {
        let entries = sets.flatMap { set in
            set.runs.map { r in
                Entry(sweep: set.name, id: r.id, scene: r.scene, rule: r.rule,
                      overrides: Dictionary(r.overrides.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                      seed: r.seed, status: r.status, wallSeconds: r.wallSeconds, steps: r.steps,
                      metrics: Dictionary(uniqueKeysWithValues: metrics.map { m in (m, r.metrics[m].flatMap { at.value($0, metric: m) }) }))
            }
        }
        let enc = JSONEncoder()
        enc.keyEncodingStrategy = .convertToSnakeCase
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(entries), as: UTF8.self)
    }
}

/// Finding stores and checking arguments, shared by `runs`, `report` and `compare`.
enum SweepStores {
    /// The stores named by `args` (a store directory, or a sweep file standing for
    /// `sweeps/<its name>`); with none, every store under `./sweeps`.
    static func resolve(_ args: [String]) throws -> [RunStore] {
        if args.isEmpty {
            let root = "sweeps"
            let found = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
                .map { root + "/" + $0 }.filter { FileIO.isFile($0 + "/plan.json") }
            guard !found.isEmpty else {
                throw CLIError("no sweep stores given and none under ./sweeps (run `synaptop sweep SPEC.toml` first, or name a store directory)")
            }
            return found.map(RunStore.init)
        }
        return try args.map(store)
    }

    static func store(_ arg: String) throws -> RunStore {
        if FileIO.isDirectory(arg) {
            guard FileIO.isFile(arg + "/plan.json") else {
                throw CLIError("\(arg): not a sweep store (no plan.json; start one with `synaptop sweep SPEC.toml --out \(arg)`)")
            }
            return RunStore(arg)
        }
        if arg.hasSuffix(".toml") && FileIO.isFile(arg) {
            let dir = "sweeps/" + SceneLoader.baseName(arg)
            guard FileIO.isFile(dir + "/plan.json") else {
                throw CLIError("\(arg): its store \(dir) does not exist yet (run `synaptop sweep \(arg)`, or name the store directory)")
            }
            return RunStore(dir)
        }
        throw CLIError("\(arg): no such sweep store directory or sweep file")
    }

    static func filters(_ texts: [String]) throws -> [RunFilter] {
        try texts.map { t in
            guard let f = RunFilter(parsing: t) else { throw CLIError("--where \(t): expected KEY=VALUE, e.g. rule.eta=0.01 or seed=2") }
            return f
        }
    }

    /// The metric names of `runs`, in order of first appearance.
    static func metricNames(_ runs: [IndexedRun]) -> [String] {
        var names: [String] = []
        for r in runs { for m in r.metricNames where !names.contains(m) { names.append(m) } }
        return names
    }

    /// `wanted` checked against `available` (all of them when empty).
    static func choose(_ wanted: [String], from available: [String]) throws -> [String] {
        for m in wanted where !available.contains(m) {
            var msg = "--metric \(m): not a kept metric of these runs"
            if let near = Suggest.closest(to: m, in: available) { msg += ", did you mean \"\(near)\"?" }
            throw CLIError(msg + " (kept: \(available.isEmpty ? "none" : available.joined(separator: ", ")))")
        }
        return wanted.isEmpty ? available : wanted
    }

    static func format(_ x: Double) -> String { x.isFinite ? String(format: "%.6g", x) : "" }
}
