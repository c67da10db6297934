/// Two-sided 95% critical values of Student's t distribution, t(0.975; dof): exact to four
/// digits for 1-30, 40, 60 and 120 degrees of freedom (scipy.stats.t.ppf), linear in 1/dof in
/// between (within 1e-3 of the exact value), 1.96 (the normal) beyond 120.
public enum StudentT {
    static let table: [(dof: Int, t: Double)] = [
        (1, 12.7062), (2, 4.3027), (3, 3.1824), (4, 2.7764), (5, 2.5706), (6, 2.4469), (7, 2.3646), (8, 2.3060),
        (9, 2.2622), (10, 2.2281), (11, 2.2010), (12, 2.1788), (13, 2.1604), (14, 2.1448), (15, 2.1314),
        (16, 2.1199), (17, 2.1098), (18, 2.1009), (19, 2.0930), (20, 2.0860), (21, 2.0796), (22, 2.0739),
        (23, 2.0687), (24, 2.0639), (25, 2.0595), (26, 2.0555), (27, 2.0518), (28, 2.0484), (29, 2.0452),
        (30, 2.0423), (40, 2.0211), (60, 2.0003), (120, 1.9799),
    ]
    static let normal = 1.95996

    /// t(0.975; dof) for dof >= 1; NaN for dof < 1.
    public static func critical95(dof: Int) -> Double {
        guard dof >= 1 else { return .nan }
        var previous = (dof: Int.max, t: normal)  // 1/inf = 0
        for entry in table.reversed() {
            if entry.dof == dof { return entry.t }
            if entry.dof < dof {
                // Between entry (smaller dof) and previous (larger dof, or infinity): linear in 1/dof.
                let a = 1 / Double(entry.dof), b = previous.dof == Int.max ? 0 : 1 / Double(previous.dof)
                let f = (a - 1 / Double(dof)) / (a - b)
                return entry.t + f * (previous.t - entry.t)
            }
            previous = entry
        }
        return table[0].t
    }
}

/// The mean of a sample and its 95% confidence interval under Student's t with n - 1 degrees
/// of freedom: mean ± t(0.975; n-1) · s / √n, s the sample standard deviation (n - 1 in the
/// denominator). One value has a mean but no interval.
public struct SeedStatistics: Sendable, Equatable {
    public var n: Int
    public var mean: Double
    /// Sample standard deviation (NaN for n < 2).
    public var sd: Double
    /// Half the interval's width (NaN for n < 2).
    public var halfWidth: Double

    public var lower: Double { mean - halfWidth }
    public var upper: Double { mean + halfWidth }

    /// Nil for an empty sample. Two passes (mean, then squared deviations) for accuracy.
    public init?(_ values: [Double]) {
        guard !values.isEmpty else { return nil }
        n = values.count
        mean = values.reduce(0, +) / Double(n)
        guard n >= 2 else {
            sd = .nan
            halfWidth = .nan
            return
        }
        let m = mean
        let ss = values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        sd = (ss / Double(n - 1)).squareRoot()
        halfWidth = StudentT.critical95(dof: n - 1) * sd / Double(n).squareRoot()
    }
}
