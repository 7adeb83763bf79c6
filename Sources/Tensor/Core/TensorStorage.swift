import Foundation

/// A contiguous, 64-byte-aligned buffer of `Float`s owned by one or more tensors.
///
/// Reshapes share a storage; every other op writes a new one. The buffer is freed when the last
/// tensor that uses it goes away.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// How many `Float`s the buffer holds.
    public let count: Int

    /// A buffer of `count` floats; zero-filled when `zeroed` is true, otherwise uninitialised.
    public init(count: Int, zeroed: Bool = true) {
        self.count = count
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        if posix_memalign(&raw, 64, bytes) != 0 || raw == nil {
            fatalError("TensorStorage: out of memory allocating \(bytes) bytes")
        }
        base = raw!.bindMemory(to: Float.self, capacity: max(count, 1))
        if zeroed { base.initialize(repeating: 0, count: count) }
    }

    deinit { free(base) }
}
