/// Streaming mean, variance, minimum and maximum in one pass (Welford's algorithm, which avoids
/// the cancellation of the sum-of-squares formula), mergeable across partial streams (Chan et al.).
///
/// ```swift
/// var s = RunningStats()
/// for x in rates { s.add(x) }
/// s.mean; s.variance; s.min; s.max
/// ```
public struct RunningStats: Sendable, Equatable {
    /// Number of values added.
    public private(set) var count: Int = 0
    /// Mean of the values (0 when empty).
    public private(set) var mean: Double = 0
    /// Sum of squared deviations from the mean, M2 = sum (x - mean)^2.
    public private(set) var m2: Double = 0
    /// Smallest value (+infinity when empty).
    public private(set) var min: Double = .infinity
    /// Largest value (-infinity when empty).
    public private(set) var max: Double = -.infinity

    public init() {}

    /// Adds one value. Update: delta = x - mean; mean += delta / n; M2 += delta (x - mean).
    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }

    /// Adds every value of `xs`.
    public mutating func add<S: Sequence>(contentsOf xs: S) where S.Element == Double {
        for x in xs { add(x) }
    }

    /// Unbiased sample variance M2 / (n - 1) (0 when n < 2).
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : 0 }

    /// Population variance M2 / n (0 when empty).
    public var populationVariance: Double { count > 0 ? m2 / Double(count) : 0 }

    /// Sample standard deviation sqrt(variance).
    public var standardDeviation: Double { variance.squareRoot() }

    /// Combines the statistics of two disjoint streams (as if all values had been added to one).
    public func merged(with other: RunningStats) -> RunningStats {
        if other.count == 0 { return self }
        if count == 0 { return other }
        var r = RunningStats()
        r.count = count + other.count
        let delta = other.mean - mean
        let n = Double(r.count)
        r.mean = mean + delta * Double(other.count) / n
        r.m2 = m2 + other.m2 + delta * delta * Double(count) * Double(other.count) / n
        r.min = Swift.min(min, other.min)
        r.max = Swift.max(max, other.max)
        return r
    }

    /// Forgets every value.
    public mutating func reset() { self = RunningStats() }
}
