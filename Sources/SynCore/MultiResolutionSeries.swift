/// One plotted point of a `MultiResolutionSeries`: the summary of `count` consecutive raw
/// samples (x from `xFirst` to `xLast`, y between `yMin` and `yMax` with mean `yMean`).
/// A chart draws a vertical bar yMin...yMax (the envelope) and/or a line through yMean at `x`.
public struct SeriesPoint: Sendable, Equatable {
    /// Mean x of the samples (the bucket centre for evenly spaced x).
    public var x: Double
    public var xFirst: Double
    public var xLast: Double
    public var yMin: Double
    public var yMax: Double
    public var yMean: Double
    /// Number of raw samples summarised.
    public var count: Int

    /// A single raw sample.
    public init(x: Double, y: Double) {
        self.x = x
        xFirst = x
        xLast = x
        yMin = y
        yMax = y
        yMean = y
        count = 1
    }

    /// The summary of `a` followed by `b` (count-weighted means, envelope of the extremes).
    public func merged(with b: SeriesPoint) -> SeriesPoint {
        var r = self
        let n = Double(count + b.count)
        r.x = (x * Double(count) + b.x * Double(b.count)) / n
        r.yMean = (yMean * Double(count) + b.yMean * Double(b.count)) / n
        r.xLast = b.xLast
        r.yMin = Swift.min(yMin, b.yMin)
        r.yMax = Swift.max(yMax, b.yMax)
        r.count = count + b.count
        return r
    }
}

/// A bounded-memory time series that keeps the whole history for charts.
///
/// Level 0 keeps the newest `capacityPerLevel` raw samples. Every time level L completes a pair
/// of consecutive points, their merge (min of mins, max of maxes, count-weighted mean) is appended
/// to level L + 1, so a level-L point summarises 2^L raw samples and level L spans the newest
/// `capacityPerLevel * 2^L` samples. Memory is `capacityPerLevel` points per level and at most
/// `maxLevels` levels: about capacityPerLevel * log2(samples / capacityPerLevel) points overall.
/// Appending is amortised O(1) (a binary-counter carry).
///
/// ```swift
/// var loss = MultiResolutionSeries(capacityPerLevel: 512)
/// loss.append(0.93, at: 1)            // x = step or time
/// let pts = loss.points(maxCount: 120) // whole history, <= 120 points, for a 120-column chart
/// ```
/// Non-finite y values are not stored (they are counted in `skippedNonFinite`), so a diverging
/// run cannot poison the envelope of the whole history.
public struct MultiResolutionSeries: Sendable {
    /// Points kept per level.
    public let capacityPerLevel: Int
    /// Upper bound on the number of levels (2^47 samples at capacity 1 before anything is lost).
    public static let maxLevels = 48

    var levels: [RingBuffer<SeriesPoint>] = []
    /// The first point of an incomplete pair at each level (older than everything finer).
    var pending: [SeriesPoint?] = []
    /// Raw samples stored so far.
    public private(set) var count: Int = 0
    /// Non-finite y values ignored so far.
    public private(set) var skippedNonFinite: Int = 0
    /// x of the last stored sample.
    public private(set) var lastX: Double = -.infinity

    /// An empty series keeping `capacityPerLevel` (>= 2) points per level.
    public init(capacityPerLevel: Int = 512) {
        precondition(capacityPerLevel >= 2, "MultiResolutionSeries needs at least 2 points per level, got \(capacityPerLevel)")
        self.capacityPerLevel = capacityPerLevel
    }

    /// Appends sample (x, y). x must not decrease (charts assume ordered x).
    public mutating func append(_ y: Double, at x: Double) {
        precondition(!(x < lastX), "MultiResolutionSeries: x \(x) is before the previous x \(lastX)")
        guard y.isFinite else {
            skippedNonFinite += 1
            return
        }
        lastX = x
        count += 1
        push(SeriesPoint(x: x, y: y), level: 0)
    }

    /// Appends y at x = number of samples stored so far (0, 1, 2, ...).
    public mutating func append(_ y: Double) { append(y, at: Double(count)) }

    mutating func push(_ p: SeriesPoint, level: Int) {
        var point = p
        var l = level
        while true {
            if levels.count == l {
                levels.append(RingBuffer(capacity: capacityPerLevel))
                pending.append(nil)
            }
            levels[l].append(point)
            guard l + 1 < Self.maxLevels else { return }
            if let first = pending[l] {
                pending[l] = nil
                point = first.merged(with: point)
                l += 1
            } else {
                pending[l] = point
                return
            }
        }
    }

