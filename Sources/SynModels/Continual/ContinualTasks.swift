import SynCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Task sequences for continual learning built from one supervised task (the digits): each task
/// of a sequence is a `SupervisedTask` with the same input and output sizes, so one network with
/// a shared head learns them in order (science README, "Shared substrate").
///
/// - permuted: task t applies a fixed pixel permutation π_t to every input, π_1 = identity,
///   the others drawn from the "permutations" stream of the seed (domain-incremental);
/// - split: task t keeps only the samples of classes {c·t, ..., c·t + c − 1} (class-incremental,
///   10-way head);
/// - rotated: task t rotates every image by φ_t degrees about its centre (bilinear, outside = 0).
public enum ContinualTasks {
    /// `count` permuted copies of `base`: the first is unpermuted, each later one applies its own
    /// random permutation of the inputs (the same one to the train and test split).
    public static func permuted(_ base: SupervisedTask, count: Int, rng: inout RNG) -> [SupervisedTask] {
        (0..<count).map { t in
            let pi = t == 0 ? Array(0..<base.inputs) : randomPermutation(base.inputs, rng: &rng)
            var task = base
            task.name = "\(base.name) π\(t + 1)"
            task.train = permute(base.train, pi)
            task.test = permute(base.test, pi)
            return task
        }
    }

    /// Tasks of `classesPerTask` consecutive classes each ({0,1}, {2,3}, ... for 2): each keeps the
    /// samples of its classes only, with the full one-hot targets (one shared head).
    public static func split(_ base: SupervisedTask, classesPerTask: Int) -> [SupervisedTask] {
        precondition(base.classes > 0 && classesPerTask > 0)
        let tasks = (base.classes + classesPerTask - 1) / classesPerTask
        return (0..<tasks).map { t in
            let classes = (t * classesPerTask)..<min(base.classes, (t + 1) * classesPerTask)
            var task = base
            task.name = "classes \(classes.lowerBound)-\(classes.upperBound - 1)"
            task.train = select(base.train, classes: classes)
            task.test = select(base.test, classes: classes)
            return task
        }
    }

    /// One task per angle (degrees): every image of `base` (rows x cols) rotated by that angle.
    public static func rotated(_ base: SupervisedTask, degrees: [Double]) -> [SupervisedTask] {
        precondition(base.imageRows * base.imageCols == base.inputs, "rotation needs image inputs")
        return degrees.map { phi in
            var task = base
            task.name = "\(base.name) \(Int(phi.rounded()))°"
            task.train = rotate(base.train, degrees: phi, rows: base.imageRows, cols: base.imageCols)
            task.test = rotate(base.test, degrees: phi, rows: base.imageRows, cols: base.imageCols)
            return task
        }
    }

    /// A uniformly random permutation of 0..<n (Fisher-Yates on `rng`).
    public static func randomPermutation(_ n: Int, rng: inout RNG) -> [Int] {
        var p = Array(0..<n)
        rng.shuffle(&p)
        return p
    }

    /// The set with input feature j of every sample replaced by feature π[j].
    public static func permute(_ set: TaskSet, _ pi: [Int]) -> TaskSet {
        precondition(pi.count == set.inputs)
        var out = set
        let d = set.inputs
        for i in 0..<set.count {
            for j in 0..<d { out.x.storage[i * d + j] = set.x.storage[i * d + pi[j]] }
        }
        return out
    }

    /// The samples of `set` whose label is in `classes`, in their original order.
    public static func select(_ set: TaskSet, classes: Range<Int>) -> TaskSet {
        let keep = set.labels.indices.filter { classes.contains(set.labels[$0]) }
        let d = set.inputs, o = set.outputs
        var x = Matrix(rows: keep.count, cols: d), y = Matrix(rows: keep.count, cols: o)
        for (r, i) in keep.enumerated() {
            for j in 0..<d { x.storage[r * d + j] = set.x.storage[i * d + j] }
            for k in 0..<o { y.storage[r * o + k] = set.y.storage[i * o + k] }
        }
        return TaskSet(x: x, y: y, labels: keep.map { set.labels[$0] })
    }

    /// Every image rotated by `degrees` about its centre ((rows − 1)/2, (cols − 1)/2): output
    /// pixel p reads the input at R(−φ) (p − c) + c by bilinear interpolation, 0 outside.
    public static func rotate(_ set: TaskSet, degrees: Double, rows: Int, cols: Int) -> TaskSet {
        var out = set
        let d = rows * cols
        let phi = degrees * Double.pi / 180
        let c = cos(phi), s = sin(phi)
        let cy = Double(rows - 1) / 2, cx = Double(cols - 1) / 2
        // Source coordinates and weights depend only on the pixel: compute them once.
        var taps: [(Int, Float)] = []
        var tapStart = [0]
        for r in 0..<rows {
            for q in 0..<cols {
                let dy = Double(r) - cy, dx = Double(q) - cx
                let sy = c * dy + s * dx + cy, sx = -s * dy + c * dx + cx
                let y0 = Int(floor(sy)), x0 = Int(floor(sx))
                let fy = sy - Double(y0), fx = sx - Double(x0)
                for (yy, wy) in [(y0, 1 - fy), (y0 + 1, fy)] {
                    for (xx, wx) in [(x0, 1 - fx), (x0 + 1, fx)] {
                        let w = wy * wx
                        if w > 1e-9, yy >= 0, yy < rows, xx >= 0, xx < cols { taps.append((yy * cols + xx, Float(w))) }
                    }
                }
                tapStart.append(taps.count)
            }
        }
        for i in 0..<set.count {
            for p in 0..<d {
                var v: Float = 0
                for k in tapStart[p]..<tapStart[p + 1] { v += taps[k].1 * set.x.storage[i * d + taps[k].0] }
                out.x.storage[i * d + p] = v
            }
        }
        return out
    }
}
