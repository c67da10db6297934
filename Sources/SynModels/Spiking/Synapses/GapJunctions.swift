import SynCore

/// Electrical synapses (gap junctions): ohmic, symmetric coupling between pairs of neurons,
///
///     I_gap,i = g sum_{j in N(i)} (V_j - V_i)          (pA = nS x mV)
///
/// added to each coupled neuron's injected current from the potentials at the start of the step
/// (the coupling is explicit, the membrane update keeps its own integrator; stable while
/// g k dt / C << 1 for k partners, e.g. 4 x 10 nS x 0.1 ms / 200 pF = 0.02). Two coupled passive
/// neurons' difference V_1 - V_2 then decays at (gL + 2 g) / C while their mean decays at gL / C
/// (`SpikingGapJunctionTests`). In cortex they couple mainly inhibitory interneurons and
/// synchronise them (Galarreta & Hestrin 1999); BrainPy and NEST offer them as a synapse model.
public struct GapJunctions: Sendable, Equatable {
    /// Coupling conductance g of every junction (nS); 0 turns the coupling off.
    public var conductanceNS: Float
    /// The coupled neurons (their currents are rewritten every step).
    public let population: Range<Int>
    /// The junctions: neuron a[k] coupled to neuron b[k] (a < b, no pair twice), sorted.
    public let a: [Int32]
    public let b: [Int32]

    /// Junctions given as pairs of neuron indices inside `population`.
    public init(pairs: [(Int, Int)], population: Range<Int>, conductanceNS: Double) {
        var seen = Set<Int64>()
        var list: [(Int32, Int32)] = []
        for (x, y) in pairs where x != y && population.contains(x) && population.contains(y) {
            let (lo, hi) = (min(x, y), max(x, y))
            if seen.insert(Int64(lo) << 32 | Int64(hi)).inserted { list.append((Int32(lo), Int32(hi))) }
        }
        list.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        a = list.map(\.0)
        b = list.map(\.1)
        self.population = population
        self.conductanceNS = Float(conductanceNS)
    }

    /// Random junctions inside `population`: each neuron has `partners` partners on average
    /// (round(m k / 2) distinct pairs drawn uniformly, m = population size).
    public init(population: Range<Int>, partners: Double, conductanceNS: Double, rng: inout RNG) {
        let m = population.count
        let possible = m * (m - 1) / 2
        let wanted = min(possible, Int((Double(m) * partners / 2).rounded()))
        var seen = Set<Int64>()
        var pairs: [(Int, Int)] = []
        while pairs.count < wanted {
            let x = population.lowerBound + rng.int(below: m), y = population.lowerBound + rng.int(below: m)
            guard x != y, seen.insert(Int64(min(x, y)) << 32 | Int64(max(x, y))).inserted else { continue }
            pairs.append((x, y))
        }
        self.init(pairs: pairs, population: population, conductanceNS: conductanceNS)
    }

    public var count: Int { a.count }

    /// current_i <- base + I_gap,i for every neuron of the population, from the potentials `v`.
    public func apply(v: [Float], base: Float, into current: inout [Float]) {
        let g = conductanceNS
        current.withUnsafeMutableBufferPointer { cb in
            v.withUnsafeBufferPointer { vb in
                a.withUnsafeBufferPointer { ab in
                    b.withUnsafeBufferPointer { bb in
                        guard let c = cb.baseAddress, let vp = vb.baseAddress, let ap = ab.baseAddress, let bp = bb.baseAddress else { return }
                        for i in population { c[i] = base }
                        for k in 0..<ab.count {
                            let i = Int(ap[k]), j = Int(bp[k])
                            let flow = g * (vp[j] - vp[i])
                            c[i] += flow
                            c[j] -= flow
                        }
                    }
                }
            }
        }
    }
}
