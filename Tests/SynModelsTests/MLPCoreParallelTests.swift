import Testing
import SynCore
@testable import SynModels

/// The online SGD step shared over a pool gives the serial step's bits, for every error
/// feedback and activation, on widths that are not multiples of the cut granule.
@Suite struct MLPCoreParallelTests {
    struct Case: Sendable, CustomStringConvertible {
        var sizes: [Int], hidden: Activation, output: Activation, feedback: ErrorFeedback
        var description: String { "\(sizes) \(hidden)/\(output) \(feedback)" }
    }

    static let cases: [Case] = [
        Case(sizes: [37, 101, 53, 10], hidden: .tanh, output: .softmax, feedback: .backprop),
        Case(sizes: [20, 67, 9], hidden: .relu, output: .sigmoid, feedback: .backprop),
        Case(sizes: [30, 45, 33, 7], hidden: .sigmoid, output: .linear, feedback: .feedbackAlignment),
        Case(sizes: [25, 70, 41, 12], hidden: .tanh, output: .softmax, feedback: .directFeedbackAlignment),
        Case(sizes: [16, 8, 17, 3], hidden: .gelu, output: .tanh, feedback: .backprop),
    ]

    /// Trains `samples` samples online; returns the parameters and the summed loss bits.
    static func train(_ c: Case, pool: WorkerPool?, samples: Int = 40) -> (params: [UInt32], loss: UInt32) {
        var rng = RNG(seed: 5)
        var net = MLP(sizes: c.sizes, hidden: c.hidden, output: c.output, rng: &rng)
        let n = c.sizes[0], k = c.sizes[c.sizes.count - 1]
        var total: Float = 0
        for i in 0..<samples {
            let x = (0..<n).map { _ in rng.uniform(-1, 1) }
            var t = [Float](repeating: 0, count: k)
            t[i % k] = 1
            x.withUnsafeBufferPointer { xb in
                t.withUnsafeBufferPointer { tb in
                    guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
                    total += net.withCore { core in
                        if let pool { return core.sgdStep(xp, tp, eta: 0.05, feedback: c.feedback, pool: pool) }
                        return core.sgdStep(xp, tp, eta: 0.05, feedback: c.feedback)
                    }
                }
            }
        }
        return (net.params.map(\.bitPattern), total.bitPattern)
    }

    @Test(arguments: cases)
    func sharedStepGivesTheSerialBits(c: Case) {
        let serial = Self.train(c, pool: nil)
        for threads in [2, 3] {
            let pool = WorkerPool(count: threads)
            let shared = Self.train(c, pool: pool)
            #expect(pool.jobs == 40)
            #expect(shared.loss == serial.loss, "\(threads) threads: loss")
            #expect(shared.params == serial.params, "\(threads) threads: parameters")
        }
    }

    /// The learner takes the shared path only for wide networks inside a compute pool, and the
    /// result is still the serial one.
    @Test func learnerSharesOnlyWideNetworks() {
        let rule = Backprop(eta: 0.05)
        func run(_ sizes: [Int], pool: WorkerPool?) -> [Float] {
            var rng = RNG(seed: 9)
            var net = MLP(sizes: sizes, hidden: .tanh, output: .softmax, rng: &rng)
            var learner = MLPLearner(rule: rule, layout: net.layout, rng: RNG(seed: 3))
            let x = (0..<sizes[0]).map { _ in rng.uniform(0, 1) }
            var t = [Float](repeating: 0, count: sizes[sizes.count - 1])
            t[1] = 1
            ComputePool.with(pool) {
                x.withUnsafeBufferPointer { xb in
                    t.withUnsafeBufferPointer { tb in
                        guard let xp = xb.baseAddress, let tp = tb.baseAddress else { return }
                        for _ in 0..<3 { _ = learner.train(&net, x: xp, t: tp) }
                    }
                }
            }
            return net.params
        }
        let narrow = WorkerPool(count: 2)
        #expect(run([64, 100, 10], pool: narrow) == run([64, 100, 10], pool: nil))
        #expect(narrow.jobs == 0)
        let wide = WorkerPool(count: 2)
        let sizes = [64, 520, 500, 10]
        #expect(MLPLayout(sizes: sizes).paramCount >= MLPCore.parallelWeights)
        #expect(run(sizes, pool: wide).map(\.bitPattern) == run(sizes, pool: nil).map(\.bitPattern))
        #expect(wide.jobs == 3)
    }
}
