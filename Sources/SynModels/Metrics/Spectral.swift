import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NerVE-style spectral metrics of a layer's activity, computed from the eigenvalues lambda_i
/// of the covariance of its activations over a window of samples. With p_i = lambda_i / sum_j
/// lambda_j (negative round-off eigenvalues are clipped to 0):
///
/// - spectral entropy SE = -sum_i p_i log p_i (nats; log n for a flat spectrum, 0 for one spike)
/// - participation ratio PR = (sum_i lambda_i)^2 / sum_i lambda_i^2 (n flat, 1 one spike)
/// - eigenvalue early enrichment EEE: with eigenvalues sorted descending and cumulative explained
///   variance c_k = sum_{i<=k} p_i, EEE = sum_k (c_k - k/n) / sum_k (1 - k/n), the area between
///   the cumulative curve and the diagonal normalised by its maximum (one spike): 0 for a flat
///   spectrum, 1 for a single spike
/// - JS divergence between two spectra (e.g. pre- and post-activation of the same layer), the
///   Jensen-Shannon divergence of their p distributions (both sorted descending), in nats,
///   in [0, log 2]; 0 when the spectra have the same shape (as for a linear activation).
///
/// Any NaN eigenvalue (a diverged layer) makes every metric NaN.
///
/// After "NerVE" spectral diagnostics of hidden-layer representations; PR as in Gao et al. 2017.
public enum SpectralMetrics {
    /// p_i = max(lambda_i, 0) / sum, sorted descending (all zeros for an all-zero spectrum).
    public static func normalized(_ eigenvalues: [Double]) -> [Double] {
        if eigenvalues.contains(where: \.isNaN) { return eigenvalues.map { _ in .nan } }
        let l = eigenvalues.map { max($0, 0) }.sorted(by: >)
        let s = l.reduce(0, +)
        guard s > 0 else { return l.map { _ in 0 } }
        return l.map { $0 / s }
    }

    /// Spectral entropy in nats.
    public static func spectralEntropy(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        var h = 0.0
        for p in normalized(eigenvalues) where p > 0 { h -= p * log(p) }
        return h
    }

    /// Participation ratio (sum lambda)^2 / sum lambda^2 (0 for an all-zero spectrum).
    public static func participationRatio(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        let l = eigenvalues.map { max($0, 0) }
        let s = l.reduce(0, +), s2 = l.reduce(0) { $0 + $1 * $1 }
        return s2 > 0 ? s * s / s2 : 0
    }

    /// Eigenvalue early enrichment in [0, 1] (0 for n < 2 or an all-zero spectrum).
    public static func earlyEnrichment(_ eigenvalues: [Double]) -> Double {
        if eigenvalues.contains(where: \.isNaN) { return .nan }
        let p = normalized(eigenvalues)
        let n = p.count
        guard n >= 2, p.contains(where: { $0 > 0 }) else { return 0 }
        var c = 0.0, area = 0.0, maxArea = 0.0
        for k in 1...n {
            c += p[k - 1]
            let diag = Double(k) / Double(n)
            area += c - diag
            maxArea += 1 - diag
        }
        return min(1, max(0, area / maxArea))
    }

    /// Jensen-Shannon divergence (nats) between the normalised spectra `a` and `b`; the shorter
    /// is padded with zeros.
    public static func jensenShannon(_ a: [Double], _ b: [Double]) -> Double {
        if a.contains(where: \.isNaN) || b.contains(where: \.isNaN) { return .nan }
        var p = normalized(a), q = normalized(b)
        let n = max(p.count, q.count)
        p += [Double](repeating: 0, count: n - p.count)
        q += [Double](repeating: 0, count: n - q.count)
        var js = 0.0
        for i in 0..<n {
            let m = 0.5 * (p[i] + q[i])
            if p[i] > 0 { js += 0.5 * p[i] * log(p[i] / m) }
            if q[i] > 0 { js += 0.5 * q[i] * log(q[i] / m) }
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