    /// Number of levels in use.
    public var levelCount: Int { levels.count }

    /// Points stored over all levels (the memory footprint in points).
    public var storedPoints: Int { levels.reduce(0) { $0 + $1.count } }

    /// The newest raw samples (up to `capacityPerLevel`), oldest first.
    public var recent: RingBuffer<SeriesPoint> { levels.first ?? RingBuffer(capacity: capacityPerLevel) }

    /// At most `maxCount` points covering the whole history, oldest first, at the finest
    /// resolution that fits: the finest level that still holds its whole history and has at most
    /// `maxCount` points, followed by one partial point for the newest samples not yet merged into
    /// that level. When even the coarsest level has too many, consecutive points are merged in
    /// equal groups. Every stored sample is counted exactly once in the result (the counts add up
    /// to `count`) unless the history exceeds capacityPerLevel * 2^(maxLevels - 1) samples.
    public func points(maxCount: Int) -> [SeriesPoint] {
        guard maxCount > 0, count > 0 else { return [] }
        var chosen = -1
        var coarsestComplete = -1
        for l in 0..<levels.count where levels[l].totalAppended <= capacityPerLevel {
            coarsestComplete = l
            if levels[l].count + (partial(below: l) == nil ? 0 : 1) <= maxCount {
                chosen = l
                break
            }
        }
        let level = chosen >= 0 ? chosen : (coarsestComplete >= 0 ? coarsestComplete : levels.count - 1)
        var pts = Array(levels[level])
        if let tail = partial(below: level) { pts.append(tail) }
        guard pts.count > maxCount else { return pts }
        // Merge equal groups of consecutive points.
        let group = (pts.count + maxCount - 1) / maxCount
        var out: [SeriesPoint] = []
        out.reserveCapacity(maxCount)
        var i = 0
        while i < pts.count {
            var p = pts[i]
            var j = i + 1
            while j < min(i + group, pts.count) {
                p = p.merged(with: pts[j])
                j += 1
            }
            out.append(p)
            i += group
        }
        return out
    }

    /// The merge of the pending points of levels below `level`, oldest (highest level) first:
    /// exactly the samples not yet represented at `level`. Nil when there are none.
    func partial(below level: Int) -> SeriesPoint? {
        var acc: SeriesPoint?
        var l = level - 1
        while l >= 0 {
            if let p = pending[l] { acc = acc.map { $0.merged(with: p) } ?? p }
            l -= 1
        }
        return acc
    }

    /// Forgets the history.
    public mutating func removeAll() {
        levels = []
        pending = []
        count = 0
        skippedNonFinite = 0
        lastX = -.infinity
    }

    /// Checks the structure; returns a description of each violation (empty = OK). For tests.
    func verifyInvariants() -> [String] {
        var problems: [String] = []
        if levels.count != pending.count { problems.append("levels \(levels.count) != pending \(pending.count)") }
        if levels.count > Self.maxLevels { problems.append("\(levels.count) levels exceed \(Self.maxLevels)") }
        for (l, buffer) in levels.enumerated() {
            problems += buffer.verifyInvariants().map { "level \(l): \($0)" }
            if buffer.count > capacityPerLevel { problems.append("level \(l) holds \(buffer.count) > \(capacityPerLevel)") }
            // Each point at level l summarises 2^l samples; pushes at l = carries out of l - 1.
            for p in buffer where p.count != 1 << l { problems.append("level \(l) point has count \(p.count), expected \(1 << l)") }
            for i in 1..<Swift.max(buffer.count, 1) where buffer[i].xFirst < buffer[i - 1].xLast {
                problems.append("level \(l) x not ordered at \(i)")
            }
            for p in buffer where !(p.yMin <= p.yMean && p.yMean <= p.yMax) || p.xFirst > p.xLast {
                problems.append("level \(l) point \(p) is inconsistent")
            }
            // Binary counter: samples = 2^l * pushes(l) + samples pending below l.
            let below = partial(below: l)?.count ?? 0
            if l + 1 < Self.maxLevels && buffer.totalAppended * (1 << l) + below != count {
                problems.append("level \(l): \(buffer.totalAppended) pushes x 2^\(l) + \(below) pending != \(count) samples")
            }
            if let p = pending[l], p.count != 1 << l { problems.append("pending \(l) has count \(p.count)") }
        }
        return problems
    }
}
