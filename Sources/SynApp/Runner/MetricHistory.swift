/// The whole metric series of a run at bounded memory: recent rows at full resolution, older
/// rows averaged pairwise into coarser levels (multi-resolution decimation).
///
/// Level 0 holds the newest `levelCapacity` rows as measured. When it overflows, its two oldest
/// rows are averaged into one row appended to level 1 (which holds only older rows, so order is
/// kept), and so on up to `maxLevels`; the coarsest level halves itself when full. Memory is at
/// most `levelCapacity * maxLevels` rows whatever the run length, and a chart of `points` always
/// spans step 0 to now.
public struct MetricHistory: Sendable, Equatable {
    /// Number of values per row (the metric count).
    public let columns: Int
    /// Rows kept per level.
    public let levelCapacity: Int
    /// Number of levels (the last one coarsens itself when full).
    public let maxLevels: Int
    /// Rows appended since the start (before any decimation).
    public private(set) var totalRows: Int = 0
    /// The newest row as measured, if any.
    public private(set) var latest: [Double]?
    /// Step of the newest row.
    public private(set) var latestStep: Int?

    /// One resolution level: rows oldest first, values row-major.
    struct Level: Sendable, Equatable {
        var steps: [Double] = []
        var values: [Double] = []
        var count: Int { steps.count }
    }

    /// Levels, finest (newest rows) first.
    private(set) var levels: [Level]

    public init(columns: Int, levelCapacity: Int = 512, maxLevels: Int = 8) {
        self.columns = max(0, columns)
        self.levelCapacity = max(4, levelCapacity)
        self.maxLevels = max(1, maxLevels)
        self.levels = [Level()]
    }

    /// Rows currently retained (all levels).
    public var count: Int { levels.reduce(0) { $0 + $1.count } }

    /// Appends one measured row; `values.count` must equal `columns` (extra values are dropped,
    /// missing ones read as NaN).
    public mutating func append(step: Int, values: [Double]) {
        var row = [Double](repeating: .nan, count: columns)
        for i in 0..<min(columns, values.count) { row[i] = values[i] }
        latest = row
        latestStep = step
        totalRows += 1
        levels[0].steps.append(Double(step))
        levels[0].values.append(contentsOf: row)
        var k = 0
        while k < levels.count, levels[k].count > levelCapacity {
            if k == maxLevels - 1 {
                halve(level: k)
                break
            }
            if k + 1 == levels.count { levels.append(Level()) }
            // Average the two oldest rows of level k into one new row of level k+1.
            let c = columns
            let s = (levels[k].steps[0] + levels[k].steps[1]) / 2
            var merged = [Double](repeating: 0, count: c)
            for j in 0..<c { merged[j] = (levels[k].values[j] + levels[k].values[c + j]) / 2 }
            levels[k].steps.removeFirst(2)
            levels[k].values.removeFirst(2 * c)
            levels[k + 1].steps.append(s)
            levels[k + 1].values.append(contentsOf: merged)
            k += 1
        }
    }

    /// Averages neighbouring rows of a level pairwise (an odd last row is kept as is).
    private mutating func halve(level k: Int) {
        let c = columns
        let old = levels[k]
        var out = Level()
        var i = 0
        while i + 1 < old.count {
            out.steps.append((old.steps[i] + old.steps[i + 1]) / 2)
            for j in 0..<c { out.values.append((old.values[i * c + j] + old.values[(i + 1) * c + j]) / 2) }
            i += 2
        }
        if i < old.count {
            out.steps.append(old.steps[i])
            out.values.append(contentsOf: old.values[(i * c)..<((i + 1) * c)])
        }
        levels[k] = out
    }

    /// The retained series of one metric, oldest first, as (step, value) pairs.
    public func points(metric j: Int) -> [(step: Double, value: Double)] {
        guard j >= 0, j < columns else { return [] }
        var out: [(step: Double, value: Double)] = []
        out.reserveCapacity(count)
        for level in levels.reversed() {
            for i in 0..<level.count { out.append((level.steps[i], level.values[i * columns + j])) }
        }
        return out
    }

    /// The retained values of one metric, oldest first.
    public func values(metric j: Int) -> [Double] { points(metric: j).map(\.value) }

    /// The last `n` retained values of one metric (for sparklines), oldest first.
    public func recent(metric j: Int, count n: Int) -> [Double] {
        guard j >= 0, j < columns, n > 0 else { return [] }
        var out: [Double] = []
        for level in levels where out.count < n {
            var i = level.count - 1
            while i >= 0, out.count < n {
                out.append(level.values[i * columns + j])
                i -= 1
            }
        }
        return out.reversed()
    }
}
