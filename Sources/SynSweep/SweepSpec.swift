import SynCore
import SynModels
import SynScenes
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One swept parameter: a `--set` key (`rule.eta`, `rule.name` for `rules = [...]`) and the
/// values it takes, as TOML text ready for `--set key=value`.
public struct SweepAxis: Sendable, Equatable {
    public var key: String
    public var values: [String]
}

/// One run of a sweep: the scene's overrides and a seed. `id` is a hash of what the run
/// computes (scene, steps, seed, overrides), so it does not depend on the order of the grid:
/// a finished run keeps its id when the sweep file gains values.
public struct SweepPoint: Sendable, Equatable {
    /// Position in the expansion (the task index of `--task-index`).
    public var index: Int
    public var id: String
    /// `(key, value)` in axis order: grid axes, then random draws.
    public var overrides: [SweepOverride]
    public var seed: UInt64

    /// The overrides as `key=value` strings for `SceneLoader`.
    public var setArguments: [String] { overrides.map { "\($0.key)=\($0.value)" } }

    /// The value of one swept key, if this point sets it.
    public func value(of key: String) -> String? { overrides.first { $0.key == key }?.value }
}

public struct SweepOverride: Sendable, Equatable, Codable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { self.key = key; self.value = value }
}

/// A random parameter: `key = { uniform = [lo, hi] }`, `{ log_uniform = [lo, hi] }`,
/// `{ int_uniform = [lo, hi] }` or `{ choice = [a, b, ...] }`.
public enum SweepDistribution: Sendable, Equatable {
    case uniform(Double, Double)
    case logUniform(Double, Double)
    case intUniform(Int, Int)
    case choice([String])

    /// One draw as TOML text.
    func draw(_ rng: inout RNG) -> String {
        switch self {
        case .uniform(let a, let b): return SweepSpec.short(a + (b - a) * rng.uniformDouble())
        case .logUniform(let a, let b): return SweepSpec.short(exp(log(a) + (log(b) - log(a)) * rng.uniformDouble()))
        case .intUniform(let a, let b): return String(a + rng.int(below: b - a + 1))
        case .choice(let c): return c[rng.int(below: c.count)]
        }
    }
}

/// A validated sweep file:
///
/// ```toml
/// scene = "oja"                      # name or path (relative to this file)
/// steps = 2000                       # optional (default: the scene's steps)
/// seeds = [1, 2, 3]                  # or seeds = 3 (1, 2, 3)
/// rules = ["oja", "hebb"]            # optional: a grid over the starting rule
/// metrics = ["alignment"]            # optional: the columns kept (default: all)
/// [grid]
/// rule.eta = [0.001, 0.005, 0.02]    # any `--set` key of the scene, a list of values
/// [random]                           # optional random draws, crossed with the grid
/// draws = 4
/// seed = 1
/// network.init_scale = { uniform = [0.5, 2.0] }
/// ```
///
/// Points are the product grid x draws x seeds (seeds innermost). Every grid/draw combination
/// is loaded with the scene's own validation, and an error names the sweep key:
/// `sweep.toml: grid.rule.eta: expected a number in (0, 10], got -1 (scene oja)`.
public struct SweepSpec: Sendable {
    /// Largest number of runs a sweep file may expand to.
    public static let maxPoints = 100_000
    static let distributionKinds = ["uniform", "log_uniform", "int_uniform", "choice"]

    public var file: String
    /// `scene` as written.
    public var scene: String
    /// The resolved scene file (absolute when it could be made so).
    public var scenePath: String
    public var sceneName: String
    public var steps: Int?
    public var seeds: [UInt64]
    /// The metric columns kept; every metric of the scene when the file has no `metrics`.
    public var metrics: [String]
    public var axes: [SweepAxis]
    public var randomKeys: [String]
    public var points: [SweepPoint]
    /// The sweep file's text (copied into the run store).
    public var text: String

    /// Every key that varies across points (grid keys, then random keys).
    public var variedKeys: [String] { axes.map(\.key) + randomKeys }

