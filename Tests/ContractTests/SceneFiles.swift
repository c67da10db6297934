import Foundation
import SynCore
import SynModels
import SynScenes

/// The scene files under test: whatever `scenes/*.toml` holds when the tests run. There is no
/// list to keep: a new scene file is held to every contract the moment it exists.
enum SceneFiles {
    /// The package root, found from this file's path (tests never depend on the working directory).
    static let root: String = {
        let path = #filePath
        guard let r = path.range(of: "/Tests/ContractTests/") else { return "." }
        return String(path[..<r.lowerBound])
    }()

    /// File names (e.g. `cuba.toml`) of every scene in `scenes/`, sorted.
    static func all() -> [String] {
        FileIO.list("\(root)/scenes").filter { $0.hasSuffix(".toml") }.sorted()
    }

    static func path(_ file: String) -> String { "\(root)/scenes/\(file)" }

    /// Metrics are measured at most this many steps apart in the contract runs, so every run
    /// has a few rows within a small number of steps. One generic override for every scene
    /// (`metrics.every`, the `--set` key); a scene with a finer cadence keeps its own.
    static let maxMetricsEvery = 50

    /// The scene as shipped (contract 1 loads it exactly like this).
    static func loadAsShipped(_ file: String) throws -> SceneSpec {
        try SceneLoader.load(path: path(file))
    }

    /// The scene with the uniform contract cadence: `metrics.every = min(own, maxMetricsEvery)`.
    static func load(_ file: String) throws -> SceneSpec {
        let spec = try loadAsShipped(file)
        guard spec.metricsEvery > maxMetricsEvery else { return spec }
        return try SceneLoader.load(path: path(file), overrides: ["metrics.every=\(maxMetricsEvery)"])
    }
}

/// Bit-exact equality of two series (NaN equals NaN with the same payload).
func bitEqual(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

func bitEqual(_ a: [Float], _ b: [Float]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
}

/// Bit-exact equality of two metric series: same steps, times, rules and value bits.
func sameRows(_ a: [MetricRow], _ b: [MetricRow]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy {
        $0.step == $1.step && $0.time.bitPattern == $1.time.bitPattern && $0.rule == $1.rule && bitEqual($0.values, $1.values)
    }
}

/// The first row that differs, for failure messages.
func firstDifference(_ a: [MetricRow], _ b: [MetricRow]) -> String {
    if a.count != b.count { return "\(a.count) rows vs \(b.count) rows" }
    guard let i = a.indices.first(where: { !sameRows([a[$0]], [b[$0]]) }) else { return "no difference" }
    return "row \(i): step \(a[i].step) \(a[i].rule) \(a[i].values) vs step \(b[i].step) \(b[i].rule) \(b[i].values)"
}

/// The non-finite metrics of `rows`, as "name@step" (empty when all are finite), except NaN in a
/// metric declared `mayBeUndefined` (in `undefined`): that says "undefined here", not "diverged".
func nonFinite(_ rows: [MetricRow], names: [String], undefined: Set<String> = []) -> [String] {
    func allowed(_ i: Int, _ v: Double) -> Bool { v.isNaN && names.indices.contains(i) && undefined.contains(names[i]) }
    return rows.flatMap { row in
        row.values.indices.filter { !row.values[$0].isFinite && !allowed($0, row.values[$0]) }.map {
            "\(names.indices.contains($0) ? names[$0] : "metric \($0)")=\(row.values[$0])@\(row.step)"
        }
    }
}

/// Terminal columns a cell's character takes: 1 for the narrow characters a cell may hold,
/// 2 for East Asian wide and emoji characters, 0 for a lone combining mark. A frame fits its
/// width only when every cell's character takes exactly one column.
func terminalColumns(_ ch: Character) -> Int {
    let scalars = ch.unicodeScalars
    guard let first = scalars.first else { return 0 }
    // Variation selector 16 turns a symbol into a wide emoji; joiners build wide sequences.
    if scalars.contains(where: { $0.value == 0xFE0F || $0.value == 0x200D }) { return 2 }
    let v = first.value
    if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark { return 0 }
    let wide: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
    ]
    return wide.contains { $0.contains(v) } ? 2 : 1
}

/// Box-drawing (U+2500-257F), block (U+2580-259F) and braille (U+2800-28FF) characters: what
/// `--ascii` promises not to draw.
func isGraphicGlyph(_ ch: Character) -> Bool {
    ch.unicodeScalars.contains { (0x2500...0x259F).contains($0.value) || (0x2800...0x28FF).contains($0.value) }
}
