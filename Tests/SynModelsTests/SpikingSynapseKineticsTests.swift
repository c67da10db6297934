import Foundation
import Testing
import SynCore
@testable import SynModels

/// Alpha, dual-exponential, AMPA / GABA_A and NMDA synapse kinetics against their closed forms.
@Suite struct SpikingSynapseKineticsTests {
    /// Steps `n` times, returning g_0 after each step.
    static func response(_ s: inout some SynapseKinetics, steps n: Int) -> [Float] {
        (0..<n).map { _ in
            s.step()
            return s.conductance(0)
        }
    }

    /// One spike of weight 1 at t = 0: g(t) = (t/τ) e^{−t/τ}, the peak 1/e exactly at t = τ.
    @Test func alphaKernelPeaksAtTauWithValueOneOverE() {
        var s = AlphaSynapse(count: 1, dt: 0.0001, tauMS: 5, reversalMV: 0)
        s.spike(0, weight: 1)
        let g = Self.response(&s, steps: 300)        // 30 ms at 0.1 ms
        let peak = g.indices.max { g[$0] < g[$1] } ?? 0
        #expect(peak + 1 == 50)                      // step 50 = 5 ms = τ
        #expect(abs(g[49] - Float(exp(-1.0))) < 1e-5)
        for k in [9, 99, 199] {
            let t = Double(k + 1) * 0.1 / 5
            #expect(abs(Double(g[k]) - t * exp(-t)) < 1e-5)
        }
    }

    /// One spike of weight 2: the peak is 2 (normalised), at t* = c ln(τ_d/τ_r), and g follows
    /// 2 A c (e^{−t/τ_d} − e^{−t/τ_r}).
    @Test func dualExponentialPeakIsNormalisedToTheWeight() {
        var s = DualExponentialSynapse(count: 1, dt: 0.0001, riseMS: 1, decayMS: 10, reversalMV: 0)
        s.spike(0, weight: 2)
        let g = Self.response(&s, steps: 600)
        let tStar = Double(DualExponentialSynapse.peakTime(riseMS: 1, decayMS: 10))
        #expect(abs(tStar - 10.0 / 9 * log(10.0)) < 1e-5)   // 2.558 ms
        let peak = g.indices.max { g[$0] < g[$1] } ?? 0
        #expect(abs(Double(peak + 1) * 0.1 - tStar) <= 0.1)
        #expect(abs((g.max() ?? 0) - 2) < 1e-3)
        let c = 10.0 / 9, a = Double(s.normalisation)
        for k in [4, 49, 299] {
            let t = Double(k + 1) * 0.1
            #expect(abs(Double(g[k]) - 2 * a * c * (exp(-t / 10) - exp(-t))) < 1e-4)
        }
    }

    /// AMPA from rest: during the 0.5 ms pulse r = r∞ (1 − e^{−(αT + β) t}), afterwards it
    /// decays as e^{−β t}; the current reverses at E.
    @Test func receptorKineticsFollowTheTwoPhases() {
        var s = AMPASynapse(count: 1, dt: 0.0001)
        s.spike(0, weight: 1)
        let g = Self.response(&s, steps: 105)
        let on = 0.98 * 0.5 + 0.18, rInf = 0.98 * 0.5 / on
        let rEnd = rInf * (1 - exp(-on * 0.5))
        #expect(abs(Double(g[4]) - rEnd) < 1e-6)
        #expect(abs(Double(g[104]) - rEnd * exp(-0.18 * 10)) < 1e-6)
        #expect(s.current(0, v: 0) == 0)
        var i = GABAASynapse(count: 1, dt: 0.0001)
        i.spike(0, weight: 1)
        i.step()
        #expect(i.current(0, v: -80) == 0)
        #expect(i.current(0, v: -60) > 0)               // outward at rest: inhibitory
    }

    /// The Mg²⁺ block at hand-computed voltages: B(0) = 1/(1 + 1.2/3.57) = 0.74843, B(−60 mV) =
    /// 1/(1 + e^{3.72} · 0.33613) = 0.067248; it rises monotonically with V; without Mg it is 1.
    @Test func nmdaMagnesiumBlockMatchesJahrStevens() {
        let s = NMDASynapse(count: 1, dt: 0.0001)
        #expect(abs(s.block(v: 0) - 0.748428) < 1e-5)
        #expect(abs(s.block(v: -60) - 0.067248) < 1e-5)
        #expect(s.block(v: -80) < s.block(v: -40) && s.block(v: -40) < s.block(v: 20))
        #expect(NMDASynapse(count: 1, dt: 0.0001, magnesiumMM: 0).block(v: -70) == 1)
    }

    /// Mid-step exponential Euler at dt = 0.1 ms against an RK4 reference at 1 µs for one spike: within
    /// 1 % of the peak over 200 ms, and g stays in [0, 1] even at a coarse dt = 5 ms with a burst.
    @Test func nmdaExponentialEulerAgreesWithAFineReference() {
        var s = NMDASynapse(count: 1, dt: 0.0001)
        s.spike(0, weight: 1)
        let g = Self.response(&s, steps: 2000)
        var rg = 0.0, rx = 1.0
        let h = 0.001
        func f(_ g: Double, _ x: Double) -> (Double, Double) { (-g / 100 + 0.5 * x * (1 - g), -x / 2) }
        var reference: [Double] = []
        for k in 1...200_000 {
            let k1 = f(rg, rx), k2 = f(rg + h / 2 * k1.0, rx + h / 2 * k1.1)
            let k3 = f(rg + h / 2 * k2.0, rx + h / 2 * k2.1), k4 = f(rg + h * k3.0, rx + h * k3.1)
            rg += h / 6 * (k1.0 + 2 * k2.0 + 2 * k3.0 + k4.0)
            rx += h / 6 * (k1.1 + 2 * k2.1 + 2 * k3.1 + k4.1)
            if k % 100 == 0 { reference.append(rg) }
        }
        let top = reference.max() ?? 1
        let worst = zip(g, reference).map { abs(Double($0) - $1) }.max() ?? 1
        #expect(worst < 0.01 * top, "worst \(worst), peak \(top)")
        var coarse = NMDASynapse(count: 1, dt: 0.005)
        for _ in 0..<20 {
            coarse.spike(0, weight: 1)
            coarse.step()
            #expect(coarse.g[0] >= 0 && coarse.g[0] <= 1)
        }
    }

    /// Every registered model is found by name, builds with its count, and rests at g = 0.
    @Test func registryBuildsEveryModelAtRest() {
        #expect(SynapseModels.names == ["alpha", "dual_exponential", "ampa", "gaba_a", "nmda"])
        for name in SynapseModels.names {
            let model = SynapseModels.named(name)
            #expect(model != nil)
            guard var s = model?.make(count: 3, dt: 0.0001) else { continue }
            #expect(s.count == 3)
            s.step()
            #expect((0..<3).allSatisfy { s.conductance($0) == 0 })
        }
        #expect(SynapseModels.named("alpha_typo") == nil)
    }
}
