import Foundation

/// A contiguous, 64-byte-aligned buffer of `Float`s owned by one or more tensors.
///
/// Reshapes share a storage; every other op writes a new one. When the last tensor that uses it
/// goes away, a large buffer goes back to `BufferPool` for the next storage of its size, a small
/// one to the system.
public final class TensorStorage: @unchecked Sendable {
    /// The first element.
    public let base: UnsafeMutablePointer<Float>
    /// How many `Float`s the buffer holds.
    public let count: Int

    /// A buffer of `count` floats; zero-filled when `zeroed` is true, otherwise uninitialised.
    public init(count: Int, zeroed: Bool = true) {
        self.count = count
        base = BufferPool.shared.take(count: count) ?? TensorStorage.allocate(count: count)
        if zeroed { base.initialize(repeating: 0, count: count) }
    }

    deinit {
        if !BufferPool.shared.recycle(base, count: count) { free(base) }
    }

    private static func allocate(count: Int) -> UnsafeMutablePointer<Float> {
        var raw: UnsafeMutableRawPointer?
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        if posix_memalign(&raw, 64, bytes) != 0 || raw == nil {
            fatalError("TensorStorage: out of memory allocating \(bytes) bytes")
        }
        return raw!.bindMemory(to: Float.self, capacity: max(count, 1))
    }
}

/// Freed large buffers kept for reuse, by exact element count.
///
/// A training step allocates the same shapes every time. A fresh large allocation is mapped
/// from the system and page-faults on first touch (the kernel zeroing every page): before this
/// pool that was ≈ 4 % of a train-small step (perf: `exc_page_fault`, `clear_page_erms`, …).
/// Handing a freed buffer to the next request of its size avoids that.
final class BufferPool: @unchecked Sendable {
    static let shared = BufferPool()
    /// Smaller buffers come from malloc, which recycles them cheaply.
    static let minimumCount = 1 << 14
    /// At most this many bytes are kept idle; beyond that, freed buffers go back to the system.
    static let capacityBytes = 1 << 30

    private var idle: [Int: [UnsafeMutablePointer<Float>]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    /// An idle buffer of exactly `count` floats, if one is kept.
    func take(count: Int) -> UnsafeMutablePointer<Float>? {
        guard count >= Self.minimumCount else { return nil }
        lock.lock()
        defer { lock.unlock() }
        guard let buffer = idle[count]?.popLast() else { return nil }
        idleBytes -= count * MemoryLayout<Float>.stride
        return buffer
    }

    /// Keeps `buffer` for reuse; false when it is too small or the pool is full (the caller
    /// then frees it).
    func recycle(_ buffer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        guard count >= Self.minimumCount else { return false }
        let bytes = count * MemoryLayout<Float>.stride
        lock.lock()
        defer { lock.unlock() }
        guard idleBytes + bytes <= Self.capacityBytes else { return false }
        idle[count, default: []].append(buffer)
        idleBytes += bytes
        return true
    }
}
