/// A complex number (re, im), e.g. an eigenvalue of a real non-symmetric matrix.
public struct ComplexValue: Sendable, Equatable, Hashable {
    public var re: Double
    public var im: Double
    public init(_ re: Double, _ im: Double = 0) {
        self.re = re
        self.im = im
    }
    /// |z|.
    public var magnitude: Double { (re * re + im * im).squareRoot() }
}

/// Eigenvalues of a real, not necessarily symmetric, square matrix, in Double: reduction to
/// upper Hessenberg form by stabilised elementary similarity transforms, then Francis' double-
/// shift QR iteration with exceptional shifts at iterations 10 and 20 (the EISPACK `elmhes` /
/// `hqr` pair, as in Numerical Recipes §11.5-11.6). Cost about 10 n³ flops.
///
/// ```swift
/// let lambda = RealEigen.eigenvalues(a, n: 3)   // complex pairs come as (re, ±im)
/// ```
///
/// Used for the spectrum of a DMD operator (`SymmetricEigen` covers symmetric matrices).
/// Order: as the QR deflation finds them, so sort or match before comparing. Non-finite input,
/// or a block that has not converged after 60 iterations, gives NaN for the eigenvalues left.
public enum RealEigen {
    /// The n eigenvalues of the row-major n × n matrix `a`.
    public static func eigenvalues(_ a: [Double], n: Int) -> [ComplexValue] {
        precondition(n >= 0 && a.count == n * n, "RealEigen: \(a.count) entries for n = \(n)")
        let nan = ComplexValue(.nan, .nan)
        guard n > 0 else { return [] }
        guard a.allSatisfy(\.isFinite) else { return [ComplexValue](repeating: nan, count: n) }
        // 1-based (n+1)² work array, as in the classical formulation.
        let s1 = n + 1
        var h = [Double](repeating: 0, count: s1 * s1)
        for i in 0..<n { for j in 0..<n { h[(i + 1) * s1 + j + 1] = a[i * n + j] } }
        hessenberg(&h, n: n)
        return hqr(&h, n: n)
    }

    /// Reduces the 1-based work array to upper Hessenberg form (entries below the subdiagonal
    /// set to zero), by Gaussian elimination with pivoting (`elmhes`).
    static func hessenberg(_ a: inout [Double], n: Int) {
        let s1 = n + 1
        guard n > 2 else { return }
        for m in 2..<n {
            var x = 0.0, i = m
            for j in m...n where abs(a[j * s1 + m - 1]) > abs(x) {
                x = a[j * s1 + m - 1]
                i = j
            }
            if i != m {
                for j in (m - 1)...n { a.swapAt(i * s1 + j, m * s1 + j) }
                for j in 1...n { a.swapAt(j * s1 + i, j * s1 + m) }
            }
            if x != 0, m + 1 <= n {
                for i in (m + 1)...n {
                    var y = a[i * s1 + m - 1]
                    if y != 0 {
                        y /= x
                        a[i * s1 + m - 1] = y
                        for j in m...n { a[i * s1 + j] -= y * a[m * s1 + j] }
                        for j in 1...n { a[j * s1 + m] += y * a[j * s1 + i] }
                    }
                }
            }
        }
        for i in 1...n { for j in 1...n where j < i - 1 { a[i * s1 + j] = 0 } }
    }

