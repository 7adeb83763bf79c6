import CStreamedProducts
import Foundation

/// Keys or values of past positions as a KV cache keeps them: `count` elements stored as F32,
/// BF16 or F16. A model with 16-bit weights keeps its cache in the same format, as transformers
/// keeps it in the model's dtype: that halves the bytes every decoding step reads.
public final class CachedRows {
    public let element: TensorStorage.Element
    public let count: Int
    let base: UnsafeMutableRawPointer

    /// Uninitialised room for `count` elements.
    public init(count: Int, element: TensorStorage.Element) {
        self.count = count
        self.element = element
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * element.byteCount
        if posix_memalign(&raw, 64, bytes) != 0 || raw == nil {
            fatalError("CachedRows: out of memory allocating \(bytes) bytes")
        }
        base = raw!
    }

    deinit { free(base) }

    /// Stores `count` floats from `source` at element `offset`, rounded to nearest (ties to even)
    /// when the rows are 16-bit.
    public func store(_ source: UnsafePointer<Float>, count: Int, at offset: Int) {
        precondition(offset >= 0 && offset + count <= self.count, "CachedRows: \(offset) + \(count) > \(self.count)")
        let destination = base + offset * element.byteCount
        if element.isHalfPrecision {
            viral_narrow(element.kernelFormat, source, destination.assumingMemoryBound(to: UInt16.self), count)
        } else {
            destination.assumingMemoryBound(to: Float.self).update(from: source, count: count)
        }
    }

    /// The address of element `offset`.
    func address(of offset: Int) -> UnsafeRawPointer { UnsafeRawPointer(base + offset * element.byteCount) }

    /// Widens `count` elements from `offset` into `destination` (a copy when the rows are F32).
    public func widen(from offset: Int, count: Int, into destination: UnsafeMutablePointer<Float>) {
        if element.isHalfPrecision {
            viral_widen(element.kernelFormat, address(of: offset).assumingMemoryBound(to: UInt16.self), destination, count)
        } else {
            destination.update(from: address(of: offset).assumingMemoryBound(to: Float.self), count: count)
        }
    }
}

extension TensorStorage.Element {
    /// Bytes per element.
    var byteCount: Int { isHalfPrecision ? 2 : 4 }
}
