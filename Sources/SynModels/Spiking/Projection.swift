import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A bundle of synapses from a pre to a post population stored in CSR by presynaptic neuron,
/// with integer-step transmission delays and weight bounds.
///
/// A spike of pre neuron i walks one contiguous row `rowStart[i]..<rowStart[i+1]` and adds
/// `weight[k]` (the synaptic jump, in the target variable's unit) to `target[post[k]]` —
/// event-driven propagation, O(out-degree) per spike. With delay d > 0 steps the jump is
/// parked in a ring of `maxDelay + 1` slots of post-sized buffers and lands d steps later, at
/// the propagation phase of step t + d (so delay 0 is Brian2's "no delay": a spike at step t
/// changes the target after that step's state update and affects v from step t + 1).
public struct Projection: Sendable {
    public let preCount: Int
    public let postCount: Int
    public private(set) var rowStart: [Int32]
    public private(set) var post: [Int32]
    /// Synaptic weights (plastic rules change these), one per synapse, in CSR order.
    public var weight: [Float]
    /// Per-synapse delays in steps (empty: every synapse uses `delaySteps`).
    public private(set) var delays: [Int16]
    /// Uniform delay in steps when `delays` is empty.
    public let delaySteps: Int
    /// Weight bounds applied by plasticity.
    public var wMin: Float
    public var wMax: Float
    /// Column index: for post neuron j, the synapse indices `colSyn[colStart[j]..<colStart[j+1]]`.
    public private(set) var colStart: [Int32]
    public private(set) var colSyn: [Int32]
    /// Presynaptic neuron of each synapse (for post-triggered updates).
    public private(set) var pre: [Int32]
    var ring: [Float]
    let ringSlots: Int

    /// Largest number of synapses a projection may hold (memory guard: 12 bytes per synapse).
    public static let maxSynapses = 50_000_000