    /// Reads and validates a sweep file.
    public static func load(path: String) throws(SceneError) -> SweepSpec {
        let bytes: [UInt8]
        do throws(FileIOError) { bytes = try FileIO.read(path, limit: 1 << 20) } catch { throw SceneError(file: path, key: nil, message: error.message) }
        return try parse(bytes: bytes, file: path)
    }

    /// Validates sweep text named `file` (scene paths are relative to the file's directory).
    public static func parse(bytes: [UInt8], file: String) throws(SceneError) -> SweepSpec {
        let table = try SceneLoader.parseTable(bytes: bytes, file: file, kind: "sweep")
        var r = SceneReader(table, file: file)
        r.tolerate(["scene", "steps", "seeds", "rules", "metrics", "grid", "random"])  // suggestions for typos
        let scene = try r.string("scene")
        let scenePath = try resolveScene(scene, sweepFile: file, reader: r)
        let steps: Int? = r.has("steps") ? try r.integer("steps", in: 1...1_000_000_000) : nil

        let seeds: [UInt64]
        switch r.table["seeds"] {
        case .int?, .double?:
            let n = try r.integer("seeds", in: 1...10_000)
            seeds = (1...n).map { UInt64($0) }
        case nil:
            seeds = []
            _ = try r.integers("seeds", in: 0...Int(Int32.max), count: 1...10_000)
        default:
            seeds = try r.integers("seeds", in: 0...Int(Int32.max), count: 1...10_000).map { UInt64($0) }
        }
        if Set(seeds).count != seeds.count { throw r.error("seeds", "expected distinct seeds, got \(seeds.map(String.init).joined(separator: ", "))") }

        var axes: [SweepAxis] = []
        if r.has("rules") {
            let rules = try r.strings("rules")
            if rules.isEmpty { throw r.error("rules", "expected a non-empty list of rule names") }
            axes.append(SweepAxis(key: "rule.name", values: rules.map { SceneValue.string($0).tomlText }))
        }
        var grid = try r.table("grid")
        for (key, value) in flatten(grid.table, prefix: "") {
            grid.tolerate([key.split(separator: ".").first.map(String.init) ?? key])
            guard case .array(let items) = value else {
                throw grid.error(key, "expected a list of values, e.g. [0.001, 0.01], got \(value.kindName) \(value.tomlText)")
            }
            if items.isEmpty { throw grid.error(key, "expected a non-empty list of values") }
            if key == "rule.name" && axes.contains(where: { $0.key == key }) {
                throw grid.error(key, "the rule is already swept by `rules`; keep one of the two")
            }
            let texts = items.map(\.tomlText)
            if Set(texts).count != texts.count { throw grid.error(key, "expected distinct values, got \(value.tomlText)") }
            axes.append(SweepAxis(key: key, values: texts))
        }
        try grid.finish()

        var random = try r.table("random")
        var dists: [(String, SweepDistribution)] = []
        var draws = 0
        var randomSeed: UInt64 = 1
        if !random.table.keys.isEmpty {
            draws = try random.integer("draws", in: 1...10_000)
            randomSeed = UInt64(try random.integer("seed", in: 0...Int(Int32.max), default: 1))
            for (key, value) in flatten(random.table, prefix: "", leaf: isDistribution) where key != "draws" && key != "seed" {
                random.tolerate([key.split(separator: ".").first.map(String.init) ?? key])
                if axes.contains(where: { $0.key == key }) { throw random.error(key, "also in [grid]; a key is either swept on a grid or drawn at random") }
                dists.append((key, try distribution(value, key: key, reader: random)))
            }
            if dists.isEmpty { throw random.error("draws", "no random parameters (add e.g. rule.eta = { log_uniform = [1e-4, 1e-1] })") }
        }
        try random.finish()

        let metrics: [String]? = r.has("metrics") ? try r.strings("metrics") : nil
        try r.finish()
        if metrics?.isEmpty == true { throw r.error("metrics", "expected a non-empty list of metric names (leave the key out to keep all)") }

        // The size first (without building it), then the combinations: grid product, then draws.
        var size = seeds.count * max(1, draws)
        for axis in axes {
            size = size.multipliedReportingOverflow(by: axis.values.count).partialValue
            if size > maxPoints || size < 0 {
                throw SceneError(file: file, key: nil, message: "the sweep expands to more than \(maxPoints) runs (the limit); use fewer values or seeds")
            }
        }
        var combos: [[SweepOverride]] = [[]]
        for axis in axes {
            combos = combos.flatMap { c in axis.values.map { c + [SweepOverride(key: axis.key, value: $0)] } }
        }
        if !dists.isEmpty {
            var rng = RNG(seed: randomSeed).stream("sweep-random")
            let drawn: [[SweepOverride]] = (0..<draws).map { _ in dists.map { SweepOverride(key: $0.0, value: $0.1.draw(&rng)) } }
            combos = combos.flatMap { c in drawn.map { c + $0 } }
        }
        let total = combos.count * seeds.count
        if total > maxPoints {
            throw SceneError(file: file, key: nil, message: "the sweep expands to \(total) runs, more than the limit of \(maxPoints); use fewer values or seeds")
        }

        // Validate every combination with the scene's own reader; check the metrics.
        let sceneName = SceneLoader.baseName(scenePath)
        var allMetrics: [String] = []
        for c in combos {
            let spec: SceneSpec
            do throws(SceneError) {
                spec = try SceneLoader.load(path: scenePath, overrides: c.map { "\($0.key)=\($0.value)" })
            } catch {
                throw blame(error, combo: c, file: file, axes: axes.map(\.key), scene: sceneName)
            }
            let names = spec.model.metricNames
            if allMetrics.isEmpty { allMetrics = names }
            for m in metrics ?? [] where !names.contains(m) {
                var msg = "unknown value \"\(m)\""
                if let near = Suggest.closest(to: m, in: names) { msg += ", did you mean \"\(near)\"?" }
                let at = c.isEmpty ? "" : " with \(c.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
                throw SceneError(file: file, key: "metrics", message: "\(msg) (scene \(sceneName)\(at) measures: \(names.joined(separator: ", ")))")
            }
            if metrics == nil && names != allMetrics {
                throw SceneError(file: file, key: "metrics", message: "the swept configurations measure different metrics; list the ones to keep (common: \(allMetrics.filter(names.contains).joined(separator: ", ")))")
            }
        }

        var points: [SweepPoint] = []
        points.reserveCapacity(total)
        for c in combos {
            for s in seeds {
                points.append(SweepPoint(index: points.count, id: runID(scene: sceneName, steps: steps, seed: s, overrides: c), overrides: c, seed: s))
            }
        }
        return SweepSpec(file: file, scene: scene, scenePath: scenePath, sceneName: sceneName, steps: steps, seeds: seeds,
                         metrics: metrics ?? allMetrics, axes: axes, randomKeys: dists.map(\.0), points: points,
                         text: String(decoding: bytes, as: UTF8.self))
    }

