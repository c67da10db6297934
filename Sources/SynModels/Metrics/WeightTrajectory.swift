import SynCore

/// The path of a parameter vector during training, projected on its top two principal components
/// (PCA of the recorded snapshots about their mean). Curl descent (Ninou et al. 2025, science
/// page 3) shows a rotational component of the learning flow here: spirals and loops where
/// gradient descent heads straight into its minimum.
///
/// At most `capacity` snapshots are kept; when full, every second one is dropped and recording
/// continues at twice the stride, so the whole run stays covered at decreasing resolution. The
/// Gram matrix G_st = θ_s · θ_t is kept incrementally (P per pair), and PCA uses the centred Gram
/// matrix: with X = U S Vᵀ the coordinates of snapshot t are s_k U_tk, so the cost per record is
/// T P + T³ for T snapshots of P parameters, never P².
public struct WeightTrajectory: Sendable {
    public let capacity: Int
    /// What one `record` call stands for in the panel's label ("epoch", "measurement").
    public var unit: String
    /// Snapshots recorded (every `stride`-th call of `record`).
    public private(set) var snapshots: [[Float]] = []
    public private(set) var stride = 1
    /// Coordinates of the kept snapshots on PC 1 and PC 2 (oldest first).
    public private(set) var pc1: [Float] = []
    public private(set) var pc2: [Float] = []
    /// Share of the snapshots' variance on the two components (NaN with fewer than 2 snapshots).
    public private(set) var explained = Double.nan
    private var calls = 0
    private var gram: [Double] = []

    /// 64 snapshots, fewer (down to 8) for big networks so the snapshots stay under about 8 MB.
    public static func capacity(parameters p: Int) -> Int { max(8, min(64, 2_000_000 / max(1, p))) }

    /// PC 2 against PC 1, oldest snapshot first (the panel `weight_trajectory`).
    public var view: TracesView {
        let share = explained.isFinite ? " (\(Int((explained * 100).rounded())) % of variance)" : ""
        return TracesView(names: ["weights, every \(stride == 1 ? "" : "\(stride) ")\(unit)\(stride == 1 ? "" : "s")"], series: [pc2], unit: "PC2",
                          xs: [pc1], xLabel: "PC1" + share)
    }

    public init(capacity: Int = 64, unit: String = "measurement") {
        self.capacity = max(4, capacity)
        self.unit = unit
    }

    /// Offers one snapshot; it is kept when the call count is a multiple of the stride.
    public mutating func record(_ theta: [Float]) {
        defer { calls += 1 }
        guard calls % stride == 0 else { return }
        if snapshots.count == capacity { thin() }
        let t = snapshots.count
        var g = [Double](repeating: 0, count: (t + 1) * (t + 1))
        for i in 0..<t { for j in 0..<t { g[i * (t + 1) + j] = gram[i * t + j] } }
        for i in 0..<t {
            let d = Self.dot(snapshots[i], theta)
            g[i * (t + 1) + t] = d
            g[t * (t + 1) + i] = d
        }
        g[t * (t + 1) + t] = Self.dot(theta, theta)
        gram = g
        snapshots.append(theta)
        project()
    }

    /// Keeps snapshots 0, 2, 4, … and doubles the stride.
    private mutating func thin() {
        let t = snapshots.count
        let keep = Array(Swift.stride(from: 0, to: t, by: 2))
        var g = [Double](repeating: 0, count: keep.count * keep.count)
        for (a, i) in keep.enumerated() { for (b, j) in keep.enumerated() { g[a * keep.count + b] = gram[i * t + j] } }
        gram = g
        snapshots = keep.map { snapshots[$0] }
        stride *= 2
    }

    private static func dot(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var s = 0.0
        for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
        return s
    }

    /// Centres the Gram matrix (G_c = J G J, J = I − 11ᵀ/T) and takes its top two eigenpairs.
    private mutating func project() {
        let t = snapshots.count
        guard t >= 2 else { pc1 = [0]; pc2 = [0]; explained = .nan; return }
        let n = Double(t)
        var row = [Double](repeating: 0, count: t)
        for i in 0..<t { for j in 0..<t { row[i] += gram[i * t + j] / n } }
        let all = row.reduce(0, +) / n
        var c = [Double](repeating: 0, count: t * t)
        for i in 0..<t { for j in 0..<t { c[i * t + j] = gram[i * t + j] - row[i] - row[j] + all } }
        let (values, vectors) = SymmetricEigen.decompose(c, n: t)
        let total = values.reduce(0) { $0 + max(0, $1) }
        func coordinates(_ k: Int) -> [Float] {
            let s = max(0, values[k]).squareRoot()
            return (0..<t).map { Float(s * vectors[$0 * t + k]) }
        }
        pc1 = coordinates(0)
        pc2 = coordinates(1)
        explained = total > 0 ? (max(0, values[0]) + max(0, values[1])) / total : .nan
    }
}
