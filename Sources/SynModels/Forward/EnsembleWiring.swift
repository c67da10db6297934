import SynCore

/// The ensemble-to-ensemble wiring of one layer (G2GNet, reconstructed): the `inputs` units and
/// the `outputs` units are each cut into `groups` contiguous ensembles (for 8x8 digits the input
/// ensembles are the 8 image rows), and source ensemble a may reach only the target ensembles
/// S(a) = {π((a + k) mod G) : k < |S|}, π a random permutation: every target ensemble then
/// receives from exactly |S| sources. Inside the allowed blocks a random subset of edges is
/// active; the edge count is fixed by the layer's sparsity, the same for every arm.
///
/// Matrices are `outputs` × `inputs`, row-major (the `MLPLayout` weight layout).
public struct EnsembleWiring: Sendable, Equatable {
    public let inputs: Int
    public let outputs: Int
    public let groups: Int
    /// allowed[j * inputs + i]: edge i → j lies in an allowed block.
    public let allowed: [Bool]
    /// Allowed target ensembles of each source ensemble.
    public let targets: [[Int]]

    /// Ensembles of `inputs` and `outputs` units (both divisible by `groups`), each source
    /// ensemble reaching `blocks` (1...groups) target ensembles.
    public init(inputs: Int, outputs: Int, groups: Int, blocks: Int, rng: inout RNG) {
        precondition(groups >= 1 && inputs % groups == 0 && outputs % groups == 0 && (1...groups).contains(blocks))
        self.inputs = inputs
        self.outputs = outputs
        self.groups = groups
        var perm = Array(0..<groups)
        rng.shuffle(&perm)
        let targets = (0..<groups).map { a in (0..<blocks).map { perm[(a + $0) % groups] } }
        self.targets = targets
        let inSize = inputs / groups, outSize = outputs / groups
        var allowed = [Bool](repeating: false, count: inputs * outputs)
        for j in 0..<outputs {
            for i in 0..<inputs where targets[i / inSize].contains(j / outSize) { allowed[j * inputs + i] = true }
        }
        self.allowed = allowed
    }

    /// A dense wiring (every block allowed), for the unstructured arms.
    public init(dense inputs: Int, outputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
        groups = 1
        allowed = [Bool](repeating: true, count: inputs * outputs)
        targets = [[0]]
    }

    /// Number of allowed edges.
    public var allowedCount: Int { allowed.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// A 0/1 mask with exactly `edges` active edges drawn uniformly among the allowed ones
    /// (all of them when fewer are allowed).
    public func randomMask(edges: Int, rng: inout RNG) -> [Float] {
        var candidates = allowed.indices.filter { allowed[$0] }
        rng.shuffle(&candidates)
        var mask = [Float](repeating: 0, count: allowed.count)
        for k in candidates.prefix(max(0, edges)) { mask[k] = 1 }
        return mask
    }
}