    /// The id of a run: 12 hex digits of a 64-bit FNV-1a hash of what it computes.
    public static func runID(scene: String, steps: Int?, seed: UInt64, overrides: [SweepOverride]) -> String {
        var text = "scene=\(scene)\nsteps=\(steps.map(String.init) ?? "scene")\nseed=\(seed)\n"
        for o in overrides.sorted(by: { $0.key < $1.key }) { text += "\(o.key)=\(o.value)\n" }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
    }

    /// A scene error caused by a swept value, renamed to the sweep file's key.
    static func blame(_ e: SceneError, combo: [SweepOverride], file: String, axes: [String], scene: String) -> SceneError {
        let set = combo.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        if let key = e.key, let o = combo.first(where: { $0.key == key }) {
            let table = axes.contains(key) ? (key == "rule.name" ? "rules" : "grid.\(key)") : "random.\(key)"
            return SceneError(file: file, key: table, message: "\(e.message) (value \(o.value), scene \(scene))")
        }
        return SceneError(file: file, key: nil, message: "scene \(scene) with \(set.isEmpty ? "no overrides" : set): \(e.description)")
    }

    static func resolveScene(_ scene: String, sweepFile: String, reader: SceneReader) throws(SceneError) -> String {
        var candidate = scene
        if (scene.contains("/") || scene.hasSuffix(".toml")) && !scene.hasPrefix("/") {
            let dir = sweepFile.contains("/") ? String(sweepFile[..<(sweepFile.lastIndex(of: "/") ?? sweepFile.endIndex)]) : "."
            let near = (dir.isEmpty ? "" : dir + "/") + scene
            if FileIO.isFile(near) { candidate = near }
        }
        let path: String
        do throws(SceneError) { path = try SceneLocator.resolve(candidate) } catch {
            throw reader.error("scene", error.message)
        }
        return absolute(path)
    }

