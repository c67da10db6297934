import SynCore
import SynScenes

/// The multi-threaded rate core (`synaptop bench rate_threads`): the packed SGEMM and a batched
/// rate network trained by full-batch gradient descent, on 1 and 2 threads of a `ComputePool`.
/// The numbers do not depend on the thread count (`loss` is reported to show it).
///
/// Figures: `gflops` / `gflops_cpu` for the kernel (CPU time of every thread, so a perfect
/// 2-thread split keeps it equal to the 1-thread figure); `steps_per_s`, `cpu_s_per_step` (all
/// threads) and `loss` for the network: the `edge-of-stability` scene (1000 digits, full batch)
/// at its defaults (64-64-64-10) and widened to 64-256-256-10 (`--set network.hidden=[256,256]`),
/// and `mlp-digits` (online backprop, one sample per step) widened to 64-1024-1024-10, where each
/// sample's passes are shared (`MLPCore.sgdStep(...pool:)`).
extension BenchSuite {
    public static var rateThreadCases: [BenchCase] {
        var cases: [BenchCase] = []
        for threads in [1, 2] {
            cases.append(BenchCase(group: "rate_threads", name: "sgemm_n1024_t\(threads)",
                                   figures: [BenchFigure("gflops", unit: "GFLOP/s"), BenchFigure("gflops_cpu", unit: "GFLOP/s")]) {
                let n = 1024
                var rng = RNG(seed: 1)
                let a = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
                let b = Matrix(rows: n, cols: n) { _, _ in rng.uniform(-1, 1) }
                var c = Matrix(rows: n, cols: n)
                let pool = threads > 1 ? WorkerPool(count: threads) : nil
                let flops = 2 * Double(n) * Double(n) * Double(n)
                let reps = 6
                let cpu0 = processCPUSeconds()
                let wall = BenchClock.seconds {
                    ComputePool.with(pool) { for _ in 0..<reps { Kernels.gemm(a, b, into: &c) } }
                }
                let cpu = processCPUSeconds() - cpu0
                return [checked(c.storage[0], flops * Double(reps) / wall * 1e-9), flops * Double(reps) / cpu * 1e-9]
            })
        }
        let configs: [(label: String, scene: String, overrides: [String], steps: Int)] = [
            ("eos_default", "edge-of-stability", [], 400),
            ("eos_wide256", "edge-of-stability", ["network.hidden=[256,256]"], 40),
            ("mlp_wide1024", "mlp-digits", ["network.hidden=[1024,1024]", "metrics.every=1000000"], 2000),
        ]
        for (label, scene, overrides, steps) in configs {
            for threads in [1, 2] {
                cases.append(BenchCase(group: "rate_threads", name: "\(label)_t\(threads)",
                                       figures: [BenchFigure("steps_per_s", unit: "steps/s"), BenchFigure("cpu_s_per_step", unit: "s"),
                                                 BenchFigure("loss", unit: "")], runs: 3) {
                    guard let file = SceneLocator.sceneFiles().first(where: { SceneLoader.baseName($0) == scene }),
                          let spec = try? SceneLoader.load(path: file, overrides: overrides),
                          var session = try? SceneSession(spec: spec, threads: threads) else { return [.nan, .nan, .nan] }
                    let cpu0 = processCPUSeconds()
                    let wall = BenchClock.seconds { _ = session.advance(steps) }
                    let cpu = processCPUSeconds() - cpu0
                    // Measured after the timed span (mlp_wide1024 times training only: its metrics
                    // interval is longer than the run).
                    let loss = session.metricNames.firstIndex(of: "loss").map { session.measureRow().values[$0] } ?? .nan
                    return [Double(steps) / wall, cpu / Double(steps), loss]
                })
            }
        }
        return cases
    }
}
