import SynScenes
import SynCore
import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `synaptop bench mlp`: per-sample MLP training throughput on the digits, the same protocol as
/// the numpy/PyTorch reference scripts (64-100-10, tanh hidden, softmax + cross-entropy, plain
/// SGD with eta = 0.02, batch 1, W ~ N(0, 1/fan_in), b = 0, a fresh random order each epoch,
/// 10 epochs of 1500 samples; only the training loop and the shuffle are timed).
/// Figures: `samples_per_s` (wall clock), `test_acc` after 10 epochs, `peak_fraction` (FLOP rate
/// per second of the thread's CPU time over the measured FMA peak, so other load on the machine
/// does not lower it), `us_per_sample` (wall clock) and `samples_per_cpu_s`.
extension BenchSuite {
    public static var mlpCases: [BenchCase] {
        [
            BenchCase(group: "mlp", name: "digits_sgd_64_100_10",
                      figures: [BenchFigure("samples_per_s", unit: "samples/s"), BenchFigure("test_acc", unit: "fraction"),
                                BenchFigure("peak_fraction", unit: "fraction"), BenchFigure("us_per_sample", unit: "us"),
                                BenchFigure("samples_per_cpu_s", unit: "samples/s")],
                      runs: 5) {
                let r = MLPBench.train(seed: 0, epochs: 10)
                let peak = MLPBench.peakFlopRate()
                return [r.samplesPerSecond, r.testAccuracy, r.samplesPerCPUSecond * MLPBench.flopsPerSample / peak, 1e6 / r.samplesPerSecond,
                        r.samplesPerCPUSecond]
            },
            BenchCase(group: "mlp", name: "fma_peak", figures: [BenchFigure("gflops", unit: "GFLOP/s")], runs: 5) {
                [MLPBench.peakFlopRate() / 1e9]
            },
        ]
    }
}

/// The MLP benchmark protocol, usable from tests with fewer epochs.
public enum MLPBench {
    /// Floating-point operations of one training sample, counting 2 per multiply-add of the
    /// matrix work: forward W1 x and W2 h (2 (64*100 + 100*10)), backward W2^T delta
    /// (2 * 100 * 10) and the two rank-1 updates (2 (64*100 + 100*10)). Elementwise work
    /// (tanh, softmax, biases; about 3 % more) is not counted.
    public static let flopsPerSample = 2.0 * Double(2 * (64 * 100 + 100 * 10) + 100 * 10)

    /// One training run's throughput and the test accuracy it reached.
    public struct Result: Sendable {
        public var samplesPerSecond: Double
        public var testAccuracy: Double
        public var trainSeconds: Double
        /// Throughput per second of this thread's CPU time (robust to other load on the machine;
        /// the reference scripts report the same as `samples_per_cpu_s`).
        public var samplesPerCPUSecond: Double
    }

    /// CPU time consumed by the calling thread, in seconds.
    public static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }

    /// Trains a fresh network for `epochs` epochs and returns the timed throughput and the
    /// final test accuracy.
    public static func train(seed: UInt64, epochs: Int, eta: Float = 0.02) -> Result {
        let task = Tasks.digits()
        var rng = RNG(seed: seed).stream("init")
        var net = MLP(sizes: [64, 100, 10], hidden: .tanh, output: .softmax, rng: &rng)
        var stream = SampleStream(count: task.train.count, rng: RNG(seed: seed).stream("order"))
        let xs = task.train.x.storage, ys = task.train.y.storage
        let nIn = task.inputs, nOut = task.outputs
        let perEpoch = task.train.count
        var seconds = 0.0
        var cpu = 0.0
        for _ in 0..<epochs {
            let c0 = threadCPUSeconds()
            seconds += BenchClock.seconds {
                xs.withUnsafeBufferPointer { xb in
                    ys.withUnsafeBufferPointer { yb in
                        guard let xp = xb.baseAddress, let yp = yb.baseAddress else { return }
                        net.withCore { core in
                            for _ in 0..<perEpoch {
                                let i = stream.next()
                                core.sgdStep(xp + i * nIn, yp + i * nOut, eta: eta)
                            }
                        }
                    }
                }
            }
            cpu += threadCPUSeconds() - c0
        }
        var correct = 0
        for i in 0..<task.test.count {
            _ = net.predict(task.test.x.row(i))
            if net.argmaxOutput() == task.test.labels[i] { correct += 1 }
        }
        return Result(samplesPerSecond: Double(perEpoch * epochs) / seconds,
                      testAccuracy: Double(correct) / Double(task.test.count), trainSeconds: seconds,
                      samplesPerCPUSecond: Double(perEpoch * epochs) / cpu)
    }

    /// The measured peak single-core rate of SIMD8<Float> fused multiply-adds (FLOP per second
    /// of thread CPU time, 2 per lane per FMA; best of 3): 12 independent accumulator chains,
    /// enough to fill both FMA pipes at their latency. This is the ceiling for the ISA the build
    /// targets (AVX2 + FMA on x86-64).
    public static func peakFlopRate() -> Double {
        var acc = (0..<12).map { SIMD8<Float>(repeating: Float($0) * 1e-3) }
        let m = SIMD8<Float>(repeating: 0.999_999), a = SIMD8<Float>(repeating: 1e-7)
        let iterations = 2_000_000
        var best = 0.0
        for _ in 0..<3 {
            let c0 = threadCPUSeconds()
            do {
                var a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], a4 = acc[4], a5 = acc[5]
                var a6 = acc[6], a7 = acc[7], a8 = acc[8], a9 = acc[9], a10 = acc[10], a11 = acc[11]
                for _ in 0..<iterations {
                    a0 = a.addingProduct(a0, m); a1 = a.addingProduct(a1, m); a2 = a.addingProduct(a2, m)
                    a3 = a.addingProduct(a3, m); a4 = a.addingProduct(a4, m); a5 = a.addingProduct(a5, m)
                    a6 = a.addingProduct(a6, m); a7 = a.addingProduct(a7, m); a8 = a.addingProduct(a8, m)
                    a9 = a.addingProduct(a9, m); a10 = a.addingProduct(a10, m); a11 = a.addingProduct(a11, m)
                }
                acc = [a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]
            }
            let s = threadCPUSeconds() - c0
            best = max(best, Double(iterations) * 12 * 16 / s)
        }
        // Keep the result observable so the loop is not removed.
        if acc.reduce(SIMD8<Float>(), +).sum().isNaN { return .nan }
        return best
    }
}