    /// `path` made absolute (symlinks resolved) when it exists.
    public static func absolute(_ path: String) -> String {
        guard let p = realpath(path, nil) else { return path }
        defer { free(p) }
        return String(cString: p)
    }

    /// Flattens nested tables into dotted keys; `leaf` stops the descent at a table.
    static func flatten(_ t: SceneTable, prefix: String, leaf: (SceneTable) -> Bool = { _ in false }) -> [(String, SceneValue)] {
        var out: [(String, SceneValue)] = []
        for k in t.keys {
            let path = prefix.isEmpty ? k : prefix + "." + k
            guard let v = t[k] else { continue }
            if case .table(let sub) = v, !leaf(sub) { out += flatten(sub, prefix: path, leaf: leaf) } else { out.append((path, v)) }
        }
        return out
    }

    static func isDistribution(_ t: SceneTable) -> Bool {
        t.keys.count == 1 && distributionKinds.contains(t.keys[0])
    }

    static func distribution(_ v: SceneValue, key: String, reader: SceneReader) throws(SceneError) -> SweepDistribution {
        let expected = "expected { uniform = [lo, hi] }, { log_uniform = [lo, hi] } with 0 < lo, { int_uniform = [lo, hi] } or { choice = [a, b, ...] }"
        guard case .table(let t) = v, isDistribution(t), let kind = t.keys.first, let body = t[kind], case .array(let items) = body else {
            throw reader.error(key, "\(expected), got \(v.tomlText)")
        }
        if kind == "choice" {
            if items.isEmpty { throw reader.error(key, "expected a non-empty choice list") }
            return .choice(items.map(\.tomlText))
        }
        let nums: [Double] = items.compactMap { if case .int(let i) = $0 { Double(i) } else if case .double(let d) = $0 { d } else { nil } }
        guard nums.count == 2, items.count == 2, nums.allSatisfy(\.isFinite), nums[0] < nums[1] else {
            throw reader.error(key, "\(expected) with lo < hi, got \(v.tomlText)")
        }
        switch kind {
        case "uniform": return .uniform(nums[0], nums[1])
        case "log_uniform":
            guard nums[0] > 0 else { throw reader.error(key, "expected log_uniform = [lo, hi] with 0 < lo < hi, got \(v.tomlText)") }
            return .logUniform(nums[0], nums[1])
        default:
            guard nums.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e15 }) else { throw reader.error(key, "expected int_uniform = [lo, hi] with integers, got \(v.tomlText)") }
            return .intUniform(Int(nums[0]), Int(nums[1]))
        }
    }

    /// A drawn number rounded to 5 significant digits, in its shortest TOML form.
    static func short(_ x: Double) -> String {
        guard x != 0, x.isFinite else { return String(x) }
        let e = Int(floor(log10(abs(x))))
        let digits = 4 - e
        var p = 1.0
        for _ in 0..<abs(digits) { p *= 10 }
        let r = digits >= 0 ? (x * p).rounded() / p : (x / p).rounded() * p
        return String(r)
    }
}
