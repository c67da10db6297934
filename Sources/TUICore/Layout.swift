/// How much of a row or column one part of a `Layout` gets.
public enum Constraint: Sendable, Hashable {
    /// Exactly `n` cells (less only when the whole area is too small).
    case fixed(Int)
    /// `a/b` of the available length, rounded to nearest (cumulatively over the ratio parts, so
    /// ratios adding up to 1 fill the length exactly).
    case ratio(Int, Int)
    /// A share of whatever is left after fixed, ratio and minimum sizes, proportional to `n`.
    case weight(Int)
    /// At least `n` cells, then a weight-1 share of what is left.
    case min(Int)
}

/// Splits a rectangle into rows or columns by constraints, with integer rounding that always
/// gives the same answer for the same input.
///
/// The algorithm, in order:
/// 1. the length available to parts is the rect's length minus `spacing` between parts (spacing
///    is dropped if it alone would not fit);
/// 2. each `.fixed(n)`, `.min(n)` and `.ratio(a, b)` asks for its base size; parts are granted
///    their base in order until the length runs out, so when the area is smaller than the sum of
///    fixed parts the later parts shrink (to zero if need be) and nothing crashes;
/// 3. what is left is shared among `.weight(w)` and `.min` (weight 1) parts by the largest-remainder
///    method (ties go to the earlier part), so with any such part the sizes add up exactly;
///    without one, what is left stays empty at the end.
public struct Layout: Sendable, Hashable {
    /// The axis along which the parts are placed.
    public enum Direction: Sendable, Hashable {
        /// Parts side by side, left to right.
        case horizontal
        /// Parts stacked, top to bottom.
        case vertical
    }

    public var direction: Direction
    public var constraints: [Constraint]
    /// Empty cells between neighbouring parts.
    public var spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = max(0, spacing)
    }

    /// The parts of `area`, one per constraint.
    public func split(_ area: Rect) -> [Rect] {
        let length = direction == .horizontal ? area.width : area.height
        let sizes = Layout.sizes(length: length, constraints: constraints, spacing: spacing)
        let gap = Layout.effectiveSpacing(length: length, count: constraints.count, spacing: spacing)
        var rects: [Rect] = []
        rects.reserveCapacity(sizes.count)
        var offset = 0
        for size in sizes {
            switch direction {
            case .horizontal:
                rects.append(Rect(x: area.x + offset, y: area.y, width: size, height: area.height))
            case .vertical:
                rects.append(Rect(x: area.x, y: area.y + offset, width: area.width, height: size))
            }
            offset += size + gap
        }
        return rects
    }

    /// The sizes along the split direction (see the type's doc for the rules).
    public static func sizes(length: Int, constraints: [Constraint], spacing: Int = 0) -> [Int] {
        let count = constraints.count
        guard count > 0 else { return [] }
        let gap = effectiveSpacing(length: length, count: count, spacing: spacing)
        let available = max(0, length - gap * (count - 1))

        var sizes = [Int](repeating: 0, count: count)
        var remaining = available
        var weights = [Int](repeating: 0, count: count)
        var ratioSum = 0.0, ratioEnd = 0
        for (i, c) in constraints.enumerated() {
            let base: Int
            switch c {
            case let .fixed(n): base = max(0, n)
            case let .min(n): base = max(0, n); weights[i] = 1
            case let .weight(w): base = 0; weights[i] = Swift.min(max(0, w), 1 << 20)  // no overflow below
            case let .ratio(a, b):
                // Cumulative rounding: ratios that add up to 1 fill the length exactly.
                ratioSum += b > 0 ? Double(max(0, a)) / Double(b) : 0
                let end = Int((Double(available) * Swift.min(ratioSum, 1)).rounded())
                base = max(0, end - ratioEnd)
                ratioEnd = end
            }
            sizes[i] = Swift.min(base, remaining)
            remaining -= sizes[i]
        }
        let totalWeight = weights.reduce(0, +)
        guard remaining > 0, totalWeight > 0 else { return sizes }
        // Largest remainder: floor shares first, then one extra cell to the largest fractions.
        var given = 0
        var fractions: [(remainder: Int, index: Int)] = []
        for i in 0..<count where weights[i] > 0 {
            let share = remaining * weights[i]
            sizes[i] += share / totalWeight
            given += share / totalWeight
            fractions.append((share % totalWeight, i))
        }
        fractions.sort { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }
        for k in 0..<(remaining - given) {
            sizes[fractions[k].index] += 1
        }
        return sizes
    }

    static func effectiveSpacing(length: Int, count: Int, spacing: Int) -> Int {
        guard count > 1 else { return 0 }
        return spacing * (count - 1) <= length ? spacing : 0
    }
}
