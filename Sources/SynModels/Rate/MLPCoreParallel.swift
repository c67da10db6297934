import SynCore

/// The fused online SGD step of `MLPCore.sgdStep` shared over the threads of a `WorkerPool`,
/// for wide networks whose per-sample passes are worth splitting.
///
/// Every pass is cut on multiples of 8 units, where the serial SIMD kernels already change
/// vectors, so each number gets the same operations in the same order as on one thread (the
/// parameters after any number of samples are bit-identical, `MLPCoreParallelTests`):
/// - forward: the rows of z_{l+1} = W_l a_l + b_l (and the activation, except softmax, which
///   participant 0 applies to the whole output layer after the barrier);
/// - backward: the columns of delta_{l-1} = W_l^T delta_l (each thread owns a slice of
///   delta_{l-1} and sums over every row of W_l in the serial order), or the rows of the direct
///   feedback B_l e for DFA;
/// - update: the rows of W_l <- W_l - eta delta_l a_l^T and b_l.
/// A barrier separates passes that read what another thread wrote: about 3 L barriers per sample.
extension MLPCore {
    /// Parameters (weights and biases) from which `MLPLearner` shares a sample's SGD step with the
    /// thread's `ComputePool`: about 3 x 0.26 M multiply-adds, ~100 us of one core, against a few
    /// microseconds to wake the pool and cross its barriers.
    public static let parallelWeights = 1 << 18

    /// Granule of every cut (one SIMD8 vector): keeps the vector/scalar split of each kernel.
    static let granule = 8

    /// `sgdStep` on `pool`'s threads (same result); not for curl descent's presynaptic signs.
    @discardableResult
    public func sgdStep(_ x: UnsafePointer<Float>, _ t: UnsafePointer<Float>, eta: Float, feedback mode: ErrorFeedback,
                        pool: WorkerPool) -> Float {
        let parts = pool.count
        let lay = layout
        let s = lay.sizes
        let L = lay.layers
        let job = ParallelStep(core: self, x: x, t: t)
        let loss = OwnedBox<Float>(0)
        // cuts[l]: the slices of layer l's units, one per participant.
        let cuts = s.map { WorkerPool.partition($0, parts: parts, granule: Self.granule) }
        pool.run { p in
            let c = job.core
            let x = job.x
            func slice(_ l: Int) -> Range<Int> {
                cuts[l].indices.contains(p) ? cuts[l][p] : s[l]..<s[l]
            }
            // Forward.
            if p == 0 { (c.w + lay.aOffset[0]).update(from: x, count: s[0]) }
            pool.barrier()
            for l in 0..<L {
                let r = slice(l + 1)
                let z = c.w + lay.zOffset[l], a = c.w + lay.aOffset[l + 1]
                let act = c.activation(l)
                if !r.isEmpty {
                    RateKernels.gemv(c.p + lay.wOffset[l] + r.lowerBound * s[l], rows: r.count, cols: s[l], c.w + lay.aOffset[l],
                                     bias: c.p + lay.bOffset[l] + r.lowerBound, into: z + r.lowerBound)
                    if act != .softmax { act.apply(z + r.lowerBound, a + r.lowerBound, r.count) }
                }
                pool.barrier()
                if act == .softmax {
                    if p == 0 { act.apply(z, a, s[l + 1]) }
                    pool.barrier()
                }
            }
            if p == 0 { loss.value = c.outputDelta(job.t) }
            pool.barrier()
            // Direct feedback: every hidden delta from the output error at once.
            if mode == .directFeedbackAlignment {
                let dOut = c.w + lay.dOffset[L - 1]
                for l in 0..<(L - 1) {
                    let r = slice(l + 1)
                    guard !r.isEmpty else { continue }
                    let d = c.w + lay.dOffset[l] + r.lowerBound
                    RateKernels.gemv(c.fb + c.dfaOffset[l] + r.lowerBound * lay.outputs, rows: r.count, cols: lay.outputs, dOut,
                                     bias: nil, into: d)
                    c.hidden.multiplyDerivative(c.w + lay.zOffset[l] + r.lowerBound, c.w + lay.aOffset[l + 1] + r.lowerBound, d, r.count)
                }
                pool.barrier()
            }
            // From the top layer down: delta_{l-1} from the not-yet-updated W_l, a barrier, then W_l.
            let base = mode == .backprop ? c.p : c.fb
            for l in stride(from: L - 1, through: 0, by: -1) {
                let d = c.w + lay.dOffset[l]
                if l > 0 && mode != .directFeedbackAlignment {
                    let r = slice(l)
                    if !r.isEmpty {
                        let dPrev = c.w + lay.dOffset[l - 1] + r.lowerBound
                        dPrev.update(repeating: 0, count: r.count)
                        let wl = base + lay.wOffset[l] + r.lowerBound
                        for row in 0..<s[l + 1] where d[row] != 0 {
                            RateKernels.axpy(d[row], wl + row * s[l], dPrev, r.count)
                        }
                        c.hidden.multiplyDerivative(c.w + lay.zOffset[l - 1] + r.lowerBound, c.w + lay.aOffset[l] + r.lowerBound,
                                                    dPrev, r.count)
                    }
                    pool.barrier()
                }
                let r = slice(l + 1)
                if !r.isEmpty {
                    RateKernels.ger(-eta, d + r.lowerBound, c.w + lay.aOffset[l], c.p + lay.wOffset[l] + r.lowerBound * s[l],
                                    rows: r.count, cols: s[l])
                    RateKernels.axpy(-eta, d + r.lowerBound, c.p + lay.bOffset[l] + r.lowerBound, r.count)
                }
            }
        }
        return loss.value
    }
}

/// The raw pointers of one step, handed to the pool's participants; each writes only the
/// slices it owns between barriers (see `sgdStep(_:_:eta:feedback:pool:)`).
private struct ParallelStep: @unchecked Sendable {
    let core: MLPCore
    let x: UnsafePointer<Float>
    let t: UnsafePointer<Float>
}