    /// Eigenvalues of the 1-based upper Hessenberg work array (destroyed), by `hqr`.
    static func hqr(_ a: inout [Double], n: Int) -> [ComplexValue] {
        let s1 = n + 1
        @inline(__always) func at(_ i: Int, _ j: Int) -> Int { i * s1 + j }
        func sign(_ a: Double, _ b: Double) -> Double { b >= 0 ? abs(a) : -abs(a) }
        var wr = [Double](repeating: .nan, count: n + 1), wi = wr
        var anorm = 0.0
        for i in 1...n { for j in max(i - 1, 1)...n { anorm += abs(a[at(i, j)]) } }
        var nn = n, t = 0.0
        var p = 0.0, q = 0.0, r = 0.0, s = 0.0, w = 0.0, x = 0.0, y = 0.0, z = 0.0
        outer: while nn >= 1 {
            var its = 0
            var l = 1
            repeat {
                l = 1
                if nn >= 2 {
                    for ll in stride(from: nn, through: 2, by: -1) {
                        s = abs(a[at(ll - 1, ll - 1)]) + abs(a[at(ll, ll)])
                        if s == 0 { s = anorm }
                        if abs(a[at(ll, ll - 1)]) + s == s {
                            a[at(ll, ll - 1)] = 0
                            l = ll
                            break
                        }
                    }
                }
                x = a[at(nn, nn)]
                if l == nn {
                    wr[nn] = x + t
                    wi[nn] = 0
                    nn -= 1
                } else {
                    y = a[at(nn - 1, nn - 1)]
                    w = a[at(nn, nn - 1)] * a[at(nn - 1, nn)]
                    if l == nn - 1 {
                        p = 0.5 * (y - x)
                        q = p * p + w
                        z = abs(q).squareRoot()
                        x += t
                        if q >= 0 {
                            z = p + sign(z, p)
                            wr[nn - 1] = x + z
                            wr[nn] = z != 0 ? x - w / z : x + z
                            wi[nn - 1] = 0
                            wi[nn] = 0
                        } else {
                            wr[nn - 1] = x + p
                            wr[nn] = x + p
                            wi[nn - 1] = -z
                            wi[nn] = z
                        }
                        nn -= 2
                    } else {
                        if its == 60 { break outer }
                        if its == 10 || its == 20 {
                            t += x
                            for i in 1...nn { a[at(i, i)] -= x }
                            s = abs(a[at(nn, nn - 1)]) + abs(a[at(nn - 1, nn - 2)])
                            x = 0.75 * s
                            y = x
                            w = -0.4375 * s * s
                        }
                        its += 1
                        var m = nn - 2
                        while m >= l {
                            z = a[at(m, m)]
                            r = x - z
                            s = y - z
                            p = (r * s - w) / a[at(m + 1, m)] + a[at(m, m + 1)]
                            q = a[at(m + 1, m + 1)] - z - r - s
                            r = a[at(m + 2, m + 1)]
                            s = abs(p) + abs(q) + abs(r)
                            p /= s
                            q /= s
                            r /= s
                            if m == l { break }
                            let u = abs(a[at(m, m - 1)]) * (abs(q) + abs(r))
                            let v = abs(p) * (abs(a[at(m - 1, m - 1)]) + abs(z) + abs(a[at(m + 1, m + 1)]))
                            if u + v == v { break }
                            m -= 1
                        }
                        if m + 2 <= nn {
                            for i in (m + 2)...nn {
                                a[at(i, i - 2)] = 0
                                if i != m + 2 { a[at(i, i - 3)] = 0 }
                            }
                        }
                        for k in m...(nn - 1) {
                            if k != m {
                                p = a[at(k, k - 1)]
                                q = a[at(k + 1, k - 1)]
                                r = k != nn - 1 ? a[at(k + 2, k - 1)] : 0
                                x = abs(p) + abs(q) + abs(r)
                                if x != 0 { p /= x; q /= x; r /= x }
                            }
                            s = sign((p * p + q * q + r * r).squareRoot(), p)
                            if s != 0 {
                                if k == m {
                                    if l != m { a[at(k, k - 1)] = -a[at(k, k - 1)] }
                                } else {
                                    a[at(k, k - 1)] = -s * x
                                }
                                p += s
                                x = p / s
                                y = q / s
                                z = r / s
                                q /= p
                                r /= p
                                for j in k...nn {
                                    p = a[at(k, j)] + q * a[at(k + 1, j)]
                                    if k != nn - 1 {
                                        p += r * a[at(k + 2, j)]
                                        a[at(k + 2, j)] -= p * z
                                    }
                                    a[at(k + 1, j)] -= p * y
                                    a[at(k, j)] -= p * x
                                }
                                let mmin = min(nn, k + 3)
                                for i in l...mmin {
                                    p = x * a[at(i, k)] + y * a[at(i, k + 1)]
                                    if k != nn - 1 {
                                        p += z * a[at(i, k + 2)]
                                        a[at(i, k + 2)] -= p * r
                                    }
                                    a[at(i, k + 1)] -= p * q
                                    a[at(i, k)] -= p
                                }
                            }
                        }
                    }
                }
            } while nn >= 1 && l < nn - 1
        }
        return (1...n).map { ComplexValue(wr[$0], wi[$0]) }
    }
}
