import SynScenes
import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Benchmarks of the numeric core: dense kernels (`synaptop bench kernels`) and the symmetric
/// eigen solver (`synaptop bench eigen`).
///
/// Each run repeats the operation until about `flopTarget` floating-point operations (or bytes)
/// have been done, so a run lasts roughly 10-50 ms whatever the size; inputs are generated outside
/// the timed span from a fixed seed. Flop counts: sgemm 2 m n k, sgemv/ger 2 m n, axpy/dot 2 n.
///
/// Every case reports a second figure timed by the thread's CPU clock
/// (`rate_cpu`, `time_cpu`): on a machine shared with other jobs it excludes the time the thread
/// waited for a core, so it shows what the kernel achieves while it runs; the wall-clock figure
/// is what a user sees.
extension BenchSuite {
    /// Work per timed run (flops) for the kernel cases.
    static let flopTarget = 1.0e9

    public static var kernelCases: [BenchCase] {
        var cases: [BenchCase] = []
        for n in [64, 256, 1024] {
            cases.append(BenchCase(group: "kernels", name: "sgemm_n\(n)", figures: rateFigures) {
                var rng = RNG(seed: 1)
                let a = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
                let b = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
                var c = Matrix(rows: n, cols: n)
                let flops = 2 * Double(n) * Double(n) * Double(n)
                let rate = gflops(flops) { _ in Kernels.gemm(a, b, into: &c) }
                return [checked(c.storage[0], rate.wall), rate.cpu]
            })
        }
        // A transposed operand, as in a batched backward pass (dW = X^T dY).
        cases.append(BenchCase(group: "kernels", name: "sgemm_tn_n256", figures: rateFigures) {
            let n = 256
            var rng = RNG(seed: 2)
            let a = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
            let b = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
            var c = Matrix(rows: n, cols: n)
            let flops = 2 * Double(n * n * n)
            let rate = gflops(flops) { _ in Kernels.gemm(a, b, into: &c, transA: true) }
            return [checked(c.storage[0], rate.wall), rate.cpu]
        })
        for (m, n) in [(256, 256), (1024, 1024), (100, 784), (4096, 4096)] {
            cases.append(BenchCase(group: "kernels", name: "sgemv_\(m)x\(n)", figures: rateFigures) {
                var rng = RNG(seed: 3)
                let a = Matrix(rows: m, cols: n) { _, _ in rng.uniform(-1, 1) }
                let x = (0..<n).map { _ in rng.uniform(-1, 1) }
                var y = [Float](repeating: 0, count: m)
                let flops = 2 * Double(m * n)
                let rate = gflops(flops) { _ in Kernels.gemv(a, x, into: &y) }
                return [checked(y[0], rate.wall), rate.cpu]
            })
        }
        for (m, n) in [(1024, 1024), (100, 784)] {
            cases.append(BenchCase(group: "kernels", name: "sgemvT_\(m)x\(n)", figures: rateFigures) {
                var rng = RNG(seed: 4)
                let a = Matrix(rows: m, cols: n) { _, _ in rng.uniform(-1, 1) }
                let x = (0..<m).map { _ in rng.uniform(-1, 1) }
                var y = [Float](repeating: 0, count: n)
                let flops = 2 * Double(m * n)
                let rate = gflops(flops) { _ in Kernels.gemvT(a, x, into: &y) }
                return [checked(y[0], rate.wall), rate.cpu]
            })
        }
        for (m, n) in [(256, 256), (1024, 1024)] {
            cases.append(BenchCase(group: "kernels", name: "ger_\(m)x\(n)", figures: rateFigures) {
                var rng = RNG(seed: 5)
                var a = Matrix(rows: m, cols: n) { _, _ in rng.uniform(-1, 1) }
                let x = (0..<m).map { _ in rng.uniform(-1, 1) }
                let y = (0..<n).map { _ in rng.uniform(-1, 1) }
                let flops = 2 * Double(m * n)
                // Alternate the sign so the matrix stays bounded over many repetitions.
                let rate = gflops(flops) { r in Kernels.ger(r % 2 == 0 ? 1e-3 : -1e-3, x, y, &a) }
                return [checked(a.storage[0], rate.wall), rate.cpu]
            })
        }
        for n in [4096, 1 << 20] {
            let label = n >= 1 << 20 ? "\(n >> 20)M" : "\(n)"
            cases.append(BenchCase(group: "kernels", name: "axpy_\(label)",
                                   figures: rateFigures + [BenchFigure("bandwidth_cpu", unit: "GB/s")]) {
                var rng = RNG(seed: 6)
                let x = (0..<n).map { _ in rng.uniform(-1, 1) }
                var y = (0..<n).map { _ in rng.uniform(-1, 1) }
                let flops = 2 * Double(n)
                let rate = gflops(flops) { r in Kernels.axpy(r % 2 == 0 ? 1e-3 : -1e-3, x, &y) }
                // Bytes moved: read x, read y, write y.
                let bytes = 12 * Double(n) * Double(rate.reps)
                return [checked(y[0], rate.wall), rate.cpu, bytes / rate.cpuSeconds * 1e-9]
            })
            cases.append(BenchCase(group: "kernels", name: "dot_\(label)", figures: rateFigures) {
                var rng = RNG(seed: 7)
                var x = (0..<n).map { _ in rng.uniform(-1, 1) }
                let y = (0..<n).map { _ in rng.uniform(-1, 1) }
                let flops = 2 * Double(n)
                var s: Float = 0
                // Feeding each result back into x keeps the calls from being hoisted or merged.
                let rate = gflops(flops) { _ in
                    s = Kernels.dot(x, y)
                    x[0] = s * 1e-9
                }
                return [checked(s, rate.wall), rate.cpu]
            })
        }
        return cases
    }

