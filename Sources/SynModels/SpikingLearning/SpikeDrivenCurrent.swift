import SynCore

extension Matrix {
    /// The synaptic input of one time step from a list of presynaptic spikes:
    /// current_i += Σ_{j spiking} W[i, j] for W = self (post × pre, units of current per spike).
    /// Added column by column in spike order, so every caller gets the same rounding.
    @inline(__always)
    func addColumns(of spikes: SpikeBuffer, into current: inout [Float]) {
        let rows = self.rows, cols = self.cols
        precondition(current.count == rows)
        storage.withUnsafeBufferPointer { w in
            current.withUnsafeMutableBufferPointer { c in
                for k in 0..<spikes.count {
                    let j = Int(spikes[k])
                    for i in 0..<rows { c[i] += w[i * cols + j] }
                }
            }
        }
    }
}
