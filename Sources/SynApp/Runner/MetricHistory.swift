import SynCore
import SynScenes

/// The whole metric series of a run at bounded memory: one `MultiResolutionSeries` (SynCore)
/// per metric, with x = step. Recent rows are kept as measured; older ones are summarised into
/// coarser levels (count-weighted means with min/max envelopes), so a chart always spans step 0
/// to now at the finest resolution that fits its width.
///
/// Non-finite values are not stored in the series (a diverging run cannot poison the whole
/// chart); `latest` still holds the newest row exactly as measured.
public struct MetricHistory: Sendable {
    /// Number of values per row (the metric count).
    public let columns: Int
    /// Points kept per level of each series.
    public let levelCapacity: Int
    /// Rows appended since the start.
    public private(set) var totalRows: Int = 0
    /// Step of the first row appended (charts start their x axis here).
    public private(set) var firstStep: Int?
    /// The newest row as measured, if any.
    public private(set) var latest: [Double]?
    /// Step of the newest row.
    public private(set) var latestStep: Int?
    private var series: [MultiResolutionSeries]

    public init(columns: Int, levelCapacity: Int = 512) {
        self.columns = max(0, columns)
        self.levelCapacity = max(2, levelCapacity)
        series = (0..<self.columns).map { _ in MultiResolutionSeries(capacityPerLevel: max(2, levelCapacity)) }
    }

    /// Points stored over all series and levels (the memory footprint in points).
    public var storedPoints: Int { series.reduce(0) { $0 + $1.storedPoints } }

    /// Appends one measured row taken at `step` (steps must not decrease); extra values are
    /// dropped, missing ones read as NaN.
    public mutating func append(step: Int, values: [Double]) {
        var row = [Double](repeating: .nan, count: columns)
        for i in 0..<min(columns, values.count) { row[i] = values[i] }
        latest = row
        latestStep = step
        if firstStep == nil { firstStep = step }
        totalRows += 1
        for j in 0..<columns { series[j].append(row[j], at: Double(step)) }
    }

    /// The whole history of metric `j` in at most `maxCount` points, oldest first (see
    /// `MultiResolutionSeries.points(maxCount:)`); raw rows while they fit.
    public func points(metric j: Int, maxCount: Int = .max) -> [SeriesPoint] {
        guard j >= 0, j < columns else { return [] }
        return series[j].points(maxCount: maxCount)
    }

    /// The mean values of `points(metric:maxCount:)`.
    public func values(metric j: Int, maxCount: Int = .max) -> [Double] {
        points(metric: j, maxCount: maxCount).map(\.yMean)
    }

    /// The last `n` finite values of metric `j` as measured (for sparklines), oldest first.
    public func recent(metric j: Int, count n: Int) -> [Double] {
        guard j >= 0, j < columns, n > 0 else { return [] }
        return series[j].recent.suffix(n).map(\.yMean)
    }

    /// The last `n` finite points of metric `j` as measured (x = step), oldest first: the raw
    /// rows a chart's last-N-steps window draws.
    public func recentPoints(metric j: Int, count n: Int) -> [SeriesPoint] {
        guard j >= 0, j < columns, n > 0 else { return [] }
        return Array(series[j].recent.suffix(n))
    }

    /// Non-finite values of metric `j` left out of its series.
    public func skippedNonFinite(metric j: Int) -> Int {
        j >= 0 && j < columns ? series[j].skippedNonFinite : 0
    }
}

extension MetricHistory {
    /// A history of `session`'s metrics that starts with a row measured now (the step-0 row
    /// of a fresh session, as `synaptop run` writes it).
    public static func starting(with session: inout SceneSession) -> MetricHistory {
        var history = MetricHistory(columns: session.metricNames.count)
        history.append(session.measureRow())
        return history
    }

    /// Appends one row measured by `SceneSession`.
    public mutating func append(_ row: MetricRow) {
        append(step: row.step, values: row.values)
    }

    /// Appends the rows of one `SceneSession.advance` call, in order.
    public mutating func append(_ rows: [MetricRow]) {
        for row in rows { append(step: row.step, values: row.values) }
    }
}
