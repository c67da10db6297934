import Testing
import SynCore
@testable import SynModels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct SpectralTests {
    @Test(arguments: [2, 7, 64])
    func flatSpectrumHasFullParticipationAndMaximalEntropy(_ n: Int) {
        let flat = [Double](repeating: 2.5, count: n)
        #expect(abs(SpectralMetrics.participationRatio(flat) - Double(n)) < 1e-9)
        #expect(abs(SpectralMetrics.spectralEntropy(flat) - log(Double(n))) < 1e-9)
        #expect(abs(SpectralMetrics.earlyEnrichment(flat)) < 1e-12)
    }

    /// One spike among D = 10: PR = 1, SE = 0 and, with the paper's D/2 normalisation,
    /// EEE = sum_k (1 - k/D) / (D/2) = ((D - 1)/2) / (D/2) = 1 - 1/D = 0.9 (not 1).
    @Test func oneSpikeHasParticipationOneEntropyZeroEnrichmentOneMinusOneOverD() {
        let spike = [3.0] + [Double](repeating: 0, count: 9)
        #expect(abs(SpectralMetrics.participationRatio(spike) - 1) < 1e-9)
        #expect(abs(SpectralMetrics.spectralEntropy(spike)) < 1e-9)
        #expect(abs(SpectralMetrics.earlyEnrichment(spike) - 0.9) < 1e-9)
    }

    /// Two equal eigenvalues out of four: PR = 2, SE = log 2, and
    /// EEE = sum_k (c_k - k/4) / (4/2) = (1/4 + 1/2 + 1/4 + 0) / 2 = 1/2.
    @Test func halfFlatSpectrumHasTheHandComputedValues() {
        let l = [1.0, 0, 1, 0]
        #expect(abs(SpectralMetrics.participationRatio(l) - 2) < 1e-9)
        #expect(abs(SpectralMetrics.spectralEntropy(l) - log(2)) < 1e-9)
        #expect(abs(SpectralMetrics.earlyEnrichment(l) - 0.5) < 1e-9)
    }

    /// p = (0.4, 0.3, 0.2, 0.1) (given unsorted and scaled): c = (0.4, 0.7, 0.9, 1) against the
    /// diagonal (1/4, 1/2, 3/4, 1), area 0.5, EEE = 0.5 / 2 = 1/4; PR = 1 / sum p^2 = 1 / 0.3;
    /// SE = -sum p log p.
    @Test func linearSpectrumMatchesTheDefinitions() {
        let l = [2.0, 8, 4, 6]
        let p = [0.4, 0.3, 0.2, 0.1]
        #expect(abs(SpectralMetrics.earlyEnrichment(l) - 0.25) < 1e-12)
        #expect(abs(SpectralMetrics.participationRatio(l) - 1 / 0.3) < 1e-12)
        #expect(abs(SpectralMetrics.spectralEntropy(l) - p.reduce(0) { $0 - $1 * log($1) }) < 1e-9)
    }

    @Test func enrichmentStaysInTheUnitIntervalAndGrowsWithDecay() {
        var last = -1.0
        for decay in [1.0, 0.9, 0.7, 0.5, 0.2, 0.01] {
            let l = (0..<20).map { pow(decay, Double($0)) }
            let e = SpectralMetrics.earlyEnrichment(l)
            #expect(e >= 0 && e <= 1)
            #expect(e > last)
            last = e
        }
    }

    /// JS(p, p) = 0 whatever the scale; JS between disjoint one-hot spectra is log 2 (the maximum).
    @Test func jensenShannonIsZeroForTheSameShapeAndLog2ForDisjoint() {
        let a = [4.0, 2, 1, 0.5]
        #expect(SpectralMetrics.jensenShannon(a, a.map { $0 * 7 }) < 1e-15)
        // Sorted descending, two spikes coincide; disjointness needs unequal lengths: [1] vs [0.5, 0.5].
        let js = SpectralMetrics.jensenShannon([1, 0], [1, 1])
        // p = (1, 0), q = (1/2, 1/2): JS = 1/2 [1 log(1/(3/4))] + 1/2 [1/2 log((1/2)/(3/4)) + 1/2 log((1/2)/(1/4))]
        let expected = 0.5 * log(4.0 / 3) + 0.25 * log(2.0 / 3) + 0.25 * log(2)
        #expect(abs(js - expected) < 1e-10)  // the 1e-12 smoothing inside the logs shifts it by ~1e-11
        #expect(js > 0 && js < log(2))
    }

    /// The covariance spectrum of low-rank Gaussian data recovers the planted eigenvalues
    /// s_k^2 + noise^2 within sampling error (2000 samples: relative error ~ sqrt(2/2000) ~ 3 %).
    @Test func covarianceSpectrumOfLowRankDataMatchesThePlantedSpectrum() {
        var rng = RNG(seed: 4).stream("task")
        let task = Tasks.lowRank(count: 2000, dims: 12, rank: 3, decay: 0.5, noise: 0.1, rng: &rng)
        let l = SpectralMetrics.covarianceSpectrum(task.train.x)
        let planted = [1.0, 0.25, 0.0625].map { $0 + 0.01 }
        for k in 0..<3 { #expect(abs(l[k] - planted[k]) / planted[k] < 0.15, "eigenvalue \(k): \(l[k]) vs \(planted[k])") }
        #expect(l[3] < 0.02)
    }

    @Test func activityWindowKeepsTheMostRecentRowsOldestFirst() {
        var w = ActivityWindow(width: 2, capacity: 3)
        for i in 0..<5 {
            let v: [Float] = [Float(i), Float(10 * i)]
            v.withUnsafeBufferPointer { w.append($0.baseAddress!) }
        }
        #expect(w.matrix() == Matrix(rows: 3, cols: 2, storage: [2, 20, 3, 30, 4, 40]))
    }

    /// A diverged layer gives NaN metrics (flagged by the runner), not a crash in the solver.
    @Test func nonFiniteActivityGivesNaNMetrics() {
        var m = Matrix(rows: 4, cols: 3) { r, c in Float(r * 3 + c) }
        m[2, 1] = .infinity
        let l = SpectralMetrics.covarianceSpectrum(m)
        #expect(l.count == 3 && l.allSatisfy(\.isNaN))
        #expect(SpectralMetrics.spectralEntropy(l).isNaN && SpectralMetrics.participationRatio(l).isNaN)
        #expect(SpectralMetrics.earlyEnrichment(l).isNaN && SpectralMetrics.jensenShannon(l, [1, 2, 3]).isNaN)
    }
}
