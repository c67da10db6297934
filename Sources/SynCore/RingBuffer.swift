/// A bounded FIFO: appending to a full buffer overwrites the oldest element. O(1) append,
/// O(1) indexed access, iteration from oldest to newest. Storage grows lazily up to `capacity`
/// and is then reused, so a full buffer never allocates again.
///
/// ```swift
/// var recent = RingBuffer<Float>(capacity: 3)
/// for x in [1, 2, 3, 4] { recent.append(x) }   // holds 2, 3, 4
/// recent.first                                  // 2 (oldest)
/// ```
public struct RingBuffer<Element>: RandomAccessCollection {
    /// Maximum number of elements kept.
    public let capacity: Int
    @usableFromInline var storage: [Element]
    /// Physical index of the oldest element (0 until the buffer first wraps).
    @usableFromInline var head: Int
    /// Number of elements ever appended (including overwritten ones); useful as an x axis.
    public var totalAppended: Int { appended }
    @usableFromInline var appended: Int

    /// An empty buffer holding at most `capacity` (>= 1) elements.
    public init(capacity: Int) {
        precondition(capacity >= 1, "RingBuffer capacity must be at least 1, got \(capacity)")
        self.capacity = capacity
        storage = []
        head = 0
        appended = 0
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { storage.count }
    @inlinable public var count: Int { storage.count }
    /// True when the next append overwrites the oldest element.
    public var isFull: Bool { storage.count == capacity }

    /// Element `i` in age order: 0 is the oldest, `count - 1` the newest.
    @inlinable public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < storage.count, "RingBuffer index \(i) outside 0..<\(storage.count)")
            let p = head + i
            return storage[p >= storage.count ? p - storage.count : p]
        }
        set {
            precondition(i >= 0 && i < storage.count, "RingBuffer index \(i) outside 0..<\(storage.count)")
            let p = head + i
            storage[p >= storage.count ? p - storage.count : p] = newValue
        }
    }

    /// Appends `x`, evicting the oldest element when full.
    @inlinable public mutating func append(_ x: Element) {
        if storage.count < capacity {
            storage.append(x)
        } else {
            storage[head] = x
            head += 1
            if head == capacity { head = 0 }
        }
        appended += 1
    }

    /// Appends every element of `xs` in order.
    public mutating func append<S: Sequence>(contentsOf xs: S) where S.Element == Element {
        for x in xs { append(x) }
    }

    /// The newest element.
    public var newest: Element? { storage.isEmpty ? nil : self[storage.count - 1] }

    /// Removes all elements (keeps the capacity; `totalAppended` restarts at 0).
    public mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
        appended = 0
    }

    /// Checks the internal invariants; returns a description of each violation (empty = OK).
    /// For tests: O(1).
    func verifyInvariants() -> [String] {
        var problems: [String] = []
        if storage.count > capacity { problems.append("count \(storage.count) exceeds capacity \(capacity)") }
        if storage.count < capacity && head != 0 { problems.append("head \(head) must be 0 before the first wrap") }
        if head < 0 || (head >= Swift.max(storage.count, 1)) { problems.append("head \(head) outside 0..<\(storage.count)") }
        if totalAppended < storage.count { problems.append("totalAppended \(totalAppended) < count \(storage.count)") }
        if storage.count < capacity && totalAppended != storage.count {
            problems.append("not full, yet totalAppended \(totalAppended) != count \(storage.count)")
        }
        if storage.count == capacity && totalAppended % capacity != head {
            problems.append("head \(head) != totalAppended mod capacity \(totalAppended % capacity)")
        }
        return problems
    }
}

extension RingBuffer: Sendable where Element: Sendable {}
extension RingBuffer: Equatable where Element: Equatable {
    /// Equal when they hold the same elements in the same order with the same capacity.
    public static func == (a: RingBuffer, b: RingBuffer) -> Bool {
        a.capacity == b.capacity && a.elementsEqual(b)
    }
}
