import SynModels
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads scene files: bytes -> TOML -> overrides -> validated `SceneSpec`.
public enum SceneLoader {
    /// Largest scene file accepted (scene files are short, commented text).
    public static let maxFileBytes = 1 << 20
    /// Most dotted parts a `--set` key may have.
    public static let maxOverrideDepth = 8

    /// Loads and validates a scene file, applying `--set key=value` overrides first.
    public static func load(path: String, overrides: [String] = []) throws(SceneError) -> SceneSpec {
        let bytes: [UInt8]
        do throws(FileIOError) { bytes = try FileIO.read(path, limit: maxFileBytes) } catch { throw SceneError(file: path, key: nil, message: error.message) }
        return try parse(bytes: bytes, file: path, overrides: overrides)
    }

    /// Parses scene text (already read) named `file`.
    public static func parse(bytes: [UInt8], file: String, overrides: [String] = []) throws(SceneError) -> SceneSpec {
        if bytes.isEmpty || bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw SceneError(file: file, key: nil, message: "empty scene file (expected TOML with at least title and model)")
        }
        if bytes.contains(0) {
            throw SceneError(file: file, key: nil, message: "not a text file (contains NUL bytes); expected a TOML scene")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SceneError(file: file, key: nil, message: "not valid UTF-8 text; expected a TOML scene")
        }
        var table = try TOMLSceneParser.parse(text, file: file)
        for o in overrides { try apply(override: o, to: &table, file: file) }
        var spec = try decode(table, file: file)
        spec.source = bytes
        return spec
    }

    /// Applies one `key.path=value` override.
    static func apply(override: String, to table: inout SceneTable, file: String) throws(SceneError) {
        guard let eq = override.firstIndex(of: "=") else {
            throw SceneError(file: file, key: nil, message: "--set \(SceneError.escaped(SceneError.clip(override))): expected key=value, e.g. --set rule.eta=0.02")
        }
        // One line, plain text: a newline would silently drop what follows it in the TOML parse.
        if override.unicodeScalars.contains(where: TOMLSceneParser.isControl) {
            throw SceneError(file: file, key: nil, message: "--set \(SceneError.escaped(SceneError.clip(override))): control characters (such as a newline) are not allowed")
        }
        let key = String(override[..<eq]).trimmingSpaces
        let raw = String(override[override.index(after: eq)...]).trimmingSpaces
        // Keep empty parts so `rule..eta`, `.eta` and `rule.=1` are refused, not reinterpreted.
        let path = key.split(separator: ".", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard !key.isEmpty, path.allSatisfy({ !$0.isEmpty }) else {
            throw SceneError(file: file, key: nil, message: "--set \(SceneError.escaped(SceneError.clip(override))): empty key or key part (expected e.g. rule.eta=0.02)")
        }
        // No scene key is deeper than 3 parts; a long dotted key would only cost memory.
        guard path.count <= maxOverrideDepth else {
            throw SceneError(file: file, key: nil, message: "--set: key has \(path.count) parts, expected at most \(maxOverrideDepth) (e.g. rule.eta)")
        }
        guard table.set(path: path, to: try TOMLSceneParser.parseValue(raw, file: file, key: key)) else {
            throw SceneError(file: file, key: key, message: "--set: cannot set a key inside a non-table value")
        }
    }

    /// Validates a parsed scene table.
    public static func decode(_ table: SceneTable, file: String) throws(SceneError) -> SceneSpec {
        var r = SceneReader(table, file: file)
        let title = try r.string("title")
        let description = try r.string("description", default: "")
        let kinds = SceneModels.all.map { $0.kind }
        let kind = try r.string("model", oneOf: kinds)
        let seed = try r.integer("seed", in: 0...Int(Int32.max), default: 1)
        let steps = try r.integer("steps", in: 1...1_000_000_000, default: 10_000)
        let speed: Double? = r.has("speed") ? try r.number("speed", in: .closed(1, 1e9)) : nil
        var metrics = try r.table("metrics")
        let every = try metrics.integer("every", in: 1...100_000_000, default: 100)
        try metrics.finish()
        guard let type = SceneModels.named(kind) else { throw r.error("model", "unknown model") }
        let model = try type.init(reading: &r)
        var panels: [PanelSpec] = []
        var notes: [String] = []
        for var p in try r.tables("panel") {
            if let panel = try decodePanel(&p, model: model, notes: &notes) { panels.append(panel) }
        }
        if panels.isEmpty { panels = defaultPanels(model) }
        let tour = try TourStop.decode(try r.tables("tour"), metrics: model.metricNames, panels: panels, steps: steps)
        try r.finish()
        // Refuse what cannot fit before anything is allocated (see `CostEstimate`).
        let cost = CostEstimate.of(model, metricsEvery: every)
        if cost.bytes > CostEstimate.maxBytes {
            throw SceneError(file: file, key: nil, message: "this scene needs about \(CostEstimate.bytesText(cost.bytes)) of memory by its sizes, more than the limit of \(CostEstimate.bytesText(CostEstimate.maxBytes)) (make layers, batches or networks smaller)")
        }
        let name = baseName(file)
        var spec = SceneSpec(file: file, name: name, title: title, description: description, seed: UInt64(seed),
                             steps: steps, metricsEvery: every, model: model, panels: panels, notes: notes)
        spec.speed = speed
        spec.tour = tour
        spec.keys = settableKeys(table, model: model)
        return spec
    }

    /// The dotted paths of a scene table's values (tables flattened, `[[panel]]` and the
    /// descriptive keys left out) and `rule.KEY` for every parameter of the scene's rules,
    /// without repeats, in file order.
    static func settableKeys(_ table: SceneTable, model: any SceneModel) -> [String] {
        var out: [String] = []
        func walk(_ t: SceneTable, prefix: String) {
            for k in t.keys {
                let path = prefix.isEmpty ? k : prefix + "." + k
                switch t[k] {
                case .table(let sub)?: walk(sub, prefix: path)
                case .array(let items)? where items.contains(where: { if case .table = $0 { true } else { false } }): continue
                case nil: continue
                default:
                    if prefix.isEmpty && ["title", "description", "model"].contains(k) { continue }
                    out.append(path)
                }
            }
        }
        walk(table, prefix: "")
        for r in model.ruleSummaries {
            for p in r.parameters { out.append("rule." + p.parameter.key) }
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// One `[[panel]]`; nil when every metric it charts is one this configuration does not
    /// produce (another task's metric): such metrics are dropped with a note in `notes`.
    static func decodePanel(_ p: inout SceneReader, model: any SceneModel, notes: inout [String]) throws(SceneError) -> PanelSpec? {
        let row = try p.integer("row", in: 0...9, default: 0)
        let weight = try p.integer("weight", in: 1...12, default: 1)
        let content: PanelSpec.Content
        let given = ["chart", "view", "teaching", "sparklines"].filter { p.has($0) }
        guard given.count == 1 else {
            throw SceneError(file: p.file, key: p.path, message: "expected exactly one of chart, view, teaching, sparklines; got \(given.isEmpty ? "none" : given.joined(separator: ", "))")
        }
        var title = ""
        switch given[0] {
        case "chart":
            let ms = try producedMetrics(&p, key: "chart", model: model, notes: &notes)
            if ms.isEmpty { return nil }
            let logY = try p.bool("log_y", default: false)
            var range: ClosedRange<Double>?
            if p.has("y_min") || p.has("y_max") {
                let lo = try p.number("y_min", in: .closed(-1e12, 1e12))
                let hi = try p.number("y_max", in: .closed(-1e12, 1e12))
                guard hi > lo else { throw p.error("y_max", "expected y_max > y_min, got \(hi) <= \(lo)") }
                range = lo...hi
            }
            content = .chart(metrics: ms, logY: logY, range: range)
            title = ms.joined(separator: ", ")
        case "view":
            let v = try p.string("view", oneOf: model.viewNames)
            content = .view(v)
            title = v
        case "sparklines":
            let ms = try producedMetrics(&p, key: "sparklines", model: model, notes: &notes)
            if ms.isEmpty { return nil }
            content = .sparklines(ms)
            title = "metrics"
        default:
            // `teaching = false` would otherwise still add the panel: leaving it out is the way.
            guard try p.bool("teaching") else {
                throw p.error("teaching", "expected true (to go without the teaching panel, leave this [[panel]] out), got false")
            }
            content = .teaching
            title = "about"
        }
        title = try p.string("title", default: title)
        try p.finish()
        return PanelSpec(title: title, content: content, weight: weight, row: row)
    }

    /// The metrics a panel's `key` lists that this configuration produces. A metric of the
    /// model kind that the current task does not produce is dropped with a note; any other
    /// name is an error (with the nearest known name).
    static func producedMetrics(_ p: inout SceneReader, key: String, model: any SceneModel, notes: inout [String]) throws(SceneError) -> [String] {
        let produced = model.metricNames
        let other = type(of: model).metricCatalog.map(\.name).filter { !produced.contains($0) }
        var kept: [String] = []
        for m in try p.strings(key) {
            if produced.contains(m) {
                kept.append(m)
            } else if !other.contains(m) {
                var msg = "unknown value \"\(m)\""
                if let near = Suggest.closest(to: m, in: produced + other) { msg += ", did you mean \"\(near)\"?" }
                throw p.error(key, msg + " (one of: \(produced.joined(separator: ", ")))")
            } else {
                notes.append("\(p.file): \(p.keyPath(key)): metric \(m) is not produced by this configuration (its task); dropped from the panel")
            }
        }
        return kept
    }

    /// Panels for a scene that declares none: its first two views in row 0, then a chart of
    /// its first three metrics and the teaching panel in row 1.
    static func defaultPanels(_ model: any SceneModel) -> [PanelSpec] {
        var out = model.viewNames.prefix(2).map { PanelSpec(title: $0, content: .view($0), row: 0) }
        out.append(PanelSpec(title: "metrics", content: .chart(metrics: Array(model.metricNames.prefix(3)), logY: false, range: nil), row: 1))
        out.append(PanelSpec(title: "about", content: .teaching, row: 1))
        return out
    }

    /// The scene name of a path: file name without `.toml`.
    public static func baseName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".toml") { name.removeLast(5) }
        return name
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
