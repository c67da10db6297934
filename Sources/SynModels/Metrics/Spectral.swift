import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NerVE spectral metrics of a layer's activity (Jha & Reagen, ICLR 2026, definitions as in the
/// authors' `nerve/metrics.py`), computed from the eigenvalues of the covariance of its
/// activations over a window of samples. Eigenvalues are clamped at `floor` = 1e-12 (which also
/// removes negative round-off) and sorted descending, lambda_1 >= ... >= lambda_D; the normalised
/// spectrum is p_i = lambda_i / sum_j lambda_j:
///
/// - spectral entropy SE = -sum_i p_i log(p_i + 1e-12), nats, in [0, log D] (log D flat, 0 one spike)
/// - participation ratio PR = (sum_i lambda_i)^2 / sum_i lambda_i^2, in [1, D] (D flat, 1 one spike)
/// - eigenvalue early enrichment EEE = clamp(sum_{k=1..D} (c_k - k/D) / (D/2), 0, 1), with the
///   cumulative explained variance c_k = sum_{i<=k} p_i: the area between the cumulative curve and
///   the diagonal over D/2. 0 for a flat spectrum, 1 - 1/D for a single spike.
/// - JS divergence between two spectra (pre- and post-activation of the same layer):
///   JS = KL(p || m)/2 + KL(q || m)/2 with m = (p + q)/2 and KL(p || q) = sum p log((p + 1e-12)/(q + 1e-12)),
///   nats, in [0, log 2]; 0 when the spectra have the same shape (as for a linear activation).
///
/// Any NaN eigenvalue (a diverged layer) makes every metric NaN. An empty spectrum gives 0.
public enum SpectralMetrics {
    /// The eigenvalue floor of the definitions (also the smoothing constant inside the logs).
    public static let floor = 1e-12

    /// lambda_i clamped at `floor`, sorted descending.
    public static func clamped(_ eigenvalues: [Double]) -> [Double] {
        eigenvalues.map { max($0, floor) }.sorted(by: >)
    }

    /// p_i = max(lambda_i, 1e-12) / sum_j max(lambda_j, 1e-12), sorted descending.
    public static func normalized(_ eigenvalues: [Double]) -> [Double] {
        if eigenvalues.contains(where: \.isNaN) { return eigenvalues.map { _ in .nan } }
        let l = clamped(eigenvalues)
        let s = l.reduce(0, +)
        return l.map { $0 / s }
    }

    /// Spectral entropy in nats.
    public static func spectralEntropy(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        var h = 0.0
        for p in normalized(eigenvalues) { h -= p * log(p + floor) }
        return max(0, h)
    }

    /// Participation ratio (sum lambda)^2 / sum lambda^2.
    public static func participationRatio(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        guard !eigenvalues.isEmpty else { return 0 }
        let l = clamped(eigenvalues)
        let s = l.reduce(0, +), s2 = l.reduce(0) { $0 + $1 * $1 }
        return s * s / s2
    }

    /// Eigenvalue early enrichment in [0, 1 - 1/D].
    public static func earlyEnrichment(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        let p = normalized(eigenvalues)
        let n = p.count
        guard n > 0 else { return 0 }
        var c = 0.0, area = 0.0
        for k in 1...n {
            c += p[k - 1]
            area += c - Double(k) / Double(n)
        }
        return min(1, max(0, area / (Double(n) / 2)))
    }

    /// Jensen-Shannon divergence (nats) between the normalised spectra `a` and `b`; the shorter
    /// is padded with floor-valued eigenvalues (zero variance).
    public static func jensenShannon(_ a: [Double], _ b: [Double]) -> Double {
        if a.contains(where: \.isNaN) || b.contains(where: \.isNaN) { return .nan }
        let n = max(a.count, b.count)
        guard n > 0 else { return 0 }
        let p = normalized(a + [Double](repeating: 0, count: n - a.count))
        let q = normalized(b + [Double](repeating: 0, count: n - b.count))
        var js = 0.0
        for i in 0..<n {
            let m = 0.5 * (p[i] + q[i])
            js += 0.5 * p[i] * log((p[i] + floor) / (m + floor))
            js += 0.5 * q[i] * log((q[i] + floor) / (m + floor))
        }
        return max(0, js)
    }

    /// Eigenvalues (descending) of the centred covariance of the rows of `samples`
    /// (count x features), using `SymmetricEigen`. A diverged layer (any non-finite activity)
    /// gives all-NaN eigenvalues, so every metric derived from them is NaN and the run is
    /// flagged as diverged instead of failing inside the eigen solver.
    public static func covarianceSpectrum(_ samples: Matrix) -> [Double] {
        guard samples.rows >= 2 else { return [Double](repeating: 0, count: samples.cols) }
        guard samples.storage.allSatisfy({ $0.isFinite }) else { return [Double](repeating: .nan, count: samples.cols) }
        return SymmetricEigen.eigenvalues(Covariance.covariance(of: samples, center: true))
    }
}

/// A fixed-size window of the most recent activity vectors of a layer (a ring buffer), for
/// spectral metrics over recent samples. Appending never allocates.
public struct ActivityWindow: Sendable {
    public let width: Int
    public let capacity: Int
    public private(set) var filled = 0
    private var next = 0
    private var data: [Float]

    public init(width: Int, capacity: Int) {
        precondition(width > 0 && capacity > 0)
        self.width = width
        self.capacity = capacity
        data = [Float](repeating: 0, count: width * capacity)
    }

    /// Records one activity vector (`width` values from `v`).
    public mutating func append(_ v: UnsafePointer<Float>) {
        let o = next * width
        data.withUnsafeMutableBufferPointer { b in
            guard let p = b.baseAddress else { return }
            (p + o).update(from: v, count: width)
        }
        next = (next + 1) % capacity
        filled = min(filled + 1, capacity)
    }

    /// The recorded vectors as rows (oldest first), `filled x width`.
    public func matrix() -> Matrix {
        var m = Matrix(rows: filled, cols: width)
        let start = filled < capacity ? 0 : next
        for r in 0..<filled {
            let src = ((start + r) % capacity) * width
            for c in 0..<width { m.storage[r * width + c] = data[src + c] }
        }
        return m
    }
}
