/// A rectangle of cells: columns `x..<x+width`, rows `y..<y+height`. Widths and heights are never
/// negative; operations that would make them so clamp to zero.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A rectangle at the origin.
    public init(width: Int, height: Int) {
        self.init(x: 0, y: 0, width: width, height: height)
    }

    public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width == 0 || height == 0 }
    public var area: Int { width * height }
    public var description: String { "\(width)x\(height)+\(x)+\(y)" }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// The overlap of two rectangles (empty, positioned at the clamped corner, if none).
    public func intersection(_ other: Rect) -> Rect {
        let x0 = max(x, other.x), y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX), y1 = min(maxY, other.maxY)
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// Shrinks by `dx` columns on the left and right and `dy` rows on top and bottom.
    public func inset(dx: Int, dy: Int) -> Rect {
        let w = max(0, width - 2 * dx), h = max(0, height - 2 * dy)
        return Rect(x: x + min(dx, width / 2), y: y + min(dy, height / 2), width: w, height: h)
    }

    /// Shrinks by `n` cells on every side.
    public func inset(by n: Int) -> Rect { inset(dx: n, dy: n) }

    /// Splits into rows (top to bottom) by `constraints`; see `Layout`.
    public func rows(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout(.vertical, constraints, spacing: spacing).split(self)
    }

    /// Splits into columns (left to right) by `constraints`; see `Layout`.
    public func columns(_ constraints: [Constraint], spacing: Int = 0) -> [Rect] {
        Layout(.horizontal, constraints, spacing: spacing).split(self)
    }

    /// The top `n` rows and the rest.
    public func splitTop(_ n: Int) -> (top: Rect, rest: Rect) {
        let n = min(max(n, 0), height)
        return (Rect(x: x, y: y, width: width, height: n), Rect(x: x, y: y + n, width: width, height: height - n))
    }

    /// The bottom `n` rows and the rest.
    public func splitBottom(_ n: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(n, 0), height)
        return (Rect(x: x, y: y, width: width, height: height - n),
                Rect(x: x, y: maxY - n, width: width, height: n))
    }

    /// The left `n` columns and the rest.
    public func splitLeft(_ n: Int) -> (left: Rect, rest: Rect) {
        let n = min(max(n, 0), width)
        return (Rect(x: x, y: y, width: n, height: height), Rect(x: x + n, y: y, width: width - n, height: height))
    }

    /// The right `n` columns and the rest.
    public func splitRight(_ n: Int) -> (rest: Rect, right: Rect) {
        let n = min(max(n, 0), width)
        return (Rect(x: x, y: y, width: width - n, height: height),
                Rect(x: maxX - n, y: y, width: n, height: height))
    }

    /// A `width x height` rectangle centred in this one (clamped to fit).
    public func centered(width w: Int, height h: Int) -> Rect {
        let w = min(max(w, 0), width), h = min(max(h, 0), height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}
