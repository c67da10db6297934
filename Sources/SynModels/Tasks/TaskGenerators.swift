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
        labelled("xor", count: count, dims: 2, classes: 2, rng: &rng) { x, rng in
            let a = rng.int(below: 2), b = rng.int(below: 2)
            x[0] = Float(2 * a - 1) + noise * rng.normal()
            x[1] = Float(2 * b - 1) + noise * rng.normal()
            return a ^ b
        }
    }

    /// Two interleaved spirals (Lang & Witbrock 1988): class c point at angle t in [0, 3 pi]
    /// is r(t) (cos(t + c pi), sin(t + c pi)) with r = t / (3 pi), plus Gaussian noise.
    public static func spirals(count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        labelled("spirals", count: count, dims: 2, classes: 2, rng: &rng) { x, rng in
            let c = rng.int(below: 2)
            let t = Double(rng.uniform()) * 3 * Double.pi
            let r = Float(t / (3 * Double.pi))
            let ang = t + Double(c) * Double.pi
            x[0] = r * Float(cos(ang)) + noise * rng.normal()
            x[1] = r * Float(sin(ang)) + noise * rng.normal()
            return c
        }
    }

    /// Two moons: class 0 on the upper unit half-circle, class 1 on a lower half-circle shifted
    /// by (1, -0.5), with Gaussian noise.
    public static func moons(count: Int, noise: Float, rng: inout RNG) -> SupervisedTask {
        labelled("moons", count: count, dims: 2, classes: 2, rng: &rng) { x, rng in
            let c = rng.int(below: 2)
            let t = Double(rng.uniform()) * Double.pi
            if c == 0 {
                x[0] = Float(cos(t)); x[1] = Float(sin(t))
            } else {
                x[0] = 1 - Float(cos(t)); x[1] = 0.5 - Float(sin(t))
            }
            x[0] += noise * rng.normal()
            x[1] += noise * rng.normal()
            return c
        }
    }

    /// Gaussian blobs: `classes` centres drawn N(0, spread^2 I) in `dims` dimensions, samples
    /// N(centre, I) (unit within-class standard deviation).
    public static func blobs(count: Int, dims: Int, classes: Int, spread: Float, rng: inout RNG) -> SupervisedTask {
        var centres = Matrix(rows: classes, cols: dims)
        for i in 0..<centres.storage.count { centres.storage[i] = spread * rng.normal() }
        return labelled("blobs", count: count, dims: dims, classes: classes, rng: &rng) { x, rng in
            let c = rng.int(below: classes)
            for j in 0..<dims { x[j] = centres[c, j] + rng.normal() }
            return c
        }
    }

    /// A classification task of `count` training then `count` test samples; `draw` fills one
    /// sample's `dims` features (in draw order) and returns its label.
    static func labelled(_ name: String, count: Int, dims: Int, classes: Int, rng: inout RNG,
                         draw: (inout [Float], inout RNG) -> Int) -> SupervisedTask {
        var sample = [Float](repeating: 0, count: dims)
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: dims)
            var labels = [Int](repeating: 0, count: n)
            for i in 0..<n {
                labels[i] = draw(&sample, &rng)
                x.setRow(i, sample)
            }
            return TaskSet(x: x, labels: labels, classes: classes)
        }
        let train = make(count)
        return SupervisedTask(name: name, train: train, test: make(count), classes: classes)
    }

    /// Teacher-student regression: inputs x ~ N(0, inputSD^2 I), targets y = teacher(x) for a
    /// given teacher network (plus Gaussian label noise of standard deviation `noise`).
    public static func teacher(_ teacher: MLP, count: Int, noise: Float, inputSD: Float = 1, rng: inout RNG) -> SupervisedTask {
        var net = teacher
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: net.inputs)
            for i in 0..<x.storage.count { x.storage[i] = inputSD * rng.normal() }
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

    /// Földiák's bars (1990, see `Bars`): `side x side` images, each of the 2 side bars on with
    /// probability `p`. Targets are the bar indicators (2 side outputs), to score learned features.
    public static func bars(count: Int, side: Int, p: Double, rng: inout RNG) -> SupervisedTask {
        let gen = Bars(side: side, probability: p)
        var image = [Float](repeating: 0, count: gen.pixels)
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: gen.pixels)
            var y = Matrix(rows: n, cols: gen.count)
            for i in 0..<n {
                gen.sample(into: &image, rng: &rng) { y[i, $0] = 1 }
                x.setRow(i, image)
            }
            return TaskSet(x: x, y: y)
        }
        let train = make(count)
        return SupervisedTask(name: "bars", train: train, test: make(count), classes: 0, imageRows: side, imageCols: side)
    }

    /// Low-rank Gaussian data (a finite set drawn from `LowRankGaussian`): x = U diag(s) z +
    /// noise e with z, e ~ N(0, I), U a random `dims x rank` matrix with orthonormal columns and
    /// s_k = decay^k (k = 0..<rank). Its covariance has `rank` large eigenvalues s_k^2 + noise^2
    /// and the rest noise^2. Targets are the latent z (regression).
    public static func lowRank(count: Int, dims: Int, rank: Int, decay: Float, noise: Float, rng: inout RNG) -> SupervisedTask {
        var s: Float = 1
        var variances: [Float] = []
        for _ in 0..<rank { variances.append(s * s); s *= decay }
        let gen = LowRankGaussian(dimension: dims, variances: variances, noise: noise, rng: &rng)
        var sample = [Float](repeating: 0, count: dims)
        func make(_ n: Int) -> TaskSet {
            var x = Matrix(rows: n, cols: dims)
            var y = Matrix(rows: n, cols: rank)
            for i in 0..<n {
                gen.sample(into: &sample, rng: &rng) { y[i, $0] = $1 }
                x.setRow(i, sample)
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