    /// Builds a projection. `weight(i, j, rng)` gives the initial weight of synapse i -> j;
    /// `delay(i, j, rng)` its delay in steps (nil: all `delaySteps`). When pre and post are parts
    /// of one group, pre neuron i is the same cell as post neuron `i + selfOffset` (for
    /// `allowSelf: false`).
    public init(pre: Int, post: Int, connectivity: Connectivity, rng: inout RNG, selfOffset: Int = 0,
                delaySteps: Int = 0, wMin: Float = -.infinity, wMax: Float = .infinity,
                weight: (Int, Int, inout RNG) -> Float,
                delay: ((Int, Int, inout RNG) -> Int)? = nil) {
        precondition(pre >= 0 && post >= 0 && delaySteps >= 0)
        let (rowStart, cols) = connectivity.draw(rows: pre, cols: post, selfOffset: selfOffset, rng: &rng)
        precondition(cols.count <= Self.maxSynapses, "projection exceeds \(Self.maxSynapses) synapses")
        var w = [Float](repeating: 0, count: cols.count)
        var d: [Int16] = []
        if delay != nil { d = [Int16](repeating: 0, count: cols.count) }
        var maxDelay = delaySteps
        for i in 0..<pre {
            for k in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                w[k] = weight(i, Int(cols[k]), &rng)
                if let delay {
                    let dk = max(0, min(Int(Int16.max), delay(i, Int(cols[k]), &rng)))
                    d[k] = Int16(dk)
                    maxDelay = max(maxDelay, dk)
                }
            }
        }
        self.init(pre: pre, post: post, rowStart: rowStart, post: cols, weight: w, delays: d,
                  delaySteps: delaySteps, maxDelay: maxDelay, wMin: wMin, wMax: wMax)
    }

    /// Builds from CSR arrays (validated).
    public init(pre: Int, post: Int, rowStart: [Int32], post cols: [Int32], weight: [Float], delays: [Int16] = [],
                delaySteps: Int = 0, wMin: Float = -.infinity, wMax: Float = .infinity) {
        let maxDelay = max(delaySteps, Int(delays.max() ?? 0))
        self.init(pre: pre, post: post, rowStart: rowStart, post: cols, weight: weight, delays: delays,
                  delaySteps: delaySteps, maxDelay: maxDelay, wMin: wMin, wMax: wMax)
    }

    private init(pre: Int, post: Int, rowStart: [Int32], post cols: [Int32], weight: [Float], delays: [Int16],
                 delaySteps: Int, maxDelay: Int, wMin: Float, wMax: Float) {
        precondition(rowStart.count == pre + 1 && Int(rowStart[pre]) == cols.count && weight.count == cols.count)
        precondition(delays.isEmpty || delays.count == cols.count)
        precondition(cols.allSatisfy { $0 >= 0 && Int($0) < post })
        preCount = pre
        postCount = post
        self.rowStart = rowStart
        self.post = cols
        self.weight = weight
        self.delays = delays
        self.delaySteps = delaySteps
        self.wMin = wMin
        self.wMax = wMax
        var preOf = [Int32](repeating: 0, count: cols.count)
        var colCount = [Int32](repeating: 0, count: post + 1)
        for i in 0..<pre {
            for k in Int(rowStart[i])..<Int(rowStart[i + 1]) {
                preOf[k] = Int32(i)
                colCount[Int(cols[k]) + 1] += 1
            }
        }
        for j in 0..<post { colCount[j + 1] += colCount[j] }
        var next = colCount
        var colSyn = [Int32](repeating: 0, count: cols.count)
        for k in 0..<cols.count {
            let j = Int(cols[k])
            colSyn[Int(next[j])] = Int32(k)
            next[j] += 1
        }
        self.pre = preOf
        colStart = colCount
        self.colSyn = colSyn
        ringSlots = maxDelay == 0 ? 0 : maxDelay + 1
        ring = [Float](repeating: 0, count: ringSlots * post)
    }

    /// Number of synapses.
    public var synapseCount: Int { post.count }

    /// Out-degree of pre neuron i.
    @inline(__always) public func outDegree(_ i: Int) -> Int { Int(rowStart[i + 1] - rowStart[i]) }

    /// The CSR as a `SparseMatrix` (pre x post).
    public var sparse: SparseMatrix {
        SparseMatrix(rows: preCount, cols: postCount, rowStart: rowStart, colIndex: post, values: weight)
    }

    /// Synaptic propagation for step `step`: first lands the delayed jumps due now, then sends
    /// the spikes `spikes[k] - offset` (those in `0..<preCount`) into `target` (post-sized).
    /// Every jump landing in `target` is multiplied by `scale` (the target's storage scale, e.g.
    /// `LIFGroup.excitatoryInputScale`; jumps in flight are stored unscaled).
    /// Returns the number of synaptic events sent.
    @discardableResult @inline(__always)
    public mutating func propagate(_ spikes: SpikeBuffer, offset: Int32 = 0, step: Int,
                                   into target: inout [Float], scale: Float = 1) -> Int {
        var events = 0
        if ringSlots > 0 {
            let base = (step % ringSlots) * postCount
            ring.withUnsafeMutableBufferPointer { rp in
                target.withUnsafeMutableBufferPointer { tp in
                    for j in 0..<postCount {
                        tp[j] += rp[base + j] * scale
                        rp[base + j] = 0
                    }
                }
            }
        }
        let n = preCount
        rowStart.withUnsafeBufferPointer { rs in
        post.withUnsafeBufferPointer { cols in
        weight.withUnsafeBufferPointer { w in
        target.withUnsafeMutableBufferPointer { tp in
            if ringSlots == 0 {
                for s in 0..<spikes.count {
                    let i = Int(spikes[s] - offset)
                    guard i >= 0 && i < n else { continue }
                    let lo = Int(rs[i]), hi = Int(rs[i + 1])
                    events += hi - lo
                    if scale == 1 {
                        for k in lo..<hi { tp[Int(cols[k])] += w[k] }
                    } else {
                        for k in lo..<hi { tp[Int(cols[k])] += w[k] * scale }
                    }
                }
            } else {
                ring.withUnsafeMutableBufferPointer { rp in
                    delays.withUnsafeBufferPointer { dp in
                        let uniform = dp.isEmpty
                        for s in 0..<spikes.count {
                            let i = Int(spikes[s] - offset)
                            guard i >= 0 && i < n else { continue }
                            let lo = Int(rs[i]), hi = Int(rs[i + 1])
                            events += hi - lo
                            for k in lo..<hi {
                                let d = uniform ? delaySteps : Int(dp[k])
                                if d == 0 {
                                    tp[Int(cols[k])] += w[k] * scale
                                } else {
                                    rp[((step + d) % ringSlots) * postCount + Int(cols[k])] += w[k]
                                }
                            }
                        }
                    }
                }
            }
        }}}}
        return events
    }

    /// Clears jumps in flight (used when a simulation is rebuilt; not during a run).
    public mutating func clearInFlight() {
        for k in 0..<ring.count { ring[k] = 0 }
    }
}
