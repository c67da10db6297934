import Testing
import SynCore
@testable import SynModels

/// The eqprop scene's training protocol options: cosine annealing of the learning rates and
/// persistent particles.
@Suite struct EqPropScheduleTests {
    /// eta(n) = eta (f + (1 − f)(1 + cos(pi min(1, n / A))) / 2): 1 at the start, the midpoint
    /// (1 + f) / 2 at A / 2, f from A on; A = 0 keeps the rates constant.
    @Test func annealFactorFollowsTheCosine() {
        let f: Float = 0.1
        #expect(EqPropSimulation.annealFactor(samples: 0, over: 1000, floor: f) == 1)
        #expect(abs(EqPropSimulation.annealFactor(samples: 500, over: 1000, floor: f) - 0.55) < 1e-6)
        // n / A = 1/4: (1 + cos(pi / 4)) / 2 = 0.853553.
        #expect(abs(EqPropSimulation.annealFactor(samples: 250, over: 1000, floor: f) - (0.1 + 0.9 * 0.853553)) < 1e-5)
        #expect(abs(EqPropSimulation.annealFactor(samples: 1000, over: 1000, floor: f) - f) < 1e-7)
        #expect(abs(EqPropSimulation.annealFactor(samples: 5000, over: 1000, floor: f) - f) < 1e-7)
        #expect(EqPropSimulation.annealFactor(samples: 5000, over: 0, floor: f) == 1)
    }
}

extension EqPropScheduleTests {
    /// Persistent particles: with the weights frozen (eta = 0) the second epoch's free phases
    /// continue from where the first epoch's ended, so their mean cost equals that of relaxing
    /// 2 r sweeps from zero, while without persistence it stays the r-sweep cost.
    @Test func persistentParticlesContinueTheFreePhase() {
        var r = RNG(seed: 3)
        let task = Tasks.xor(count: 40, noise: 0.1, rng: &r)
        let relax = 1, n = task.train.count
        func make(_ persistent: Bool) -> EqPropSimulation {
            EqPropSimulation(config: .init(sizes: [2, 8, 2], rules: [EqPropPositive(beta: 0.5, eta: 0)], start: 0, relaxSteps: relax,
                                           gain: 2, bias: 0.2, persistent: persistent), task: task, seed: 1)
        }
        /// Mean cost of the training samples after `sweeps` free sweeps from zero.
        func cost(_ sim: EqPropSimulation, sweeps: Int) -> Double {
            var net = sim.net
            var s = 0.0
            for i in 0..<n {
                let x = task.train.x.row(i), y = task.train.y.row(i)
                x.withUnsafeBufferPointer { xb in y.withUnsafeBufferPointer { yb in
                    net.reset(input: xb.baseAddress!)
                    for _ in 0..<sweeps { net.sweep(beta: 0, target: yb.baseAddress!) }
                    s += Double(net.cost(yb.baseAddress!))
                } }
            }
            return s / Double(n)
        }
        for persistent in [false, true] {
            var sim = make(persistent)
            sim.advance(n * 2 * relax)
            let first = sim.measure()[0]
            sim.advance(n * 2 * relax)
            let second = sim.measure()[0]
            #expect(abs(first - cost(sim, sweeps: relax)) < 1e-6)
            #expect(abs(second - cost(sim, sweeps: persistent ? 2 * relax : relax)) < 1e-6, "persistent \(persistent)")
        }
        #expect(abs(cost(make(true), sweeps: 2 * relax) - cost(make(true), sweeps: relax)) > 1e-4,
                "a second sweep must change the state for the test to tell the cases apart")
    }
}
