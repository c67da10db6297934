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
    /// Step of the first row appended (charts start their x axis here).
    public private(set) var firstStep: Int?
    /// The newest row as measured, if any.
    public private(set) var latest: [Double]?
    /// Step of the newest row.
    public private(set) var latestStep: Int?

    /// One resolution level: rows oldest first, values row-major; `weights[i]` is how many
    /// measured rows row i averages (merges are weighted so means stay unbiased).
    struct Level: Sendable, Equatable {
        var steps: [Double] = []
        var weights: [Double] = []
        var values: [Double] = []
        var count: Int { steps.count }
    }

    /// Levels, finest (newest rows) first.
    private(set) var levels: [Level]
    /// Measured rows per row of the coarsest level (doubles each time it halves).
    private var topStride: Double

    public init(columns: Int, levelCapacity: Int = 512, maxLevels: Int = 8) {
        self.columns = max(0, columns)
        self.levelCapacity = max(4, levelCapacity)
        self.maxLevels = max(1, maxLevels)
        self.levels = [Level()]
        var stride = 1.0
        for _ in 0..<(self.maxLevels - 1) { stride *= 2 }
        topStride = stride
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
        if firstStep == nil { firstStep = step }
        totalRows += 1
        levels[0].steps.append(Double(step))
        levels[0].weights.append(1)
        levels[0].values.append(contentsOf: row)
        var k = 0
        while k < levels.count, levels[k].count > levelCapacity {
            if k == maxLevels - 1 {
                halve(level: k)
                topStride *= 2
                break
            }
            if k + 1 == levels.count { levels.append(Level()) }
            // Average the two oldest rows of level k into one new row of level k+1.
            let (st, w, v) = Self.merge(levels[k], 0, 1, columns: columns)
            levels[k].steps.removeFirst(2)
            levels[k].weights.removeFirst(2)
            levels[k].values.removeFirst(2 * columns)
            if k + 1 == maxLevels - 1, let last = levels[k + 1].weights.last, last < topStride {
                // The coarsest level fills its last row up to its stride before starting another,
                // so its rows stay equally wide.
                var top = levels[k + 1]
                let i = top.count - 1
                let wt = last + w
                top.steps[i] = (top.steps[i] * last + st * w) / wt
                for j in 0..<columns { top.values[i * columns + j] = (top.values[i * columns + j] * last + v[j] * w) / wt }
                top.weights[i] = wt
                levels[k + 1] = top
            } else {
                levels[k + 1].steps.append(st)
                levels[k + 1].weights.append(w)
                levels[k + 1].values.append(contentsOf: v)
            }
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
            let (st, w, v) = Self.merge(old, i, i + 1, columns: c)
            out.steps.append(st)
            out.weights.append(w)
            out.values.append(contentsOf: v)
            i += 2
        }
        if i < old.count {
            out.steps.append(old.steps[i])
            out.weights.append(old.weights[i])
            out.values.append(contentsOf: old.values[(i * c)..<((i + 1) * c)])
        }
        levels[k] = out
    }

    /// The weighted mean of rows `a` and `b` of a level: (step, weight, values).
    private static func merge(_ l: Level, _ a: Int, _ b: Int, columns c: Int) -> (Double, Double, [Double]) {
        let wa = l.weights[a], wb = l.weights[b], w = wa + wb
        let step = (l.steps[a] * wa + l.steps[b] * wb) / w
        var v = [Double](repeating: 0, count: c)
        for j in 0..<c { v[j] = (l.values[a * c + j] * wa + l.values[b * c + j] * wb) / w }
        return (step, w, v)
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
