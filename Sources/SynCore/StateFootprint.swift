/// The heap buffers of a value, found by reflection: every array buffer (address and bytes)
/// reachable from it. Copies of a value share their buffers until one copy mutates an array
/// (copy-on-write), so the memory a set of copies really holds is the sum over the *distinct*
/// buffers; the rewind history accounts its snapshots this way, for any model without
/// per-type code. Strings, dictionaries and class instances' own storage are not counted
/// (small next to the arrays of a network).
public struct StateFootprint: Sendable {
    /// Distinct buffers: base address -> bytes.
    public private(set) var buffers: [UInt: Int] = [:]

    /// The buffers reachable from `value`.
    public init(of value: Any) {
        var visited = Set<ObjectIdentifier>()
        visit(value, depth: 0, visited: &visited)
    }

    /// Total bytes of the distinct buffers.
    public var bytes: Int { buffers.values.reduce(0, +) }

    mutating func add(address: UInt, bytes: Int) {
        guard address != 0, bytes > 0 else { return }
        buffers[address] = bytes
    }

    mutating func visit(_ value: Any, depth: Int, visited: inout Set<ObjectIdentifier>) {
        guard depth < 64 else { return }
        if let array = value as? any FootprintArray {
            array.visitFootprint(into: &self, depth: depth, visited: &visited)
            return
        }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .class {
            let object = value as AnyObject
            guard visited.insert(ObjectIdentifier(object)).inserted else { return }
        }
        if mirror.displayStyle == .dictionary || mirror.displayStyle == .set { return }
        var m: Mirror? = mirror
        while let current = m {
            for child in current.children { visit(child.value, depth: depth + 1, visited: &visited) }
            m = current.superclassMirror
        }
    }
}

/// An array seen by `StateFootprint`: its buffer is counted without enumerating plain elements.
protocol FootprintArray {
    func visitFootprint(into footprint: inout StateFootprint, depth: Int, visited: inout Set<ObjectIdentifier>)
}

extension Array: FootprintArray {
    func visitFootprint(into footprint: inout StateFootprint, depth: Int, visited: inout Set<ObjectIdentifier>) {
        let (address, bytes) = withUnsafeBufferPointer { (UInt(bitPattern: $0.baseAddress), $0.count * MemoryLayout<Element>.stride) }
        footprint.add(address: address, bytes: bytes)
        // Elements with their own buffers (arrays of arrays, of layers): visit them too, up
        // to a bound that keeps a walk cheap.
        guard !_isPOD(Element.self) else { return }
        for e in prefix(100_000) { footprint.visit(e, depth: depth + 1, visited: &visited) }
    }
}

extension ContiguousArray: FootprintArray {
    func visitFootprint(into footprint: inout StateFootprint, depth: Int, visited: inout Set<ObjectIdentifier>) {
        let (address, bytes) = withUnsafeBufferPointer { (UInt(bitPattern: $0.baseAddress), $0.count * MemoryLayout<Element>.stride) }
        footprint.add(address: address, bytes: bytes)
        guard !_isPOD(Element.self) else { return }
        for e in prefix(100_000) { footprint.visit(e, depth: depth + 1, visited: &visited) }
    }
}
