import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seeded generators of the standard toy tasks. Every generator draws from the RNG it is given
/// (callers pass `RNG(seed:).stream("task")`), so the same seed gives the same data.
public enum Tasks {
    /// The bundled UCI digits (64 inputs in [0, 1], 10 classes) with the fixed 1500/297 split.
    public static func digits() -> SupervisedTask {
        let (tr, te) = Digits.split()
        return SupervisedTask(name: "digits", train: TaskSet(x: tr.x, labels: tr.labels, classes: 10),
                              test: TaskSet(x: te.x, labels: te.labels, classes: 10), classes: 10, imageRows: 8, imageCols: 8)
    }

    /// XOR: the four corners of {0,1}^2 (inputs centred to +-1) labelled x1 xor x2, each with
    /// Gaussian jitter of standard deviation `noise`; `count` training and `count` test samples.
    public static func xor(count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: 2)
            var labels = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let a = rng.int(below: 2), b = rng.int(below: 2)
                x[i, 0] = Float(2 * a - 1) + noise * rng.normal()
                x[i, 1] = Float(2 * b - 1) + noise * rng.normal()
                labels[i] = a ^ b
            }
            return TaskSet(x: x, labels: labels, classes: 2)
        }
        let train = make(count)
        return SupervisedTask(name: "xor", train: train, test: make(count), classes: 2)
    }

    /// Two interleaved spirals (Lang & Witbrock 1988): class c point at angle t in [0, 3 pi]
    /// is r(t) (cos(t + c pi), sin(t + c pi)) with r = t / (3 pi), plus Gaussian noise.
    public static func spirals(count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: 2)
            var labels = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let c = rng.int(below: 2)
                let t = Double(rng.uniform()) * 3 * Double.pi
                let r = Float(t / (3 * Double.pi))
                let ang = t + Double(c) * Double.pi
                x[i, 0] = r * Float(cos(ang)) + noise * rng.normal()
                x[i, 1] = r * Float(sin(ang)) + noise * rng.normal()
                labels[i] = c
            }
            return TaskSet(x: x, labels: labels, classes: 2)
        }
        let train = make(count)
        return SupervisedTask(name: "spirals", train: train, test: make(count), classes: 2)
    }

    /// Two moons: class 0 on the upper unit half-circle, class 1 on a lower half-circle shifted
    /// by (1, -0.5), with Gaussian noise.
    public static func moons(count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: 2)
            var labels = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let c = rng.int(below: 2)
                let t = Double(rng.uniform()) * Double.pi
                if c == 0 {
                    x[i, 0] = Float(cos(t)); x[i, 1] = Float(sin(t))
                } else {
                    x[i, 0] = 1 - Float(cos(t)); x[i, 1] = 0.5 - Float(sin(t))
                }
                x[i, 0] += noise * rng.normal()
                x[i, 1] += noise * rng.normal()
                labels[i] = c
            }
            return TaskSet(x: x, labels: labels, classes: 2)
        }
        let train = make(count)
        return SupervisedTask(name: "moons", train: train, test: make(count), classes: 2)
    }

    /// Gaussian blobs: `classes` centres drawn N(0, spread^2 I) in `dims` dimensions, samples
    /// N(centre, I) (unit within-class standard deviation).
    public static func blobs(count: Int, dims: Int, classes: Int, spread: Float, rng: inout RNG) -> SupervisedTask {
        var centres = Matrix(rows: classes, cols: dims)
        for i in 0..<centres.storage.count { centres.storage[i] = spread * rng.normal() }
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: dims)
            var labels = [Int](repeating: 0, count: n)
            for i in 0..<n {
                let c = rng.int(below: classes)
                for j in 0..<dims { x[i, j] = centres[c, j] + rng.normal() }
                labels[i] = c
            }
            return TaskSet(x: x, labels: labels, classes: classes)
        }
        let train = make(count)
        return SupervisedTask(name: "blobs", train: train, test: make(count), classes: classes)
    }

    /// Teacher-student regression: inputs x ~ N(0, I), targets y = teacher(x) for a given
    /// teacher network (plus Gaussian label noise of standard deviation `noise`).
    public static func teacher(_ teacher: MLP, count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        var net = teacher
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: net.inputs)
            for i in 0..<x.storage.count { x.storage[i] = rng.normal() }
            var y = Matrix(rows: n, cols: net.outputs)
            for i in 0..<n {
                let out = net.predict(x.row(i))
                for k in 0..<out.count { y[i, k] = out[k] + noise * rng.normal() }
            }
            return TaskSet(x: x, y: y)
        }
        let train = make(count)
        return SupervisedTask(name: "teacher", train: train, test: make(count), classes: 0)
    }

    /// Földiák's bars (1990): a `side x side` image in which each of the 2 side possible bars
    /// (rows and columns) is on independently with probability `p`; pixels are 1 where any bar
    /// is on. Targets are the bar indicators (2 side outputs), useful to score learned features.
    public static func bars(count: Int, side: Int, p: Double, rng: inout RNG) -> SupervisedTask {
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: side * side)
            var y = Matrix(rows: n, cols: 2 * side)
            for i in 0..<n {
                for b in 0..<(2 * side) where rng.bernoulli(p) {
                    y[i, b] = 1
                    for k in 0..<side {
                        let pix = b < side ? b * side + k : k * side + (b - side)
                        x[i, pix] = 1
                    }
                }
            }
            return TaskSet(x: x, y: y)
        }
        let train = make(count)
        return SupervisedTask(name: "bars", train: train, test: make(count), classes: 0, imageRows: side, imageCols: side)
    }

    /// Low-rank Gaussian data: x = U diag(s) z + noise e with z, e ~ N(0, I), U a random
    /// `dims x rank` matrix with orthonormal columns and s_k = decay^k (k = 0..<rank). Its
    /// covariance has `rank` large eigenvalues s_k^2 + noise^2 and the rest noise^2. Targets are
    /// the latent z (regression).
    public static func lowRank(count: Int, dims: Int, rank: Int, decay: Float, noise: Float, rng: inout RNG) -> SupervisedTask {
        let u = randomOrthonormalColumns(rows: dims, cols: rank, rng: &rng)
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: dims)
            var y = Matrix(rows: n, cols: rank)
            for i in 0..<n {
                var s: Float = 1
                for k in 0..<rank {
                    let z = rng.normal()
                    y[i, k] = z
                    for j in 0..<dims { x[i, j] += u[j, k] * s * z }
                    s *= decay
                }
                for j in 0..<dims { x[i, j] += noise * rng.normal() }
            }
            return TaskSet(x: x, y: y)
        }
        let train = make(count)
        return SupervisedTask(name: "lowrank", train: train, test: make(count), classes: 0)
    }

    /// A `rows x cols` matrix (cols <= rows) with orthonormal columns: Gram-Schmidt on Gaussian
    /// columns, in Double.
    public static func randomOrthonormalColumns(rows: Int, cols: Int, rng: inout RNG) -> Matrix {
        precondition(cols <= rows)
        var q = [[Double]]()
        while q.count < cols {
            var v = (0..<rows).map { _ in Double(rng.normal()) }
            for b in q {
                var d = 0.0
                for i in 0..<rows { d += v[i] * b[i] }
                for i in 0..<rows { v[i] -= d * b[i] }
            }
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if n > 1e-6 { q.append(v.map { $0 / n }) }
        }
        return Matrix(rows: rows, cols: cols) { r, c in Float(q[c][r]) }
    }
}