    public static var eigenCases: [BenchCase] {
        var cases: [BenchCase] = []
        for n in [64, 256, 512] {
            cases.append(BenchCase(group: "eigen", name: "eigenvalues_n\(n)", figures: eigenFigures) {
                let a = randomSymmetric(n, seed: 8)
                var values: [Double] = []
                let (t, cpu) = timed { values = SymmetricEigen.eigenvalues(a, n: n) }
                return [checked(Float(values.first ?? 0), t * 1e3), cpu * 1e3]
            })
        }
        for n in [64, 256] {
            cases.append(BenchCase(group: "eigen", name: "decompose_n\(n)", figures: eigenFigures) {
                let a = randomSymmetric(n, seed: 9)
                var values: [Double] = []
                let (t, cpu) = timed { values = SymmetricEigen.decompose(a, n: n).values }
                return [checked(Float(values.first ?? 0), t * 1e3), cpu * 1e3]
            })
        }
        // The covariance + spectrum of a PCA-style metric: 1797 samples x 64 features (digits size).
        cases.append(BenchCase(group: "eigen", name: "covariance_spectrum_1797x64", figures: eigenFigures) {
            var rng = RNG(seed: 10)
            let x = Matrix(rows: 1797, cols: 64) { _, _ in rng.uniform(0, 16) }
            var values: [Double] = []
            let (t, cpu) = timed {
                values = SymmetricEigen.eigenvalues(Covariance.covariance(of: x, center: true))
            }
            return [checked(Float(values.first ?? 0), t * 1e3), cpu * 1e3]
        })
        return cases
    }

    static let rateFigures = [BenchFigure("rate", unit: "GFLOP/s"), BenchFigure("rate_cpu", unit: "GFLOP/s")]
    static let eigenFigures = [BenchFigure("time", unit: "ms"), BenchFigure("time_cpu", unit: "ms")]

    /// (wall seconds, thread CPU seconds) spent in `body`.
    static func timed(_ body: () -> Void) -> (wall: Double, cpu: Double) {
        let c0 = threadCPUSeconds()
        let wall = BenchClock.seconds(body)
        let cpu = threadCPUSeconds() - c0
        return (wall, cpu > 0 ? cpu : wall)
    }

    /// CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Times `repetitions(flopsPerCall)` calls of `call` (given the repetition index) and
    /// returns the rates in GFLOP/s by wall and thread CPU time, the CPU seconds and the count.
    @inline(__always)
    static func gflops(_ flopsPerCall: Double, _ call: (Int) -> Void) -> (wall: Double, cpu: Double, cpuSeconds: Double, reps: Int) {
        let reps = repetitions(flopsPerCall)
        let (t, cpu) = timed {
            for r in 0..<reps { call(r) }
        }
        let flops = flopsPerCall * Double(reps)
        return (flops / t * 1e-9, flops / cpu * 1e-9, cpu, reps)
    }

    /// Repetitions so that one timed run does about `flopTarget` flops.
    static func repetitions(_ flopsPerCall: Double) -> Int { max(1, Int(flopTarget / max(flopsPerCall, 1))) }

    /// Returns `figure`, or NaN when the kernel produced a non-finite result (the result is also
    /// consumed here so the optimiser cannot drop the measured work).
    static func checked(_ result: Float, _ figure: Double) -> Double { result.isFinite ? figure : .nan }

    /// Random symmetric n x n matrix (row-major Double), entries U(-1, 1).
    static func randomSymmetric(_ n: Int, seed: UInt64) -> [Double] {
        var rng = RNG(seed: seed)
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let v = 2 * rng.uniformDouble() - 1
                a[i * n + j] = v
                a[j * n + i] = v
            }
        }
        return a
    }
}
