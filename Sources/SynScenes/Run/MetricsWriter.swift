import SynCore

/// Formats a metrics series as CSV or JSON Lines. Columns: `step`, `time`, `rule`, then the
/// scene's metrics in snake_case. Numbers use Swift's shortest round-trip form, so the same run
/// gives byte-identical files.
public enum MetricsFormat: String, Sendable, CaseIterable {
    case csv, jsonl

    /// The format implied by a file name (`.csv`, or `.jsonl`/`.ndjson`), nil otherwise.
    public init?(path: String) {
        if path.hasSuffix(".csv") { self = .csv } else if path.hasSuffix(".jsonl") || path.hasSuffix(".ndjson") { self = .jsonl } else { return nil }
    }
}

/// Renders and atomically writes a run's `MetricRow`s in a `MetricsFormat` (`synaptop run --out`).
public enum MetricsWriter {
    /// The whole file's text.
    public static func render(_ rows: [MetricRow], names: [String], format: MetricsFormat) -> String {
        var out = header(names: names, format: format)
        for r in rows { out += line(r, names: names, format: format) }
        return out
    }

    /// The text before the first row (the CSV header line; nothing for JSON Lines).
    public static func header(names: [String], format: MetricsFormat) -> String {
        format == .csv ? (["step", "time", "rule"] + names).joined(separator: ",") + "\n" : ""
    }

    /// One row's line, newline included.
    public static func line(_ r: MetricRow, names: [String], format: MetricsFormat) -> String {
        var out = ""
        switch format {
        case .csv:
            out += "\(r.step),\(num(r.time)),\(csvField(r.rule))"
            for v in r.values { out += "," + num(v) }
            out += "\n"
        case .jsonl:
            out += "{\"step\":\(r.step),\"time\":\(json(r.time)),\"rule\":\"\(jsonEscape(r.rule))\""
            for (n, v) in zip(names, r.values) { out += ",\"\(jsonEscape(n))\":\(json(v))" }
            out += "}\n"
        }
        return out
    }

    /// Writes the series atomically (temp file + rename).
    public static func write(_ rows: [MetricRow], names: [String], to path: String, format: MetricsFormat) throws(FileIOError) {
        try FileIO.writeAtomically(path, bytes: Array(render(rows, names: names, format: format).utf8))
    }

    static func num(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    static func json(_ x: Double) -> String { x.isFinite ? num(x) : "null" }

    static func csvField(_ s: String) -> String {
        s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingAll("\"", with: "\"\"") + "\"" : s
    }

    static func jsonEscape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where ch.value < 0x20:
                // Other control characters must be escaped too, or the line is not valid JSON.
                let hex = String(ch.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// Streams a run's rows to `path` as they are measured: into a temp file created up front
/// (so a bad `--out` fails before the run), renamed over `path` by `commit()`. Stale temp files
/// of dead processes next to `path` are removed first. Memory stays bounded however long the run.
public final class MetricsStream {
    public let path: String
    public let format: MetricsFormat
    public private(set) var names: [String] = []
    public private(set) var rowCount = 0
    private let file: FileIO.AtomicFile

    /// Creates the temp file (nothing written yet; `begin` writes the header).
    public init(path: String, format: MetricsFormat) throws(FileIOError) {
        FileIO.removeStaleTemps(for: path)
        self.path = path
        self.format = format
        file = try FileIO.AtomicFile(path)
    }

    /// Writes the header for the metric columns `names`.
    public func begin(names: [String]) throws(FileIOError) {
        self.names = names
        try file.write(MetricsWriter.header(names: names, format: format).utf8)
    }

    /// The temp file being written.
    public var tempPath: String { file.tempPath }

    public func append(_ rows: [MetricRow]) throws(FileIOError) {
        for r in rows { try file.write(MetricsWriter.line(r, names: names, format: format).utf8) }
        rowCount += rows.count
    }

    public func commit() throws(FileIOError) { try file.commit() }

    public func abandon() { file.abandon() }
}

extension String {
    func replacingAll(_ a: String, with b: String) -> String { split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b) }
}
